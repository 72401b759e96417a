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
