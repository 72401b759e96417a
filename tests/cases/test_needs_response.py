""" "Response Needed" (SPEC section 3): a buyer message waits for an answer and the case is not
closed. The database derives `needs_response` from the case row (a generated column), so every
way of writing the row agrees: messages, state changes, auto-close, a bulk load."""

from datetime import UTC, datetime, timedelta

from cases.models import Case, CaseStatus
from cases.services import case_change_state_by_seller, cases_auto_close
from tests.factories import CaseFactory, CaseTransitionFactory, MessageFactory
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _needs_response(case: Case) -> bool:
    return Case.objects.values_list("needs_response", flat=True).get(pk=case.pk)


def _in_hand_and_stored(case: Case) -> tuple[bool, bool]:
    """The flag on the object a service returned, and on the row."""
    return case.needs_response, _needs_response(case)


def test_a_waiting_buyer_message_needs_a_response_until_answered(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    assert _in_hand_and_stored(case) == (True, True)
    reply = seller_replies(case, seller_owner)
    assert _in_hand_and_stored(reply.case) == (False, False)
    again = buyer_replies(case)
    assert _in_hand_and_stored(again.case) == (True, True)


def test_a_closed_case_needs_none_while_its_message_still_waits(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    waiting_since = case.waiting_since
    resolved = case_change_state_by_seller(
        case=case, actor=seller_owner, to_status=CaseStatus.RESOLVED
    )
    assert _in_hand_and_stored(resolved) == (True, True)  # Resolved still takes a reply
    reopened = case_change_state_by_seller(
        case=case, actor=seller_owner, to_status=CaseStatus.OPENED
    )
    assert _in_hand_and_stored(reopened) == (True, True)
    closed = case_change_state_by_seller(case=case, actor=seller_owner, to_status=CaseStatus.CLOSED)
    assert _in_hand_and_stored(closed) == (False, False)
    assert Case.objects.get(pk=case.pk).waiting_since == waiting_since


def test_auto_close_clears_it(seller, settings):
    settings.CASE_AUTO_CLOSE_DAYS = 14
    case = CaseFactory(order__seller=seller, created_at=T0)
    MessageFactory(case=case, created_at=T0)
    assert _needs_response(case)
    assert cases_auto_close(now=T0 + timedelta(days=15)) == 1
    assert not _needs_response(case)


def test_any_write_of_the_row_agrees(seller):
    case = CaseFactory(order__seller=seller, waiting_since=T0)
    assert case.needs_response  # read back from the INSERT
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    assert not _needs_response(case)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.OPENED, waiting_since=None)
    assert not _needs_response(case)
    Case.objects.filter(pk=case.pk).update(waiting_since=T0)
    assert _needs_response(case)
    CaseTransitionFactory(case=case, to_status=CaseStatus.CLOSED)
    assert not _needs_response(case)
