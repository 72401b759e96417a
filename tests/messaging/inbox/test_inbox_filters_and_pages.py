"""The inbox page (`inbox_page_for_seller`), one statement of plain SQL: under every filter it
lists the seller's cases the filter keeps, in the filter's order, with the capped count, the
page asked for and each row's values; expected values come from the factories' cases."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from cases.models import INBOX_SUMMARY_FIELDS, Case, CaseStatus
from core.pagination import page_number_for
from messaging.inbox import selectors
from tests.factories import CaseFactory, OrderFactory, seller_user

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PAGES = [None, "1", "2", "3", "5", "999", "0", "-2", "x"]
PER_PAGE = 7


@pytest.fixture
def inbox(seller, seller_owner, other_seller):
    """Cases with every flag, state and owner; ties in both orderings (the id breaks them) and
    cases without any message (no latest message, no waiting time)."""
    rng = random.Random(13)
    bob = seller_user(seller, user__full_name="Bob Baker")
    nameless = seller_user(seller, user__full_name="")
    owners = [None, None, seller_owner, bob, nameless]
    for n in range(46):
        needs = rng.random() < 0.4
        latest = None if n % 11 == 0 else T0 + timedelta(hours=rng.choice([1, 2, 3, 5, 8]))
        CaseFactory(
            order=OrderFactory(seller=seller) if n % 4 else None,
            relationship__seller=seller,
            status=rng.choice(list(CaseStatus.values)),
            assigned_to=rng.choice(owners),
            needs_response=needs,
            waiting_since=T0 + timedelta(minutes=rng.choice([0, 10, 20])) if needs else None,
            responded=rng.random() < 0.5,
            has_no_response_needed=rng.random() < 0.3,
            has_sent=rng.random() < 0.5,
            reported=rng.random() < 0.2,
            message_count=rng.randint(0, 9),
            latest_message_at=latest,
            latest_direction=rng.choice(["b2s", "s2b"]) if latest else "",
            latest_snippet=f"snippet <{n}> & more" if latest else "",
            latest_blocked_rule=rng.choice(["", "", "R2"]),
            buyer_latest_at=latest,
            buyer_latest_snippet=f"buyer {n}" if latest else "",
        )
    CaseFactory.create_batch(3, order__seller=other_seller, needs_response=True, waiting_since=T0)
    return seller


# What each filter keeps, and its order: Response Needed the longest waiting first, the others
# the latest message first (cases without one before all others); the id breaks ties.
KEEPS = {
    "response-needed": lambda case, member: case.needs_response,
    "assigned-to-me": lambda case, member: case.assigned_to_id == member.pk,
    "unassigned": lambda case, member: case.assigned_to_id is None,
    "all": lambda case, member: True,
    "no-response-needed": lambda case, member: case.has_no_response_needed,
    "responded": lambda case, member: case.responded,
    "sent": lambda case, member: case.has_sent,
    "reported": lambda case, member: case.reported,
    "opened": lambda case, member: case.status == CaseStatus.OPENED,
    "resolved": lambda case, member: case.status == CaseStatus.RESOLVED,
    "closed": lambda case, member: case.status == CaseStatus.CLOSED,
}


def _in_order(filter_key: str, cases: list[Case]) -> list[Case]:
    if filter_key == "response-needed":
        return sorted(cases, key=lambda case: (case.waiting_since, case.pk))
    return sorted(
        cases,
        key=lambda case: (case.latest_message_at is None, case.latest_message_at or T0, case.pk),
        reverse=True,
    )


def _values(row) -> tuple:
    return (
        row.pk,
        *(getattr(row, name) for name in ("subject", "status", "buyer_alias")),
        row.order_number,
        row.assigned_to_id,
        *(getattr(row, name) for name in INBOX_SUMMARY_FIELDS),
        None if row.assigned_to is None else row.assigned_to.get_full_name(),
    )


def _expected(cases: list[Case], page_number, *, count_cap: int) -> tuple:
    """The page of `cases` (in order) as capped pagination shows it."""
    counted = min(len(cases), count_cap + 1)
    number = page_number_for(page_number, count=counted, per_page=PER_PAGE, count_cap=count_cap)
    offset = (number - 1) * PER_PAGE
    rows = [_values(case) for case in cases[offset : offset + PER_PAGE]]
    has_next = len(cases) > offset + PER_PAGE
    return rows, number, has_next, min(counted, count_cap), counted > count_cap


def _seen(page) -> tuple:
    rows = [_values(row) for row in page.object_list]
    return rows, page.number, page.has_next, page.count, page.count_capped


@pytest.mark.parametrize("filter_key", [*selectors.INBOX_FILTERS, "no-such-filter"])
@pytest.mark.parametrize("count_cap", [1000, 9])
def test_every_filter_lists_its_cases_in_its_order_page_by_page(
    inbox, seller_owner, filter_key, count_cap
):
    applied = filter_key if filter_key in KEEPS else selectors.DEFAULT_INBOX_FILTER
    cases = Case.objects.filter(seller=inbox).select_related("assigned_to")
    kept = _in_order(applied, [case for case in cases if KEEPS[applied](case, seller_owner)])
    assert kept or applied in ("assigned-to-me",)
    for page_number in PAGES:
        page = selectors.inbox_page_for_seller(
            seller=inbox,
            filter_key=filter_key,
            query="",
            member=seller_owner,
            page_number=page_number,
            per_page=PER_PAGE,
            count_cap=count_cap,
        )
        assert all(isinstance(row, selectors.InboxRow) for row in page.object_list)
        expected = _expected(kept, page_number, count_cap=count_cap)
        assert _seen(page) == expected, (filter_key, page_number)


def test_the_page_holds_only_the_sellers_cases(inbox, other_seller, seller_owner):
    theirs = set(Case.objects.filter(seller=other_seller).values_list("pk", flat=True))
    page = selectors.inbox_page_for_seller(
        seller=inbox,
        filter_key="all",
        query="",
        member=seller_owner,
        page_number=None,
        per_page=100,
        count_cap=1000,
    )
    assert len(page.object_list) == 46
    assert not theirs & {row.pk for row in page.object_list}


def test_an_empty_inbox_is_one_empty_page(seller, seller_owner):
    page = selectors.inbox_page_for_seller(
        seller=seller,
        filter_key="response-needed",
        query="",
        member=seller_owner,
        page_number="4",
        per_page=25,
        count_cap=1000,
    )
    assert (page.object_list, page.number, page.count, page.has_next) == ([], 1, 0, False)


@pytest.mark.parametrize("filter_key", ["all", "response-needed", "closed"])
@pytest.mark.parametrize("count_cap", [200, 9])
def test_a_search_lists_its_matches_as_the_filter_orders_them(
    inbox, seller_owner, filter_key, count_cap
):
    """Every case of the seller is found by the part of the alias domain they all share; the
    search keeps the filter's cases and order, the capped count and the pages."""
    cases = Case.objects.filter(seller=inbox).select_related("assigned_to")
    kept = _in_order(filter_key, [case for case in cases if KEEPS[filter_key](case, seller_owner)])
    domain = kept[0].buyer_alias.partition("@")[2]
    for page_number in PAGES:
        page = selectors.inbox_page_for_seller(
            seller=inbox,
            filter_key=filter_key,
            query=domain.upper(),
            member=seller_owner,
            page_number=page_number,
            per_page=PER_PAGE,
            count_cap=count_cap,
        )
        assert all(isinstance(row, selectors.InboxRow) for row in page.object_list)
        assert _seen(page) == _expected(kept, page_number, count_cap=count_cap), page_number
