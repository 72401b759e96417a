"""The inbound webhook for hosted mail services (SPEC section 5): raw MIME in, its sender
authenticated, stored before the 202, processed by a task like mail from the SMTP relay.

The body is read from the request stream up to the largest inbound mail
(MESSAGING_RELAY_MAX_BYTES, the relay's limit too), never through `request.body`, which Django
caps at DATA_UPLOAD_MAX_MEMORY_SIZE (1 MiB): a mail with a 7 MB attachment is taken whole.

The sender: the mail service's own Authentication-Results when the operator names it trusted
(MESSAGING_TRUSTED_AUTHSERV_ID), else our own check: DKIM, and SPF when the service passes the
connecting client (`?client_ip=`, `?helo=`). A mail that fails is stored as refused, for staff,
and answered 202 all the same (the service must not retry it); nobody is mailed about it.
"""

import email
import email.policy
import hmac
import ipaddress
from email.utils import getaddresses

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging.email.authentication import (
    SenderCheck,
    sender_check,
    sender_check_from_trusted_header,
)
from messaging.email.parse import storable
from messaging.email.services import inbound
from messaging.models import InboundMail

READ_CHUNK_BYTES = 64 * 1024
TOO_LARGE_MSG = (
    "This email is larger than the {limit} MB we accept (attachments up to 7 MB each). "
    "Refuse it to its sender as too large."
)
NOT_A_MAIL_MSG = "The body must be one raw email (message/rfc822)."
BAD_CLIENT_IP_MSG = "client_ip must be the IP address the mail came from."
RETRY_MSG = "Temporarily unavailable, retry later."


def _webhook_recipients(request: HttpRequest, raw: bytes) -> list[str]:
    """Envelope recipients: `?recipient=` (repeatable) as the mail service passes them, else
    the alias-domain addresses in Delivered-To/X-Original-To/To/Cc."""
    given = request.GET.getlist("recipient")
    if given:
        return [storable(r) for r in given]
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    headers = [str(message.get(name, "")) for name in ("Delivered-To", "X-Original-To", "To", "Cc")]
    domain = "@" + settings.MESSAGING_ALIAS_DOMAIN.lower()
    addresses = [storable(a).lower() for _, a in getaddresses(headers)]
    return [a for a in addresses if a.endswith(domain)]


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The request body from its stream, or None when it is longer than `limit`: read in
    chunks, never more than `limit` + 1 bytes held."""
    body = bytearray()
    while len(body) <= limit:
        chunk = request.read(min(READ_CHUNK_BYTES, limit + 1 - len(body)))
        if not chunk:
            break
        body += chunk
    return None if len(body) > limit else bytes(body)


def _too_large(limit: int) -> JsonResponse:
    response = JsonResponse(
        {"error": TOO_LARGE_MSG.format(limit=limit // (1024 * 1024))}, status=413
    )
    response["Connection"] = "close"  # what is left of the body is not read
    return response


def _retry_later() -> JsonResponse:
    response = JsonResponse({"error": RETRY_MSG}, status=503)
    response["Retry-After"] = "60"
    return response


def _sender_check(request: HttpRequest, raw: bytes, client_ip: str | None) -> SenderCheck:
    authserv_id = settings.MESSAGING_TRUSTED_AUTHSERV_ID
    if authserv_id:
        trusted = sender_check_from_trusted_header(raw, authserv_id=authserv_id)
        if trusted is not None:
            return trusted
    return sender_check(
        raw,
        envelope_from=request.GET.get("sender", ""),
        client_ip=client_ip,
        helo=request.GET.get("helo", ""),
    )


# Not in ATOMIC_REQUESTS' transaction: that one needs the database before the view runs (a 500
# instead of 503 while it is down), and the 202 must follow the mail's own commit.
@transaction.non_atomic_requests
@csrf_exempt
@require_POST
def inbound_webhook(request: HttpRequest) -> HttpResponse:
    """POST raw MIME with `Authorization: Bearer <INBOUND_EMAIL_TOKEN>`. 202 once the mail is
    committed to the database (processing continues in a task), whether its sender
    authenticated or not; 413 over the size limit; 503 while the database or DNS is
    unavailable, so the mail service retries."""
    token = settings.INBOUND_EMAIL_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"error": "A valid bearer token is required."}, status=401)
    limit = settings.MESSAGING_RELAY_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _too_large(limit)
    raw = _read_body(request, limit)
    if raw is None:
        return _too_large(limit)
    if not raw:
        return JsonResponse({"error": NOT_A_MAIL_MSG}, status=400)
    client_ip = request.GET.get("client_ip", "").strip() or None
    if client_ip is not None:
        try:
            ipaddress.ip_address(client_ip)
        except ValueError:
            return JsonResponse({"error": BAD_CLIENT_IP_MSG}, status=400)
    recipients = _webhook_recipients(request, raw)
    try:
        known = [r for r in recipients if inbound.alias_is_live(r)]
    except DatabaseError:
        return _retry_later()
    if not known:  # before any DNS lookup: mail to nobody here costs nothing more
        return JsonResponse({"error": "No recipient is a live alias here."}, status=422)
    check = _sender_check(request, raw, client_ip)
    if check.temporary:
        return _retry_later()
    try:
        stored = inbound.inbound_mail_receive(
            raw=raw,
            recipients=known,
            envelope_from=request.GET.get("sender", ""),
            source=InboundMail.Source.WEBHOOK,
            check=check,
        )
    except DatabaseError:
        return _retry_later()
    return JsonResponse(
        {
            "stored": [mail.pk for mail in stored],
            "recipients": known,
            "authenticated": check.authenticated,
        },
        status=202,
    )
