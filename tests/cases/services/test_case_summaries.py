"""The inbox summary on the case row is computed by one SQL statement,
`cases.services.case_summaries_refresh` (and its per-message and id-range forms), which every
service and the bulk loaders call. Expected values come from the messages the factories write."""

from datetime import UTC, datetime, timedelta

import pytest

from cases.models import INBOX_SUMMARY_FIELDS, Case, CaseStatus
from cases.services import case_summaries_refresh, case_summaries_refresh_id_range
from cases.services import summary as case_summary
from messaging.models import Direction, Outcome, ResponseState
from messaging.moderation.services.flags import message_mark_no_response_needed
from tests.factories import CaseFactory, MessageFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)

STALE = {
    "waiting_since": T0 - timedelta(days=9),
    "responded": True,
    "has_no_response_needed": True,
    "has_sent": True,
    "reported": True,
    "message_count": 99,
    "latest_message_at": T0 - timedelta(days=9),
    "latest_direction": "s2b",
    "latest_snippet": "stale",
    "latest_blocked_rule": "R9",
    "buyer_latest_at": T0 - timedelta(days=9),
    "buyer_latest_snippet": "stale",
}


def _summary(pk: int) -> dict:
    return Case.objects.values(*INBOX_SUMMARY_FIELDS).get(pk=pk)


def _stale(ids: list[int]) -> None:
    Case.objects.filter(pk__in=ids).update(**STALE)


def _summarized(seller) -> dict[str, Case]:
    """A case of each kind, written by the factories at known moments."""
    waiting = CaseFactory(order__seller=seller)
    MessageFactory(case=waiting, created_at=T0, body_text="Where is my parcel?")
    MessageFactory(case=waiting, created_at=T0 + MINUTE, body_text="  Still\u00a0waiting\n\t? ")

    answered = CaseFactory(order__seller=seller)
    MessageFactory(
        case=answered, created_at=T0, response_state=ResponseState.RESPONDED, body_text="Hi?"
    )
    MessageFactory(
        case=answered,
        direction=Direction.SELLER_TO_BUYER,
        created_at=T0 + MINUTE,
        body_text="It ships today.",
    )

    blocked = CaseFactory(order__seller=seller)
    MessageFactory(
        case=blocked,
        created_at=T0,
        response_state=ResponseState.NO_RESPONSE_NEEDED,
        body_text="Thanks, all good.",
    )
    MessageFactory(
        case=blocked,
        direction=Direction.SELLER_TO_BUYER,
        outcome=Outcome.BLOCKED,
        outcome_rule="R2",
        created_at=T0 + MINUTE,
        body_text="A proactive note",
    )

    rejected = CaseFactory(order__seller=seller, started_by=Case.StartedBy.SELLER)
    MessageFactory(
        case=rejected,
        direction=Direction.SELLER_TO_BUYER,
        outcome=Outcome.REJECTED,
        created_at=T0,
        body_text="Refused",
    )

    reported = CaseFactory(order__seller=seller)
    MessageFactory(
        case=reported, created_at=T0, response_state=ResponseState.REPORTED, body_text="Spam " * 60
    )

    closed = CaseFactory(order__seller=seller, status=CaseStatus.CLOSED)
    MessageFactory(case=closed, created_at=T0, body_text="Too late?")

    empty = CaseFactory(order__seller=seller)
    return {
        "waiting": waiting,
        "answered": answered,
        "blocked": blocked,
        "rejected": rejected,
        "reported": reported,
        "closed": closed,
        "empty": empty,
    }


EXPECTED = {
    "waiting": {
        "needs_response": True,
        "waiting_since": T0,
        "message_count": 2,
        "latest_message_at": T0 + MINUTE,
        "latest_direction": "b2s",
        "latest_snippet": "Still waiting ?",
        "buyer_latest_at": T0 + MINUTE,
        "buyer_latest_snippet": "Still waiting ?",
    },
    "answered": {
        "responded": True,
        "has_sent": True,
        "message_count": 2,
        "latest_message_at": T0 + MINUTE,
        "latest_direction": "s2b",
        "latest_snippet": "It ships today.",
        "buyer_latest_at": T0 + MINUTE,
        "buyer_latest_snippet": "It ships today.",
    },
    # The buyer never saw the blocked message: their message center shows their own.
    "blocked": {
        "has_no_response_needed": True,
        "has_sent": True,
        "message_count": 2,
        "latest_message_at": T0 + MINUTE,
        "latest_direction": "s2b",
        "latest_snippet": "A proactive note",
        "latest_blocked_rule": "R2",
        "buyer_latest_at": T0,
        "buyer_latest_snippet": "Thanks, all good.",
    },
    # Without a named rule, the outcome stands for it; the buyer sees nothing of the case.
    "rejected": {
        "has_sent": True,
        "message_count": 1,
        "latest_message_at": T0,
        "latest_direction": "s2b",
        "latest_snippet": "Refused",
        "latest_blocked_rule": "rejected",
        "buyer_latest_at": None,
        "buyer_latest_snippet": "",
    },
    "reported": {
        "reported": True,
        "message_count": 1,
        "latest_message_at": T0,
        "latest_direction": "b2s",
        "latest_snippet": ("Spam " * 32)[:160],
        "buyer_latest_at": T0,
        "buyer_latest_snippet": ("Spam " * 32)[:160],
    },
    # Still waiting for an answer, but a closed case takes none.
    "closed": {
        "needs_response": False,
        "waiting_since": T0,
        "message_count": 1,
        "latest_message_at": T0,
        "latest_direction": "b2s",
        "latest_snippet": "Too late?",
        "buyer_latest_at": T0,
        "buyer_latest_snippet": "Too late?",
    },
    "empty": {},
}
NOTHING = {
    "needs_response": False,
    "waiting_since": None,
    "responded": False,
    "has_no_response_needed": False,
    "has_sent": False,
    "reported": False,
    "message_count": 0,
    "latest_message_at": None,
    "latest_direction": "",
    "latest_snippet": "",
    "latest_blocked_rule": "",
    "buyer_latest_at": None,
    "buyer_latest_snippet": "",
}


def test_the_summary_of_each_kind_of_case_comes_from_its_messages(
    seller, django_assert_num_queries
):
    cases = _summarized(seller)
    for name, case in cases.items():
        assert _summary(case.pk) == NOTHING | EXPECTED[name], name
    _stale([c.pk for c in cases.values()])
    with django_assert_num_queries(1):
        assert case_summaries_refresh(c.pk for c in cases.values()) == len(cases)
    for name, case in cases.items():
        assert _summary(case.pk) == NOTHING | EXPECTED[name], name


def test_the_id_range_form_writes_the_same_summaries(seller, django_assert_num_queries):
    cases = _summarized(seller)
    _stale([c.pk for c in cases.values()])
    ids = sorted(c.pk for c in cases.values())
    with django_assert_num_queries(1):
        assert case_summaries_refresh_id_range(ids[0], ids[-1]) == len(ids)
    for name, case in cases.items():
        assert _summary(case.pk) == NOTHING | EXPECTED[name], name


def test_a_refresh_stamps_the_case_and_leaves_its_activity(seller):
    case = CaseFactory(order__seller=seller, last_activity_at=T0)
    MessageFactory(case=case, created_at=T0)
    Case.objects.filter(pk=case.pk).update(summary_changed_at=None)
    case_summaries_refresh([case.pk])
    row = Case.objects.get(pk=case.pk)
    assert row.summary_changed_at is not None
    assert row.last_activity_at == T0


def _conversations(seller, count: int) -> list[int]:
    member = seller_user(seller)
    ids = []
    for n in range(count):
        message = buyer_opens_case(seller=seller, body=f"Question {n}")
        if n % 3 == 1:
            seller_replies(message.case, member, body=f"Answer {n}")
        if n % 3 == 2:
            seller_replies(message.case, member)
            buyer_replies(message.case, body=f"Thanks {n}")
            message_mark_no_response_needed(
                message=message.case.messages.order_by("-id").first(), actor=member
            )
        ids.append(message.case_id)
    return ids


@pytest.mark.parametrize("count", [1, 12])
def test_refresh_recomputes_what_the_services_stored_in_one_statement(
    count, seller, django_assert_num_queries
):
    ids = _conversations(seller, count)
    expected = {pk: _summary(pk) for pk in ids}
    _stale(ids)
    with django_assert_num_queries(1):
        assert case_summaries_refresh(ids) == count
    assert {pk: _summary(pk) for pk in ids} == expected


def test_refresh_in_batches_covers_every_case(seller, monkeypatch, django_assert_num_queries):
    ids = _conversations(seller, 5)
    expected = {pk: _summary(pk) for pk in ids}
    _stale(ids)
    monkeypatch.setattr(case_summary, "SUMMARY_BATCH_SIZE", 2)
    with django_assert_num_queries(3):
        assert case_summaries_refresh(ids) == 5
    assert {pk: _summary(pk) for pk in ids} == expected


def test_a_message_updates_the_summary_of_the_case_in_hand(seller, seller_owner):
    case = buyer_opens_case(seller=seller, body="Where\u2028is it?").case
    assert case.needs_response
    assert case.latest_snippet == "Where is it?"
    reply = seller_replies(case, seller_owner, body="On its way.")
    assert reply.case.latest_snippet == "On its way."
    assert not reply.case.needs_response
    assert reply.case.summary_changed_at is not None
    fresh = Case.objects.get(pk=case.pk)
    for name in (*INBOX_SUMMARY_FIELDS, "summary_changed_at", "last_activity_at"):
        assert getattr(reply.case, name) == getattr(fresh, name), name
