"""Cases and messages through the services: response needed (SPEC 3), R9, R24, R25, the case
summary (R15 and R16: tests/messaging/moderation/test_r15_r16_message_flags.py)."""

import pytest
from django.utils import timezone

from cases.models import CaseStatus, CaseTransition
from cases.policy import CASE_CLOSED_MSG
from cases.services import case_change_state_by_seller
from core.refusals import MessageRefused
from messaging.models import Message, ResponseState
from messaging.sending import services
from tests.factories import BuyerFactory, ProductFactory, SellerAccountFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(seller):
    """A buyer-started case at `seller`, and a member who answers for the seller."""
    message = buyer_opens_case(seller=seller)
    return message.case, seller_user(seller)


def test_buyer_message_needs_a_response_and_the_case_says_since_when(opened):
    case, _ = opened
    message = case.messages.get()
    assert message.response_state == ResponseState.NEEDED
    case.refresh_from_db()
    assert case.needs_response
    assert case.waiting_since == message.created_at
    assert case.status == CaseStatus.OPENED
    assert case.started_by == "buyer"
    assert case.buyer_alias == case.relationship.buyer_alias
    assert case.order_number == case.order.number
    assert list(case.transitions.values_list("from_status", "to_status", "cause")) == [
        ("", "opened", "buyer")
    ]


def test_seller_reply_answers_every_waiting_buyer_message_on_the_case(opened):
    case, member = opened
    buyer_replies(case, "Any news?")
    reply = seller_replies(case, member)
    states = set(case.messages.filter(direction="b2s").values_list("response_state", flat=True))
    assert states == {ResponseState.RESPONDED}
    assert all(m.responded_at == reply.created_at for m in case.messages.filter(direction="b2s"))
    case.refresh_from_db()
    assert not case.needs_response
    assert case.waiting_since is None
    assert case.responded
    assert case.has_sent
    assert case.latest_direction == "s2b"


def test_a_new_buyer_message_after_a_reply_needs_a_response_again(opened):
    case, member = opened
    seller_replies(case, member)
    later = buyer_replies(case, "One more question")
    case.refresh_from_db()
    assert case.needs_response
    assert case.waiting_since == later.created_at


def test_buyer_message_on_a_resolved_case_reopens_it(opened):
    case, member = opened
    case_change_state_by_seller(case=case, actor=member, to_status=CaseStatus.RESOLVED)
    buyer_replies(case, "It is still broken")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED
    last = CaseTransition.objects.filter(case=case).last()
    assert (last.from_status, last.to_status, last.cause, last.actor) == (
        "resolved",
        "opened",
        "buyer message",
        case.buyer,
    )


def test_every_transition_is_recorded_with_who_made_it(opened):
    case, member = opened
    case_change_state_by_seller(case=case, actor=member, to_status=CaseStatus.RESOLVED)
    case_change_state_by_seller(case=case, actor=member, to_status=CaseStatus.OPENED)
    case_change_state_by_seller(case=case, actor=member, to_status=CaseStatus.CLOSED)
    rows = list(case.transitions.values_list("from_status", "to_status", "actor"))
    assert rows == [
        ("", "opened", case.buyer_id),
        ("opened", "resolved", member.pk),
        ("resolved", "opened", member.pk),
        ("opened", "closed", member.pk),
    ]


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_r9_closed_case_takes_no_message_and_stores_nothing(opened, who):
    case, member = opened
    case_change_state_by_seller(case=case, actor=member, to_status=CaseStatus.CLOSED)
    before = Message.objects.count()
    write = (
        (lambda: buyer_replies(case, "Hello?"))
        if who == "buyer"
        else (lambda: seller_replies(case, member))
    )
    with pytest.raises(MessageRefused) as refused:
        write()
    assert refused.value.refusal.rule == "R9"
    assert refused.value.refusal.message == CASE_CLOSED_MSG
    assert Message.objects.count() == before


def test_r9_closed_case_cannot_be_reopened(opened):
    case, member = opened
    case_change_state_by_seller(case=case, actor=member, to_status=CaseStatus.CLOSED)
    with pytest.raises(MessageRefused) as refused:
        case_change_state_by_seller(case=case, actor=member, to_status=CaseStatus.OPENED)
    assert refused.value.refusal.rule == "R9"
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_r25_messages_cannot_be_deleted(opened):
    case, _ = opened
    message = case.messages.get()
    with pytest.raises(PermissionError):
        message.delete()
    with pytest.raises(PermissionError):
        Message.objects.filter(case=case).delete()
    assert Message.objects.filter(pk=message.pk).exists()


def test_case_summary_keeps_the_latest_message(opened):
    case, member = opened
    seller_replies(case, member, "We shipped it this morning.\n\nTracking follows.")
    case.refresh_from_db()
    assert case.latest_snippet == "We shipped it this morning. Tracking follows."
    assert case.message_count == 2
    assert case.latest_message_at <= timezone.now()


def test_closing_a_case_takes_it_out_of_response_needed(opened):
    case, member = opened
    case_change_state_by_seller(case=case, actor=member, to_status=CaseStatus.CLOSED)
    case.refresh_from_db()
    assert not case.needs_response
    assert case.messages.get().response_state == ResponseState.NEEDED


def test_r24_question_about_another_sellers_product_is_refused_and_nothing_stored():
    seller = SellerAccountFactory()
    alien = ProductFactory()
    with pytest.raises(PermissionError):
        services.message_send(
            sender=BuyerFactory(),
            seller=seller,
            order=None,
            product=alien,
            draft=services.Draft(subject="Hi", body_text="Is it in stock?"),
        )
    assert not Message.objects.exists()
