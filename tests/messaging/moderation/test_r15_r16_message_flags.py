"""R15 No Response Needed (and its undo) and R16 Report Message through the moderation
services (messaging.moderation.services.flags): what each does to the message and its case,
and who may."""

import pytest

from core.refusals import MessageRefused
from messaging.models import Message, MessageReport, ResponseState
from messaging.moderation.services.flags import (
    message_mark_no_response_needed,
    message_report,
    message_undo_no_response_needed,
)
from tests.factories import seller_user
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(seller):
    """A buyer-started case at `seller`, and a member who answers for the seller."""
    message = buyer_opens_case(seller=seller)
    return message.case, seller_user(seller)


def test_r15_no_response_needed_takes_the_message_out_and_can_be_undone(opened):
    case, member = opened
    message = case.messages.get()
    message_mark_no_response_needed(message=message, actor=member)
    message.refresh_from_db()
    case.refresh_from_db()
    assert message.response_state == ResponseState.NO_RESPONSE_NEEDED
    assert message.no_response_needed_by == member
    assert not case.needs_response
    assert case.has_no_response_needed

    message_undo_no_response_needed(message=message, actor=member)
    message.refresh_from_db()
    case.refresh_from_db()
    assert message.response_state == ResponseState.NEEDED
    assert case.needs_response
    assert not case.has_no_response_needed


def test_r15_undo_after_a_reply_counts_the_message_as_responded(opened):
    case, member = opened
    message = case.messages.get()
    message_mark_no_response_needed(message=message, actor=member)
    reply = seller_replies(case, member)
    message_undo_no_response_needed(message=message, actor=member)
    message.refresh_from_db()
    assert message.response_state == ResponseState.RESPONDED
    assert message.responded_at == reply.created_at


def test_r15_only_buyer_messages_can_be_marked(opened):
    case, member = opened
    reply = seller_replies(case, member)
    with pytest.raises(MessageRefused) as refused:
        message_mark_no_response_needed(message=reply, actor=member)
    assert refused.value.refusal.rule == "R15"


def test_r15_another_sellers_member_cannot_mark(opened, other_seller):
    case, _ = opened
    with pytest.raises(PermissionError):
        message_mark_no_response_needed(
            message=case.messages.get(), actor=seller_user(other_seller)
        )
    assert case.messages.get().response_state == ResponseState.NEEDED


def test_r16_reported_buyer_message_needs_no_response_and_stays(opened):
    case, member = opened
    message = case.messages.get()
    report = message_report(message=message, reporter=member, reason="abusive", details="Insults")
    assert report.status == MessageReport.Status.OPEN
    message.refresh_from_db()
    case.refresh_from_db()
    assert message.response_state == ResponseState.REPORTED
    assert not case.needs_response
    assert case.reported
    assert Message.objects.filter(pk=message.pk).exists()


def test_r16_a_message_is_reported_once_per_reporter(opened):
    case, member = opened
    message = case.messages.get()
    message_report(message=message, reporter=member, reason="spam")
    with pytest.raises(MessageRefused) as refused:
        message_report(message=message, reporter=member, reason="spam")
    assert refused.value.refusal.rule == "R16"
    assert MessageReport.objects.count() == 1


def test_r16_buyer_reports_a_seller_message_but_not_their_own(opened):
    case, member = opened
    reply = seller_replies(case, member)
    message_report(message=reply, reporter=case.buyer, reason="phishing")
    assert MessageReport.objects.get().reporter == case.buyer
    with pytest.raises(MessageRefused):
        message_report(
            message=case.messages.filter(direction="b2s").get(), reporter=case.buyer, reason="spam"
        )
