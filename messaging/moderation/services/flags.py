"""The flags a party puts on a message it received: No Response Needed (R15) and Report
Message (R16)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from accounts.selectors import membership_for_user, require_seller_member
from cases.services import case_summaries_refresh
from core.refusals import MessageRefused, NotAParty, Refusal
from messaging.models import Direction, Message, MessageReport, Outcome, ResponseState

NOTHING_TO_UNDO_MSG = "This message is not marked “No Response Needed”."
ONLY_BUYER_MESSAGES_MSG = "Only buyer messages can be marked “No Response Needed”."
# Buyers meet these two as well: marked for translation (messaging.presentation translates them).
ALREADY_REPORTED_MSG = gettext_noop("You have already reported this message.")
CANNOT_REPORT_OWN_MSG = gettext_noop("You can report only messages you received.")


def _seller_answered_after(message: Message) -> datetime | None:
    """When a delivered seller message followed `message` on its case, if one did."""
    reply = (
        Message.objects.filter(
            case_id=message.case_id,
            direction=Direction.SELLER_TO_BUYER,
            outcome=Outcome.DELIVERED,
            created_at__gte=message.created_at,
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return reply


@transaction.atomic
def message_mark_no_response_needed(
    *, message: Message, actor: User, at: datetime | None = None
) -> Message:
    """R15: take a buyer message out of Response Needed (and out of response-time metrics)."""
    require_seller_member(actor, message.seller_id)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.direction != Direction.BUYER_TO_SELLER:
        raise MessageRefused(Refusal(rule="R15", message=ONLY_BUYER_MESSAGES_MSG))
    if message.response_state == ResponseState.NEEDED:
        message.response_state = ResponseState.NO_RESPONSE_NEEDED
        message.no_response_needed_at = at or timezone.now()
        message.no_response_needed_by = actor
        message.save(
            update_fields=["response_state", "no_response_needed_at", "no_response_needed_by"]
        )
        case_summaries_refresh([message.case_id])
    return message


@transaction.atomic
def message_undo_no_response_needed(*, message: Message, actor: User) -> Message:
    """R15 can be undone: the message needs a response again unless the seller has answered."""
    require_seller_member(actor, message.seller_id)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.response_state != ResponseState.NO_RESPONSE_NEEDED:
        raise MessageRefused(Refusal(rule="R15", message=NOTHING_TO_UNDO_MSG))
    answered_at = _seller_answered_after(message)
    message.response_state = ResponseState.RESPONDED if answered_at else ResponseState.NEEDED
    message.responded_at = answered_at
    message.no_response_needed_at = None
    message.no_response_needed_by = None
    message.save(
        update_fields=[
            "response_state",
            "responded_at",
            "no_response_needed_at",
            "no_response_needed_by",
        ]
    )
    case_summaries_refresh([message.case_id])
    return message


@transaction.atomic
def message_report(
    *, message: Message, reporter: User, reason: str, details: str = "", at: datetime | None = None
) -> MessageReport:
    """R16: a party reports a message it received. A reported buyer message needs no response
    and stays in the inbox; staff see the report in the moderation queue."""
    case = message.case
    membership = membership_for_user(user=reporter)
    reporter_is_seller = membership is not None and membership.seller_id == message.seller_id
    reporter_is_buyer = case.buyer_id == reporter.pk
    if not (reporter_is_seller or reporter_is_buyer):
        raise NotAParty()
    received = (
        message.direction == Direction.BUYER_TO_SELLER
        if reporter_is_seller
        else message.direction == Direction.SELLER_TO_BUYER
    )
    if not received:
        raise MessageRefused(Refusal(rule="R16", message=CANNOT_REPORT_OWN_MSG))
    if MessageReport.objects.filter(message=message, reporter=reporter).exists():
        raise MessageRefused(Refusal(rule="R16", message=ALREADY_REPORTED_MSG))
    report = MessageReport.objects.create(
        message=message,
        reporter=reporter,
        reason=reason,
        details=details.strip(),
        created_at=at or timezone.now(),
    )
    if message.direction == Direction.BUYER_TO_SELLER:
        Message.objects.filter(pk=message.pk).update(response_state=ResponseState.REPORTED)
        case_summaries_refresh([case.pk])
    return report


# ---- the one-click links of a copy email (R22): no user, the link is the authority


EMAIL_LINK = "email link"


@transaction.atomic
def message_mark_no_response_needed_by_link(*, message: Message) -> Message:
    """R15 from the "Mark as no response needed" link of a copy email. The copies address
    belongs to no user, so no user is recorded; `no_response_needed_via` says it was the link.
    Clicking twice changes nothing."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.direction != Direction.BUYER_TO_SELLER:
        raise MessageRefused(Refusal(rule="R15", message=ONLY_BUYER_MESSAGES_MSG))
    if message.response_state == ResponseState.NEEDED:
        message.response_state = ResponseState.NO_RESPONSE_NEEDED
        message.no_response_needed_at = timezone.now()
        message.no_response_needed_via = EMAIL_LINK
        message.save(
            update_fields=["response_state", "no_response_needed_at", "no_response_needed_via"]
        )
        case_summaries_refresh([message.case_id])
    return message


@transaction.atomic
def message_report_by_link(*, message: Message, reason: str, address: str) -> MessageReport:
    """R16 from the "Report message" link of a copy email: the report records the copies
    address it came from instead of a user. Clicking twice keeps the first report."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.direction != Direction.BUYER_TO_SELLER:
        raise MessageRefused(Refusal(rule="R16", message=CANNOT_REPORT_OWN_MSG))
    existing = MessageReport.objects.filter(message=message, reporter__isnull=True).first()
    if existing is not None:
        return existing
    report = MessageReport.objects.create(
        message=message, reporter=None, reason=reason, reported_via=f"{EMAIL_LINK}: {address}"
    )
    Message.objects.filter(pk=message.pk).update(response_state=ResponseState.REPORTED)
    case_summaries_refresh([message.case_id])
    return report
