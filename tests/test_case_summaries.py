"""The inbox summary on the case row is computed in one place, set-based:
`cases.services.case_summaries_refresh`, which every service and the benchmark top-up call."""

import pytest

from cases.models import INBOX_SUMMARY_FIELDS, Case
from cases.services import case_summaries_refresh
from messaging import services
from tests.factories import seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies


def _summaries(ids: list[int]) -> dict[int, tuple]:
    return {
        case.pk: tuple(getattr(case, name) for name in INBOX_SUMMARY_FIELDS)
        for case in Case.objects.filter(pk__in=ids)
    }


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
            services.message_mark_no_response_needed(
                message=message.case.messages.order_by("-id").first(), actor=member
            )
        ids.append(message.case_id)
    return ids


@pytest.mark.parametrize("count", [1, 12])
def test_refresh_recomputes_what_the_services_stored_in_a_constant_number_of_queries(
    count, seller, django_assert_max_num_queries
):
    ids = _conversations(seller, count)
    expected = _summaries(ids)
    Case.objects.filter(pk__in=ids).update(
        needs_response=False,
        waiting_since=None,
        responded=False,
        has_sent=False,
        message_count=0,
        latest_snippet="stale",
        buyer_latest_snippet="stale",
    )
    with django_assert_max_num_queries(2):
        assert case_summaries_refresh(ids) == count
    assert _summaries(ids) == expected


def test_refresh_in_batches_covers_every_case(seller, settings, monkeypatch):
    from cases import services as case_services

    ids = _conversations(seller, 5)
    expected = _summaries(ids)
    Case.objects.filter(pk__in=ids).update(message_count=0, latest_snippet="")
    monkeypatch.setattr(case_services, "SUMMARY_BATCH_SIZE", 2)
    assert case_summaries_refresh(ids) == 5
    assert _summaries(ids) == expected


def test_the_one_statement_form_equals_the_orm_form(seller):
    """On PostgreSQL the summary is one UPDATE computed by the database (issue 13: a fifth of the
    cost per message); the ORM form (`_summaries` + `_apply_summary`, used on other databases)
    is the reference. Every column must come out the same, including snippets of text with
    Unicode spaces, blocked and reported messages, and a closed case."""
    from django.db import connection

    from cases import services as case_services
    from cases.models import CaseStatus
    from messaging.models import Direction, Outcome, ResponseState
    from tests.factories import CaseFactory, MessageFactory

    if connection.vendor != "postgresql":
        pytest.skip("the one-statement form is PostgreSQL's")
    ids = _conversations(seller, 6)
    spaced = CaseFactory(order__seller=seller)
    MessageFactory(case=spaced, body_text="  Where\u00a0is\tmy\u2028parcel?\n\n  Thanks\u3000 ")
    blocked = CaseFactory(order__seller=seller, started_by=Case.StartedBy.SELLER)
    MessageFactory(
        case=blocked,
        direction=Direction.SELLER_TO_BUYER,
        outcome=Outcome.BLOCKED,
        outcome_rule="R2",
        body_text="A proactive note",
    )
    reported = CaseFactory(order__seller=seller)
    MessageFactory(case=reported, response_state=ResponseState.REPORTED, body_text="Spam " * 60)
    closed = CaseFactory(order__seller=seller, status=CaseStatus.CLOSED)
    MessageFactory(case=closed, body_text="Too late?")
    ids += [spaced.pk, blocked.pk, reported.pk, closed.pk]

    case_summaries_refresh(ids)
    by_sql = _summaries(ids)
    Case.objects.filter(pk__in=ids).update(message_count=0, latest_snippet="", needs_response=True)
    case_services._refresh(case_services._summaries(ids))
    assert _summaries(ids) == by_sql
    assert by_sql[spaced.pk][INBOX_SUMMARY_FIELDS.index("latest_snippet")] == (
        "Where is my parcel? Thanks"
    )
    assert by_sql[closed.pk][INBOX_SUMMARY_FIELDS.index("needs_response")] is False

    # One case at a time (every message) takes the same statement, and updates the case in hand.
    case = Case.objects.get(pk=spaced.pk)
    case.latest_snippet = "stale"
    case_services.case_summary_refresh(case)
    assert case.latest_snippet == "Where is my parcel? Thanks"
