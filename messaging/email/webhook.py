"""The inbound webhook for hosted mail services (SPEC section 5): raw MIME in, stored before the
202, processed by a task like mail from the SMTP relay."""

import email
import email.policy
import hmac
from email.utils import getaddresses

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging.email.services import inbound
from messaging.models import InboundMail

WEBHOOK_MAX_BYTES = 40 * 1024 * 1024


def _webhook_recipients(request: HttpRequest, raw: bytes) -> list[str]:
    """Envelope recipients: `?recipient=` (repeatable) as the mail service passes them, else
    the alias-domain addresses in Delivered-To/X-Original-To/To/Cc."""
    given = request.GET.getlist("recipient")
    if given:
        return given
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    headers = [str(message.get(name, "")) for name in ("Delivered-To", "X-Original-To", "To", "Cc")]
    domain = "@" + settings.MESSAGING_ALIAS_DOMAIN.lower()
    return [a.lower() for _, a in getaddresses(headers) if a.lower().endswith(domain)]


# Not in ATOMIC_REQUESTS' transaction: that one needs the database before the view runs (a 500
# instead of 503 while it is down), and the 202 must follow the mail's own commit.
@transaction.non_atomic_requests
@csrf_exempt
@require_POST
def inbound_webhook(request: HttpRequest) -> HttpResponse:
    """POST raw MIME with `Authorization: Bearer <INBOUND_EMAIL_TOKEN>`. 202 once the mail is
    committed to the database (processing continues in a task); 503 while the database is
    unreachable, so the mail service retries."""
    token = settings.INBOUND_EMAIL_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        return JsonResponse({"error": "A valid bearer token is required."}, status=401)
    raw = request.body
    if not raw or len(raw) > WEBHOOK_MAX_BYTES:
        return JsonResponse(
            {"error": "The body must be one raw email (message/rfc822)."}, status=400
        )
    recipients = _webhook_recipients(request, raw)
    try:
        stored = inbound.inbound_mail_receive(
            raw=raw,
            recipients=recipients,
            envelope_from=request.GET.get("sender", ""),
            source=InboundMail.Source.WEBHOOK,
        )
        known = [r for r in recipients if inbound.alias_is_live(r)]
    except DatabaseError:
        response = JsonResponse({"error": "Temporarily unavailable, retry later."}, status=503)
        response["Retry-After"] = "60"
        return response
    if not known:
        return JsonResponse({"error": "No recipient is a live alias here."}, status=422)
    return JsonResponse({"stored": [mail.pk for mail in stored], "recipients": known}, status=202)
