"""The inbound SMTP relay for the alias domain (`manage.py runmailrelay`), on aiosmtpd.

Like a mail server, it says 250 only once the raw message is committed to the database; while
the database is unreachable it answers 451 so the sender retries, and nothing acknowledged is
ever lost. Unknown recipients are refused at RCPT (550). At DATA the sender is authenticated
(SPF for the connecting address and HELO, DKIM, DMARC): a mail that fails is refused there
(550 with the reason, so nobody gets a bounce from us) and kept as refused for staff; a DNS
failure answers 451, so the sender tries again later.
"""

import contextlib
import itertools
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections

from messaging.email.authentication import SenderCheck, sender_check
from messaging.email.services.inbound import alias_is_live, inbound_mail_receive
from messaging.models import InboundMail

logger = logging.getLogger(__name__)

UNAVAILABLE = "451 4.3.0 Mail system temporarily unavailable, try again later"
NO_SUCH_ALIAS = "550 5.1.1 No such mailbox here"
ACCEPTED = "250 2.0.0 Message accepted"
AUTHENTICATION_UNAVAILABLE = "451 4.7.0 Sender authentication temporarily failed, try again later"
NOT_AUTHENTICATED = "550 5.7.1 {reason}"

# The ORM runs in a few threads of one thread each (each keeps its own database connection);
# an SMTP session keeps to one of them, so sessions store in parallel while the database
# answers, and its connection is the one its errors drop.
ORM_THREADS = 4
_orm_threads = [
    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"relay-orm-{n}")
    for n in range(ORM_THREADS)
]
_next_thread = itertools.count()


def _orm_thread(session: Session) -> ThreadPoolExecutor:
    executor: ThreadPoolExecutor | None = getattr(session, "orm_thread", None)
    if executor is None:
        executor = _orm_threads[next(_next_thread) % ORM_THREADS]
        session.orm_thread = executor  # type: ignore[attr-defined]
    return executor


def _fresh_connection() -> None:
    """A broken connection (the database went away) is dropped, so the next try reconnects:
    with CONN_HEALTH_CHECKS (config/settings) this makes Django test the connection once, at
    its next query (a second test of our own doubled the round trips of every mail)."""
    close_old_connections()


def _drop_connection() -> None:
    """After a database error: close this thread's connection (reading `connection` here, in
    the ORM thread, not in the event loop's, whose wrapper this thread may not use)."""
    with contextlib.suppress(DatabaseError):
        connection.close()


def _alias_is_live(address: str) -> bool:
    _fresh_connection()
    return alias_is_live(address)


def _store(raw: bytes, recipients: list[str], envelope_from: str, check: SenderCheck) -> int:
    _fresh_connection()
    stored = inbound_mail_receive(
        raw=raw,
        recipients=recipients,
        envelope_from=envelope_from,
        source=InboundMail.Source.SMTP,
        check=check,
    )
    return len(stored)


def _reply_text(reason: str) -> str:
    """A reason as an SMTP reply: one line of printable ASCII, short enough for any client."""
    text = " ".join(reason.encode("ascii", errors="replace").decode("ascii").split())
    return text[:400] or "Sender authentication failed"


def _check(raw: bytes, envelope_from: str, session: Session) -> SenderCheck:
    peer: object = session.peer  # (host, port) over TCP, though aiosmtpd types it as str
    client_ip = str(peer[0]) if isinstance(peer, tuple) and peer else None
    return sender_check(
        raw, envelope_from=envelope_from, client_ip=client_ip, helo=session.host_name or ""
    )


class RelayHandler:
    """aiosmtpd handler: RCPT checks the alias, DATA stores the mail (the ORM in the session's
    thread, `_orm_thread`)."""

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        orm = _orm_thread(session)
        try:
            known = await sync_to_async(_alias_is_live, thread_sensitive=False, executor=orm)(
                address
            )
        except DatabaseError:
            logger.warning("RCPT %s: database unavailable", address)
            await sync_to_async(_drop_connection, thread_sensitive=False, executor=orm)()
            return UNAVAILABLE
        if not known:
            return NO_SUCH_ALIAS
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        envelope_from = envelope.mail_from or ""
        # DNS lookups, off the event loop and off the ORM threads (they may take seconds).
        try:
            check = await sync_to_async(_check, thread_sensitive=False)(raw, envelope_from, session)
        except Exception:  # a bug of ours must not lose the mail: the sender tries again
            logger.exception("DATA from %s: sender check failed", envelope_from)
            return AUTHENTICATION_UNAVAILABLE
        if check.temporary:
            logger.warning("DATA from %s: %s", envelope_from, check.summary)
            return AUTHENTICATION_UNAVAILABLE
        orm = _orm_thread(session)
        try:
            stored = await sync_to_async(_store, thread_sensitive=False, executor=orm)(
                raw, list(envelope.rcpt_tos), envelope_from, check
            )
        except DatabaseError:
            logger.warning("DATA from %s: database unavailable", envelope_from)
            await sync_to_async(_drop_connection, thread_sensitive=False, executor=orm)()
            return UNAVAILABLE
        if not check.authenticated:
            logger.info(
                "Refused mail from %s for %s: %s", envelope_from, envelope.rcpt_tos, check.summary
            )
            return NOT_AUTHENTICATED.format(reason=_reply_text(check.reason))
        logger.info(
            "Accepted mail from %s for %s (%d stored)", envelope_from, envelope.rcpt_tos, stored
        )
        return ACCEPTED


def relay_connection_close() -> None:
    """Close the database connections of the relay's ORM threads (at shutdown, and in tests so
    the test database can be dropped)."""
    for executor in _orm_threads:
        executor.submit(connections.close_all).result(timeout=10)


def relay_controller(*, host: str, port: int) -> Controller:
    return Controller(
        RelayHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.MESSAGING_RELAY_MAX_BYTES,
        ident="AlphaDiscounters mail relay",
    )
