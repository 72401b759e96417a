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
        message.response_state_changed_at = timezone.now()
        message.save(
            update_fields=[
                "response_state",
                "no_response_needed_at",
                "no_response_needed_by",
                "response_state_changed_at",
            ]
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
    message.response_state_changed_at = timezone.now()
    message.save(
        update_fields=[
            "response_state",
            "responded_at",
            "no_response_needed_at",
            "no_response_needed_by",
            "response_state_changed_at",
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
        Message.objects.filter(pk=message.pk).update(
            response_state=ResponseState.REPORTED, response_state_changed_at=timezone.now()
        )
        case_summaries_refresh([case.pk])
    return report


# ---- the one-click links of a copy email (R22): no user, the link is the authority


EMAIL_LINK = "email link"
# A one-click link follows the message as it is now: one whose message changed since its
# email went out says so and changes nothing (issue 22, finding 9).
LINK_UNDONE_MSG = (
    "Since this email was sent, “No Response Needed” was set for this message and then undone "
    "in Seller Central, so this link no longer changes it: the message needs a response. "
    "Open the case to answer it or to mark it again."
)
LINK_ANSWERED_MSG = (
    "Since this email was sent, this message was answered, so there is nothing left to mark. "
    "Nothing was changed."
)
LINK_REPORTED_MSG = (
    "Since this email was sent, this message was reported to AlphaDiscounters: it needs no "
    "response and stays on the case. Nothing was changed."
)
LINK_CHANGED_MSG = (
    "This message changed in Seller Central since this email was sent, so this link no "
    "longer changes it. Open the case to see where it stands."
)


class LinkOutdated(MessageRefused):
    """A one-click link whose message changed since the email was sent."""


def no_response_needed_link_outdated(
    message: Message, *, issued_version: int | None
) -> Refusal | None:
    """Why the "Mark as no response needed" link made when the buyer message's response state
    was at `issued_version` (None: a link made before links carried it) may not act now, or
    None. An already marked message is no refusal: the link has nothing left to do."""
    state = message.response_state
    if state == ResponseState.NO_RESPONSE_NEEDED:
        return None
    if state == ResponseState.RESPONDED:
        return Refusal(rule="R15", message=LINK_ANSWERED_MSG)
    if state == ResponseState.REPORTED:
        return Refusal(rule="R15", message=LINK_REPORTED_MSG)
    if state != ResponseState.NEEDED:
        return Refusal(rule="R15", message=LINK_CHANGED_MSG)
    if issued_version is not None and issued_version != message.response_state_version:
        return Refusal(rule="R15", message=LINK_UNDONE_MSG)
    return None


@transaction.atomic
def message_mark_no_response_needed_by_link(
    *, message: Message, issued_version: int | None = None
) -> Message:
    """R15 from the "Mark as no response needed" link of a copy email. The copies address
    belongs to no user, so no user is recorded; `no_response_needed_via` says it was the link.
    Clicking twice changes nothing; a link whose message changed since it was made (answered,
    reported, marked and undone in Seller Central) raises LinkOutdated and changes nothing."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.direction != Direction.BUYER_TO_SELLER:
        raise MessageRefused(Refusal(rule="R15", message=ONLY_BUYER_MESSAGES_MSG))
    outdated = no_response_needed_link_outdated(message, issued_version=issued_version)
    if outdated is not None:
        raise LinkOutdated(outdated)
    if message.response_state == ResponseState.NEEDED:
        now = timezone.now()
        message.response_state = ResponseState.NO_RESPONSE_NEEDED
        message.no_response_needed_at = now
        message.no_response_needed_via = EMAIL_LINK
        message.response_state_changed_at = now
        message.save(
            update_fields=[
                "response_state",
                "no_response_needed_at",
                "no_response_needed_via",
                "response_state_changed_at",
            ]
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
    Message.objects.filter(pk=message.pk).update(
        response_state=ResponseState.REPORTED, response_state_changed_at=timezone.now()
    )
    case_summaries_refresh([message.case_id])
    return report
