"""What sellers and buyers do with received messages: No Response Needed (R15), Report
Message (R16), case state changes, blocked-message notices (R4)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.selectors import membership_for_user
from cases.models import Case
from cases.services import case_transition
from messaging.models import (
    BlockedMessageNotice,
    Direction,
    Message,
    MessageReport,
    Outcome,
    ResponseState,
)
from messaging.policy import MessageRefused, Refusal
from messaging.services.storage import (
    NOT_A_PARTY_MSG,
    case_summary_refresh,
    require_seller_member,
)

NOTHING_TO_UNDO_MSG = "This message is not marked “No Response Needed”."
ONLY_BUYER_MESSAGES_MSG = "Only buyer messages can be marked “No Response Needed”."
ALREADY_REPORTED_MSG = "You have already reported this message."
CANNOT_REPORT_OWN_MSG = "You can report only messages you received."


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
def message_mark_no_response_needed(*, message: Message, actor: User) -> Message:
    """R15: take a buyer message out of Response Needed (and out of response-time metrics)."""
    require_seller_member(actor, message.seller_id)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.direction != Direction.BUYER_TO_SELLER:
        raise MessageRefused(Refusal(rule="R15", message=ONLY_BUYER_MESSAGES_MSG))
    if message.response_state == ResponseState.NEEDED:
        message.response_state = ResponseState.NO_RESPONSE_NEEDED
        message.no_response_needed_at = timezone.now()
        message.no_response_needed_by = actor
        message.save(
            update_fields=["response_state", "no_response_needed_at", "no_response_needed_by"]
        )
        case_summary_refresh(message.case)
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
    case_summary_refresh(message.case)
    return message


@transaction.atomic
def message_report(
    *, message: Message, reporter: User, reason: str, details: str = ""
) -> MessageReport:
    """R16: a party reports a message it received. A reported buyer message needs no response
    and stays in the inbox; staff see the report in the moderation queue."""
    case = message.case
    membership = membership_for_user(user=reporter)
    reporter_is_seller = membership is not None and membership.seller_id == message.seller_id
    reporter_is_buyer = case.buyer_id == reporter.pk
    if not (reporter_is_seller or reporter_is_buyer):
        raise PermissionError(NOT_A_PARTY_MSG)
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
        message=message, reporter=reporter, reason=reason, details=details.strip()
    )
    if message.direction == Direction.BUYER_TO_SELLER:
        Message.objects.filter(pk=message.pk).update(response_state=ResponseState.REPORTED)
        case_summary_refresh(case)
    return report


def seller_case_change_state(*, case: Case, actor: User, to_status: str) -> Case:
    """Resolve, Close or Reopen from the web inbox (never by email)."""
    require_seller_member(actor, case.seller_id)
    with transaction.atomic():
        case = case_transition(case=case, to_status=to_status, actor=actor, cause="seller")
        case_summary_refresh(case)
    return case


NOTICE_NOT_YOURS_MSG = "This notice belongs to another seller account."


@transaction.atomic
def blocked_notice_dismiss(*, notice: BlockedMessageNotice, actor: User) -> BlockedMessageNotice:
    """R4: a member of the seller account puts away an inbox "not delivered" notice.

    The blocked message itself stays on its case with its outcome (R25); dismissing twice keeps
    the first time.
    """
    require_seller_member(actor, notice.seller_id, refusal=NOTICE_NOT_YOURS_MSG)
    BlockedMessageNotice.objects.filter(pk=notice.pk, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )
    notice.refresh_from_db(fields=["dismissed_at"])
    return notice


def blocked_notices_dismiss_all(*, seller: SellerAccount, actor: User) -> int:
    """R4: put away every open "not delivered" notice of the seller at once; returns how many."""
    require_seller_member(actor, seller.pk, refusal=NOTICE_NOT_YOURS_MSG)
    return BlockedMessageNotice.objects.filter(seller=seller, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )
