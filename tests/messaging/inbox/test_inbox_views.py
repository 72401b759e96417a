"""The seller inbox over HTTP: its filters, search, rows, pages and query count."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.services import case_change_state_by_seller
from messaging.moderation.services.flags import message_mark_no_response_needed, message_report
from tests.clients import signed_in_client
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")


def _case_ids(response) -> list[int]:
    import re

    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', response.text)]


class TestInbox:
    def test_opens_on_response_needed_oldest_waiting_first(self, seller, seller_client):
        newer = buyer_opens_case(seller=seller).case
        older = buyer_opens_case(seller=seller).case
        Case.objects.filter(pk=older.pk).update(waiting_since=timezone.now() - timedelta(hours=30))
        response = seller_client.get(INBOX)
        assert response.status_code == HTTPStatus.OK
        assert "Buyer-Seller Messages" in response.text
        assert _case_ids(response) == [older.pk, newer.pk]
        assert 'id="case-list-title">Response Needed' in response.text

    def test_rows_show_alias_order_subject_snippet_and_deadline(self, seller, seller_client):
        message = buyer_opens_case(seller=seller, body="Can you ship it faster please?")
        case = message.case
        Case.objects.filter(pk=case.pk).update(waiting_since=timezone.now() - timedelta(hours=27))
        text = seller_client.get(INBOX).text
        assert case.buyer_alias in text
        assert case.order_number in text
        assert case.subject in text
        assert "Can you ship it faster please?" in text
        assert "overdue by 3 h" in text

    def test_deadline_shows_time_left_under_24_hours(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        Case.objects.filter(pk=case.pk).update(waiting_since=timezone.now() - timedelta(hours=19))
        assert "4 h left" in seller_client.get(INBOX).text

    def test_replied_case_leaves_response_needed_and_shows_under_responded(
        self, seller, seller_owner, seller_client
    ):
        case = buyer_opens_case(seller=seller).case
        seller_replies(case, seller_owner)
        assert case.pk not in _case_ids(seller_client.get(INBOX))
        assert case.pk in _case_ids(seller_client.get(INBOX, {"filter": "responded"}))
        assert case.pk in _case_ids(seller_client.get(INBOX, {"filter": "sent"}))
        assert case.pk in _case_ids(seller_client.get(INBOX, {"filter": "all"}))

    @pytest.mark.parametrize(
        ("filter_key", "expected"),
        [
            ("no-response-needed", "nrn"),
            ("reported", "reported"),
            ("opened", "waiting"),
            ("resolved", "resolved"),
            ("closed", "closed"),
        ],
    )
    def test_filters(self, seller, seller_owner, seller_client, filter_key, expected):
        cases = {name: buyer_opens_case(seller=seller).case for name in
                 ("waiting", "nrn", "reported", "resolved", "closed")}  # fmt: skip
        message_mark_no_response_needed(message=cases["nrn"].messages.get(), actor=seller_owner)
        message_report(
            message=cases["reported"].messages.get(), reporter=seller_owner, reason="spam"
        )
        case_change_state_by_seller(
            case=cases["resolved"], actor=seller_owner, to_status=CaseStatus.RESOLVED
        )
        case_change_state_by_seller(
            case=cases["closed"], actor=seller_owner, to_status=CaseStatus.CLOSED
        )
        ids = _case_ids(seller_client.get(INBOX, {"filter": filter_key}))
        assert cases[expected].pk in ids
        if filter_key in ("no-response-needed", "reported", "resolved", "closed"):
            assert ids == [cases[expected].pk]

    @pytest.mark.parametrize("field", ["alias", "order", "subject", "text"])
    def test_search(self, seller, seller_client, field):
        wanted = buyer_opens_case(
            seller=seller, body="The zipper of the jacket broke", subject="Broken zip"
        ).case
        other = buyer_opens_case(seller=seller, body="Where is my parcel").case
        query = {
            "alias": wanted.buyer_alias[:8],
            "order": wanted.order_number,
            "subject": "broken ZIP",
            "text": "ZIPPER",
        }[field]
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": query}))
        assert ids == [wanted.pk]
        assert other.pk not in ids

    def test_search_keeps_the_filter_and_ignores_other_sellers_messages(
        self, seller, other_seller, seller_owner, seller_client
    ):
        waiting = buyer_opens_case(seller=seller, body="My zipper broke").case
        answered = buyer_opens_case(seller=seller, body="The zipper is stuck").case
        seller_replies(answered, sender=seller_owner)
        buyer_opens_case(seller=other_seller, body="A zipper question elsewhere")
        assert _case_ids(seller_client.get(INBOX, {"q": "zipper"})) == [waiting.pk]
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": "zipper"}))
        assert sorted(ids) == sorted([waiting.pk, answered.pk])

    def test_only_own_cases(self, seller, other_seller, seller_client):
        mine = buyer_opens_case(seller=seller).case
        theirs = buyer_opens_case(seller=other_seller).case
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all"}))
        assert mine.pk in ids
        assert theirs.pk not in ids
        searched = seller_client.get(INBOX, {"filter": "all", "q": theirs.buyer_alias})
        assert _case_ids(searched) == []

    def test_unknown_filter_falls_back_to_response_needed(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        assert _case_ids(seller_client.get(INBOX, {"filter": "nonsense"})) == [case.pk]

    def test_htmx_gets_only_the_case_list(self, seller, seller_client):
        buyer_opens_case(seller=seller)
        response = seller_client.get(INBOX, {"filter": "all"}, HTTP_HX_REQUEST="true")
        assert 'id="case-list"' in response.text
        assert "<html" not in response.text


@pytest.mark.parametrize("rows", [3, 15])
def test_inbox_query_count_does_not_grow_with_rows(
    seller, seller_owner, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        buyer_opens_case(seller=seller)
    client = signed_in_client(seller_owner)
    # savepoint + release (ATOMIC_REQUESTS), session, user, membership with seller,
    # count for the paginator, one page of cases (summary columns only),
    # R4 "not delivered" notices with their message and case, R16 warnings from staff
    with django_assert_max_num_queries(9):
        response = client.get(INBOX)
    assert len(_case_ids(response)) == rows


def test_inbox_pages_hold_25_cases_with_next_and_previous(seller, seller_client):
    for _ in range(27):
        buyer_opens_case(seller=seller)
    first = seller_client.get(INBOX)
    assert len(_case_ids(first)) == 25
    assert "27 cases" in first.text
    assert "page=2" in first.text
    second = seller_client.get(INBOX, {"page": 2})
    assert len(_case_ids(second)) == 2
    assert not set(_case_ids(first)) & set(_case_ids(second))
