"""Issue 13: the unsearched inbox page on PostgreSQL is one statement of plain SQL
(`inbox_page_for_seller`). It must list the same cases, in the same order, with the same count,
pages and row values as the ORM form it stands in for (`capped_page(case_list_for_seller(...))`,
which searches and SQLite still use), under every filter."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from cases.models import INBOX_SUMMARY_FIELDS, Case, CaseStatus
from core.pagination import capped_page
from messaging import selectors
from tests.factories import CaseFactory, OrderFactory, seller_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL form is PostgreSQL's"),
]

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PAGES = [None, "1", "2", "3", "5", "999", "0", "-2", "x"]


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


def _seen(page):
    return (
        [
            (
                row.pk,
                *(getattr(row, name) for name in ("subject", "status", "buyer_alias")),
                row.order_number,
                row.assigned_to_id,
                *(getattr(row, name) for name in INBOX_SUMMARY_FIELDS),
                None if row.assigned_to is None else row.assigned_to.get_full_name(),
            )
            for row in page.object_list
        ],
        page.number,
        page.has_next,
        page.count,
        page.count_capped,
    )


@pytest.mark.parametrize("filter_key", [*selectors.INBOX_FILTERS, "no-such-filter"])
@pytest.mark.parametrize("count_cap", [1000, 9])
def test_the_sql_page_is_the_orm_page_under_every_filter(
    inbox, seller_owner, filter_key, count_cap
):
    for page_number in PAGES:
        orm = capped_page(
            selectors.case_list_for_seller(
                seller=inbox, filter_key=filter_key, member=seller_owner
            ),
            page_number,
            per_page=7,
            count_cap=count_cap,
        )
        sql = selectors.inbox_page_for_seller(
            seller=inbox,
            filter_key=filter_key,
            query="",
            member=seller_owner,
            page_number=page_number,
            per_page=7,
            count_cap=count_cap,
        )
        assert all(isinstance(row, selectors.InboxRow) for row in sql.object_list)
        assert _seen(sql) == _seen(orm), (filter_key, page_number)


def test_the_sql_page_holds_only_the_sellers_cases(inbox, other_seller, seller_owner):
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


def test_a_search_keeps_the_orm_form(inbox, seller_owner):
    alias = Case.objects.filter(seller=inbox).order_by("pk").first().buyer_alias
    page = selectors.inbox_page_for_seller(
        seller=inbox,
        filter_key="all",
        query=alias[:10],
        member=seller_owner,
        page_number=None,
        per_page=7,
        count_cap=200,
    )
    assert page.object_list
    assert all(isinstance(row, Case) for row in page.object_list)
