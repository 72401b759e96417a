"""Storing a message and keeping the case summary the inbox reads (one transaction)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count, Min, Q

from accounts.models import SellerAccount, User
from accounts.selectors import membership_for_user
from cases.models import INBOX_SUMMARY_FIELDS, Case
from cases.services import case_record_opened
from messaging.attachments import IncomingAttachment, attachments_check
from messaging.models import (
    Attachment,
    Direction,
    Message,
    Outcome,
    Relationship,
    ResponseState,
)
from messaging.policy import MessageRefused, Refusal
from messaging.sanitize import html_sanitize, html_to_text
from orders.models import Order, Product

SNIPPET_LENGTH = 160
NOT_A_PARTY_MSG = "You are not a party of this case."


@dataclass(frozen=True)
class Draft:
    """What a sender wrote, however it arrived (web form or email)."""

    body_text: str
    subject: str = ""
    body_html: str = ""
    contact_reason: str = ""
    attachments: list[IncomingAttachment] = field(default_factory=list)
    is_critical: bool = False


def raise_if_refused(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise MessageRefused(refusal)


def store_message(
    *,
    case: Case,
    direction: str,
    sender: User | None,
    draft: Draft,
    channel: str,
    checked_attachments,
    at: datetime,
    outcome: str = Outcome.DELIVERED,
    outcome_rule: str = "",
    outcome_reason: str = "",
    email_message_id: str | None = None,
) -> Message:
    from_buyer = direction == Direction.BUYER_TO_SELLER
    # R14: HTML is sanitized here, the one way into the database, so pages may show it as is;
    # every message also keeps a plain-text body.
    body_html = html_sanitize(draft.body_html) if draft.body_html.strip() else ""
    message = Message.objects.create(
        case=case,
        seller_id=case.seller_id,
        order_id=case.order_id,
        direction=direction,
        sender=sender,
        channel=channel,
        contact_reason=draft.contact_reason or case.contact_reason,
        subject=draft.subject or f"Re: {case.subject}",
        body_text=draft.body_text or html_to_text(body_html),
        body_html=body_html,
        is_critical=draft.is_critical,
        created_at=at,
        outcome=outcome,
        outcome_rule=outcome_rule,
        outcome_reason=outcome_reason,
        response_state=ResponseState.NEEDED if from_buyer else ResponseState.NOT_APPLICABLE,
        email_message_id=email_message_id,
    )
    for checked in checked_attachments:
        attachment = Attachment(
            message=message,
            display_name=checked.display_name,
            extension=checked.extension,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            created_at=at,
        )
        attachment.file.save(f"upload{checked.extension}", ContentFile(checked.content), save=False)
        attachment.save()
    return message


def check_attachments(draft: Draft):
    return attachments_check(
        draft.attachments,
        max_bytes=settings.MESSAGING_ATTACHMENT_MAX_BYTES,
        max_count=settings.MESSAGING_ATTACHMENTS_PER_MESSAGE,
    )


def _snippet(text: str) -> str:
    return " ".join(text.split())[:SNIPPET_LENGTH]


def case_summary_refresh(case: Case) -> None:
    """Recompute what the inbox reads from the case's messages (same transaction)."""
    messages = Message.objects.filter(case=case)
    buyer = Q(direction=Direction.BUYER_TO_SELLER)
    summary = messages.aggregate(
        waiting_since=Min("created_at", filter=buyer & Q(response_state=ResponseState.NEEDED)),
        responded=Count("id", filter=Q(response_state=ResponseState.RESPONDED)),
        no_response_needed=Count("id", filter=Q(response_state=ResponseState.NO_RESPONSE_NEEDED)),
        reported=Count("id", filter=Q(response_state=ResponseState.REPORTED)),
        sent=Count("id", filter=Q(direction=Direction.SELLER_TO_BUYER)),
        total=Count("id"),
    )
    latest = messages.order_by("-created_at", "-id").only(
        "created_at", "direction", "body_text", "outcome", "outcome_rule"
    )
    buyer_latest = latest.filter(
        Q(direction=Direction.BUYER_TO_SELLER) | Q(outcome=Outcome.DELIVERED)
    ).first()
    latest = latest.first()
    case.waiting_since = summary["waiting_since"]
    # A closed case takes no reply, so it no longer waits for one.
    case.needs_response = summary["waiting_since"] is not None and not case.is_closed
    case.responded = summary["responded"] > 0
    case.has_no_response_needed = summary["no_response_needed"] > 0
    case.reported = summary["reported"] > 0
    case.has_sent = summary["sent"] > 0
    case.message_count = summary["total"]
    if latest is not None:
        case.latest_message_at = latest.created_at
        case.latest_direction = latest.direction
        case.latest_snippet = _snippet(latest.body_text)
        delivered = latest.outcome == Outcome.DELIVERED
        case.latest_blocked_rule = "" if delivered else (latest.outcome_rule or latest.outcome)
    if buyer_latest is not None:
        case.buyer_latest_at = buyer_latest.created_at
        case.buyer_latest_snippet = _snippet(buyer_latest.body_text)
    case.save(update_fields=[*INBOX_SUMMARY_FIELDS, "last_activity_at"])


def case_open(
    *,
    relationship: Relationship,
    order: Order | None,
    contact_reason: str,
    subject: str,
    started_by: str,
    actor: User,
    at: datetime,
    product: Product | None = None,
) -> Case:
    """A new case between the two parties of `relationship`, its first transition recorded."""
    case = Case.objects.create(
        seller_id=relationship.seller_id,
        buyer_id=relationship.buyer_id,
        relationship=relationship,
        order=order,
        product=product,
        contact_reason=contact_reason,
        subject=subject,
        started_by=started_by,
        created_at=at,
        status_changed_at=at,
        last_activity_at=at,
        buyer_alias=relationship.buyer_alias,
        order_number=order.number if order else "",
    )
    case_record_opened(case=case, actor=actor, cause=started_by, at=at)
    return case


def require_seller_member(
    user: User, seller_id: int, *, refusal: str = NOT_A_PARTY_MSG
) -> SellerAccount:
    """The seller account `user` works for, if it is `seller_id`; PermissionError otherwise."""
    membership = membership_for_user(user=user)
    if membership is None or membership.seller_id != seller_id:
        raise PermissionError(refusal)
    return membership.seller
