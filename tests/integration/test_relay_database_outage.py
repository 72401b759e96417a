"""The SMTP relay while its database goes away (SPEC section 5): it answers 451 so the sender
retries, never 250 for a mail it did not store; once the database is back, the retried mail is
stored exactly once and the relay is still answering. Runs `manage.py runmailrelay` on a
private PostgreSQL cluster that the test starts and stops."""

import secrets
import smtplib
from email.message import EmailMessage

import psycopg
import pytest

from scripts.commands import manage, relay_command
from scripts.databases import database_ensure
from scripts.processes import free_port
from tests.integration.conftest import (
    port_answers,
    process_output,
    start_process,
    stop_process,
    subprocess_env,
    wait_until,
)

DATABASE = "relay_outage"
MAKE_RELATIONSHIP = """
from tests.factories import RelationshipFactory
r = RelationshipFactory()
print("ALIAS", r.seller_alias, r.buyer.email)
"""


def _mail(*, sender: str, alias: str, message_id: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = alias
    mail["Subject"] = "Where is my parcel?"
    mail["Message-ID"] = message_id
    mail.set_content("It has not arrived yet.")
    return mail


def _stored(url: str, message_id: str) -> int:
    with psycopg.connect(url, connect_timeout=5) as db:
        row = db.execute(
            "SELECT count(*) FROM messaging_inboundmail WHERE header_message_id = %s",
            [message_id],
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_relay_answers_451_while_the_database_is_down_and_stores_the_retry_once(
    private_postgres, tmp_path
):
    cluster = private_postgres
    database_ensure(cluster.url(DATABASE))
    url = cluster.url(DATABASE)
    # A broker that only queues: storing is what this test is about, not processing.
    env = subprocess_env(DATABASE_URL=url, CELERY_EAGER="false", CELERY_BROKER_URL="memory://")
    manage("migrate", "--noinput", env=env, timeout=300)
    line = next(
        line
        for line in manage("shell", "-c", MAKE_RELATIONSHIP, env=env, timeout=120).splitlines()
        if line.startswith("ALIAS ")
    )
    _, alias, buyer_email = line.split()

    port = free_port()
    relay = start_process(
        relay_command(port),
        env=env,
        log_path=tmp_path / "relay.log",
    )
    try:
        wait_until(
            lambda: relay.poll() is not None or port_answers("127.0.0.1", port),
            timeout=60,
            what="the relay to listen",
        )
        assert relay.poll() is None, f"the relay stopped:\n{process_output(relay)}"

        # 1. Database up: 250, and the mail is in the database.
        first_id = f"<{secrets.token_hex(8)}@buyer.example.com>"
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            refused = smtp.send_message(
                _mail(sender=buyer_email, alias=alias, message_id=first_id),
                from_addr=buyer_email,
                to_addrs=[alias],
            )
        assert refused == {}
        assert _stored(url, first_id) == 1

        # 2. The database goes away in the middle of a session: RCPT was accepted, DATA gets
        # a temporary failure, so the sender keeps the mail and tries again later.
        second_id = f"<{secrets.token_hex(8)}@buyer.example.com>"
        second = _mail(sender=buyer_email, alias=alias, message_id=second_id)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            smtp.ehlo()
            assert smtp.mail(buyer_email)[0] == 250
            assert smtp.rcpt(alias)[0] == 250
            cluster.stop()
            code, reply = smtp.data(second.as_bytes())
        assert code == 451, reply

        # 3. While it is down, a new session is refused at RCPT with 451 as well.
        with (
            smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp,
            pytest.raises(smtplib.SMTPRecipientsRefused) as refused_rcpt,
        ):
            smtp.send_message(second, from_addr=buyer_email, to_addrs=[alias])
        assert refused_rcpt.value.recipients[alias][0] == 451

        # 4. The database is back: the sender's retry is accepted and stored once; the same
        # mail delivered again (a sender that missed our 250) is not stored a second time.
        cluster.start()
        wait_until(cluster.is_ready, timeout=30, what="PostgreSQL to come back")
        for _ in range(2):
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                assert smtp.send_message(second, from_addr=buyer_email, to_addrs=[alias]) == {}
        assert _stored(url, second_id) == 1
        assert _stored(url, first_id) == 1

        # The relay is still answering, and still refuses what is not ours.
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            assert smtp.noop()[0] == 250
            smtp.ehlo()
            smtp.mail(buyer_email)
            assert smtp.rcpt("nobody@m.alphadiscounters.com")[0] == 550
        assert relay.poll() is None
    finally:
        log = stop_process(relay)
    assert "database unavailable" in log, log
