"""Outbound email (SPEC section 5): every email is first an `OutboundEmail` row, written in the
transaction that caused it and rendered there (so a retry sends the same bytes), then sent by a
Celery task after commit. One row per idempotency key, so nothing is ever queued twice.

- a delivered seller message goes to the buyer's real address, From the business name at the
  seller alias (R19), threaded with a Message-ID we keep;
- a delivered buyer message is copied to the seller's "Buyer Messages" address, From the buyer
  alias, with one-click "No Response Needed" and "Report" links (R22, R15, R16);
- a blocked seller message bounces back to whoever sent it (R4, when "Buyer Opt-out" is on);
- a refused inbound mail bounces back to its sender with the reason (R7-R13).
"""

import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.selectors import notification_preferences_for_seller
from cases.models import Case
from core.refusals import Refusal
from core.text import text_fit, text_one_line
from messaging import jobs
from messaging.models import Direction, InboundMail, Message, OutboundEmail, Outcome
from messaging.policy.seller_limits import REVIEW_REQUEST_REASON
from messaging.policy_page import policy_path
from templates_app.selectors import buyer_language

logger = logging.getLogger(__name__)

ACTION_SALT = "messaging.email-action"
ACTION_MAX_AGE = timedelta(days=30)
ACTIONS = {"nrn": "Mark as no response needed", "report": "Report message"}
PERMISSION_SALT = "messaging.permission-confirm"
PERMISSION_MAX_AGE = timedelta(days=7)
AUTOMATIC_KINDS = [OutboundEmail.Kind.BOUNCE, OutboundEmail.Kind.PERMISSION_CONFIRMATION]
AUTOMATIC_LIMIT_MSG = (
    "Not sent: this address already had {count} bounces or confirmation emails from us in the "
    "last {period} (rate limit)."
)
FROM_EMAIL_MAX_LENGTH = OutboundEmail._meta.get_field("from_email").max_length or 300
SUBJECT_MAX_LENGTH = OutboundEmail._meta.get_field("subject").max_length or 300
MARKETPLACE_NAME = "AlphaDiscounters"


def message_id_new() -> str:
    """A Message-ID of ours: unguessable, in the alias domain."""
    return f"<{secrets.token_hex(16)}@{settings.MESSAGING_ALIAS_DOMAIN}>"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def action_token(*, message: Message, action: str) -> str:
    """A signed, expiring token for one action on one message (the one-click links). It
    carries the message's response-state version (`s`), so the link can tell that the message
    changed on the web since (messaging.moderation.services.flags)."""
    data = {"m": message.pk, "a": action, "s": message.response_state_version}
    return signing.dumps(data, salt=ACTION_SALT, compress=True)


def action_token_version(token: str) -> int | None:
    """The response-state version a valid token was made for; None for a link made before
    tokens carried it."""
    data = signing.loads(token, salt=ACTION_SALT, max_age=ACTION_MAX_AGE)
    version = data.get("s") if isinstance(data, dict) else None
    return version if isinstance(version, int) else None


def action_token_read(token: str) -> tuple[int, str]:
    """(message id, action) of a token; raises signing.BadSignature (tampered) or
    signing.SignatureExpired (too old)."""
    data = signing.loads(token, salt=ACTION_SALT, max_age=ACTION_MAX_AGE)
    if not isinstance(data, dict) or data.get("a") not in ACTIONS:
        raise signing.BadSignature("Unknown action")
    return int(data["m"]), str(data["a"])


def _render(template: str, context: Mapping[str, Any], language: str = "en") -> tuple[str, str]:
    with translation.override(language):
        text = render_to_string(f"emails/{template}.txt", dict(context))
        html = render_to_string(f"emails/{template}.html", dict(context))
    return text, html


def _queue(
    *,
    kind: str,
    key: str,
    recipient: str,
    from_email: str,
    subject: str,
    text: str,
    html: str,
    message: Message | None = None,
    inbound_mail: InboundMail | None = None,
    headers: Mapping[str, str] | None = None,
    attachment_ids: list[int] | None = None,
    header_message_id: str | None = None,
) -> OutboundEmail | None:
    """The one way an email is queued: a row, then its task after commit. An automatic email
    (a bounce, a confirmation) to an address that had too many lately is kept unsent
    (`_over_automatic_limit`), so nobody can make us flood an address."""
    limited = kind in AUTOMATIC_KINDS and _over_automatic_limit(recipient)
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "message": message,
            "inbound_mail": inbound_mail,
            "recipient": recipient,
            "from_email": header_safe(from_email),
            "subject": text_fit(subject, SUBJECT_MAX_LENGTH),
            "header_message_id": header_message_id or message_id_new(),
            "payload": {
                "text": text,
                "html": html,
                "headers": {name: header_safe(value) for name, value in (headers or {}).items()},
                "attachment_ids": attachment_ids or [],
            },
            "status": OutboundEmail.Status.SUPPRESSED if limited else OutboundEmail.Status.PENDING,
            "last_error": limited or "",
        },
    )
    if not created:
        return None
    if limited:
        logger.warning("Email %s to %s not sent: %s", email.pk, recipient, limited)
        return email
    jobs.enqueue_on_commit(jobs.OUTBOUND_EMAIL_SEND, email.pk)
    return email


def header_safe(value: str) -> str:
    """A value for an email header: on one line (CR, LF and other control characters become
    spaces), so a business name or subject with a line break cannot break or forge a header."""
    return text_one_line(value)


def display_address(name: str, address: str) -> str:
    """`"Name" <address>` with the name on one line (a business name may hold anything), and
    short enough for OutboundEmail.from_email: a non-ASCII name is encoded (base64, several
    characters each), so a 200-character name in Japanese is cut at a word, with "…"."""
    name = header_safe(name)
    value = formataddr((name, address))
    while len(value) > FROM_EMAIL_MAX_LENGTH and name:
        excess = len(value) - FROM_EMAIL_MAX_LENGTH
        name = text_fit(name, len(name) - max(2, excess // 4))
        value = formataddr((name, address)) if name else address
    return value


def _over_automatic_limit(recipient: str) -> str:
    """Why an automatic email to `recipient` must not be sent now (more than the settings allow
    in the last hour or day), or "". Counted under a lock on the address, so two at once cannot
    both pass the limit."""
    address = recipient.strip().lower()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"automatic:{address}"])
    now = timezone.now()
    recent = OutboundEmail.objects.annotate(address=Lower("recipient")).filter(
        address=address,
        kind__in=AUTOMATIC_KINDS,
        created_at__gte=now - timedelta(days=1),
        status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENT],
    )
    counts = recent.aggregate(
        day=Count("pk"), hour=Count("pk", filter=Q(created_at__gte=now - timedelta(hours=1)))
    )
    if counts["hour"] >= settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR:
        return AUTOMATIC_LIMIT_MSG.format(
            count=settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR, period="hour"
        )
    if counts["day"] >= settings.MESSAGING_AUTOMATIC_EMAILS_PER_DAY:
        return AUTOMATIC_LIMIT_MSG.format(
            count=settings.MESSAGING_AUTOMATIC_EMAILS_PER_DAY, period="day"
        )
    return ""


def _thread_headers(message: Message) -> dict[str, str]:
    """In-Reply-To/References to the earlier emails of the case, so mail clients thread it."""
    earlier = list(
        Message.objects.filter(case_id=message.case_id, created_at__lte=message.created_at)
        .exclude(pk=message.pk)
        .exclude(email_message_id__isnull=True)
        .exclude(email_message_id="")
        .order_by("-created_at", "-id")
        .values_list("email_message_id", flat=True)[:10]
    )
    if not earlier:
        return {}
    return {"In-Reply-To": earlier[0], "References": " ".join(reversed(earlier))}


def emails_for_message(message: Message) -> None:
    """Whatever email a newly stored message causes (called by the send funnel)."""
    if message.direction == Direction.SELLER_TO_BUYER:
        if message.outcome == Outcome.DELIVERED:
            _to_buyer(message)
        elif message.outcome == Outcome.BLOCKED and message.sender is not None:
            blocked_bounce(message, recipient=message.sender.email)
    elif message.outcome == Outcome.DELIVERED:
        _copy_to_seller(message)


def _to_buyer(message: Message) -> None:
    """R19: from the business name at the seller alias, stated in the body too. A review request
    (R17) is the marketplace's message on the seller's behalf: From the marketplace, the seller
    named in the body, a reply still reaching the seller through the alias."""
    case, relationship = message.case, message.case.relationship
    buyer = case.buyer
    language = buyer_language(buyer_id=buyer.pk)
    business = case.seller.business_name
    on_behalf = message.contact_reason == REVIEW_REQUEST_REASON
    context = {"message": message, "case": case, "business_name": business, "buyer": buyer}
    text, html = _render("review_request" if on_behalf else "to_buyer", context, language)
    headers = _thread_headers(message)
    from_email = display_address(business, relationship.seller_alias)
    if on_behalf:
        from_email = display_address(MARKETPLACE_NAME, settings.DEFAULT_FROM_EMAIL)
        headers["Reply-To"] = relationship.seller_alias
    header_id = message_id_new()
    if not message.email_message_id:
        Message.objects.filter(pk=message.pk).update(email_message_id=header_id)
        message.email_message_id = header_id
    _queue(
        kind=OutboundEmail.Kind.TO_BUYER,
        key=f"to_buyer:{message.pk}",
        recipient=buyer.email,
        from_email=from_email,
        subject=message.subject,
        text=text,
        html=html,
        message=message,
        headers=headers,
        attachment_ids=list(message.attachments.values_list("pk", flat=True)),
        header_message_id=header_id,
    )


def _copy_to_seller(message: Message) -> None:
    """R22: a copy of a buyer message, from the buyer alias, with the one-click links."""
    preferences = notification_preferences_for_seller(seller=message.case.seller)
    if not (preferences.buyer_message_copies and preferences.buyer_message_copies_email):
        return
    links = {
        action: absolute_url(
            reverse("messaging:email_action", args=[action_token(message=message, action=action)])
        )
        for action in ACTIONS
    }
    case = message.case
    context = {
        "message": message,
        "case": case,
        "links": links,
        "case_url": absolute_url(reverse("messaging:case_detail", args=[case.pk])),
    }
    text, html = _render("copy_to_seller", context)
    _queue(
        kind=OutboundEmail.Kind.COPY_TO_SELLER,
        key=f"copy:{message.pk}:{preferences.buyer_message_copies_email.lower()}",
        recipient=preferences.buyer_message_copies_email,
        from_email=case.relationship.buyer_alias,
        subject=message.subject,
        text=text,
        html=html,
        message=message,
        headers=_thread_headers(message),
        attachment_ids=list(message.attachments.values_list("pk", flat=True)),
    )


def blocked_bounce(message: Message, *, recipient: str) -> None:
    """R4: whoever sent a blocked message hears why and how to send a critical one, unless the
    seller cleared "Buyer Opt-out"."""
    if message.outcome != Outcome.BLOCKED:
        return
    preferences = notification_preferences_for_seller(seller=message.case.seller)
    if not preferences.opt_out_bounces:
        return
    bounce(
        recipient=recipient,
        key=f"blocked:{message.pk}",
        refusal=Refusal(rule=message.outcome_rule, message=message.outcome_reason),
        subject=message.subject,
        message=message,
    )


def bounce(
    *,
    recipient: str,
    key: str,
    refusal: Refusal,
    subject: str,
    message: Message | None = None,
    inbound_mail: InboundMail | None = None,
) -> OutboundEmail | None:
    """A bounce-back with the reason in words and what to do, from the platform."""
    context = {
        "refusal": refusal,
        "subject": subject,
        "policy_url": absolute_url(policy_path(refusal.rule)),
        "delivered": message is not None,
    }
    text, html = _render("bounce", context)
    return _queue(
        kind=OutboundEmail.Kind.BOUNCE,
        key=key,
        recipient=recipient,
        from_email=display_address("AlphaDiscounters Messaging", settings.DEFAULT_FROM_EMAIL),
        subject=f"Not delivered: {subject}" if subject else "Not delivered",
        text=text,
        html=html,
        message=message,
        inbound_mail=inbound_mail,
        headers={"Auto-Submitted": "auto-replied"},
    )


def case_closing_warning(case: Case) -> None:
    """R10: the buyer hears that a quiet case closes in a day unless they reply (once per quiet
    spell: the key names the activity it is about)."""
    buyer = case.buyer
    language = buyer_language(buyer_id=buyer.pk)
    context = {
        "case": case,
        "business_name": case.seller.business_name,
        "case_url": absolute_url(reverse("messaging:buyer_case_detail", args=[case.pk])),
    }
    text, html = _render("case_closing", context, language)
    with translation.override(language):
        subject = translation.gettext("Your conversation with %(name)s closes tomorrow") % {
            "name": case.seller.business_name
        }
    _queue(
        kind=OutboundEmail.Kind.CASE_CLOSING,
        key=f"closing:{case.pk}:{case.last_activity_at.isoformat()}",
        recipient=buyer.email,
        from_email=display_address(case.seller.business_name, case.relationship.seller_alias),
        subject=subject,
        text=text,
        html=html,
        # a reply to this email threads back into the case
        message=case.messages.order_by("-created_at", "-id").first(),
    )


def permission_confirmation_queue(*, permission_id: int, email: str, business_name: str) -> None:
    """R11: the link that approves an address for Messaging Permissions."""
    token = signing.dumps({"p": permission_id, "e": email.lower()}, salt=PERMISSION_SALT)
    url = absolute_url(reverse("messaging:permission_confirm", args=[token]))
    context = {"url": url, "business_name": business_name, "email": email}
    text, html = _render("permission_confirmation", context)
    _queue(
        kind=OutboundEmail.Kind.PERMISSION_CONFIRMATION,
        key=f"permission:{permission_id}:{timezone.now().timestamp()}",
        recipient=email,
        from_email=display_address("AlphaDiscounters Seller Central", settings.DEFAULT_FROM_EMAIL),
        subject=f"Confirm {email} for {business_name} on AlphaDiscounters",
        text=text,
        html=html,
    )


def permission_token_read(token: str) -> tuple[int, str]:
    """(permission id, address) of a confirmation link; raises signing.BadSignature."""
    data = signing.loads(token, salt=PERMISSION_SALT, max_age=PERMISSION_MAX_AGE)
    return int(data["p"]), str(data["e"])


# ---- sending (the task calls this)


def outbound_email_deliver(email_id: int) -> OutboundEmail:
    """Send one queued email, at most once: the row is locked while it is sent, so a second
    task for it waits and then finds it sent. A transport error leaves it pending (the task
    retries) with the error recorded; a crash in the middle rolls back to pending as well, and
    the retry sends the same Message-ID, which mail clients treat as one."""
    try:
        with transaction.atomic():
            email: OutboundEmail = OutboundEmail.objects.select_for_update().get(pk=email_id)
            if email.status != OutboundEmail.Status.PENDING:
                return email  # already sent (or given up): never twice
            email.attempts += 1
            _send(email)
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
    except Exception as exc:
        # Recorded outside the rolled-back transaction, so staff see every failed attempt.
        error = f"{type(exc).__name__}: {exc}"[:2000]
        OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING).update(
            attempts=F("attempts") + 1, last_error=error
        )
        logger.warning("Email %s failed: %s", email_id, error)
        raise
    return email


def outbound_email_give_up(email_id: int, error: str) -> None:
    """After the last retry: failed, for staff to see (the admin lists them)."""
    OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.FAILED, last_error=error[:2000]
    )


def _send(email: OutboundEmail) -> None:
    from messaging.models import Attachment

    payload = email.payload
    headers = {"Message-ID": email.header_message_id, **payload.get("headers", {})}
    # Rows queued before header values were made safe are sent as well, not failed.
    headers = {name: header_safe(value) for name, value in headers.items()}
    mail = EmailMultiAlternatives(
        subject=header_safe(email.subject),
        body=payload.get("text", ""),
        from_email=header_safe(email.from_email),
        to=[email.recipient],
        headers=headers,
    )
    if payload.get("html"):
        mail.attach_alternative(payload["html"], "text/html")
    for attachment in Attachment.objects.filter(pk__in=payload.get("attachment_ids", [])):
        with attachment.file.open("rb") as handle:
            mail.attach(attachment.display_name, handle.read(), attachment.content_type)
    with get_connection() as connection:
        connection.send_messages([mail])
