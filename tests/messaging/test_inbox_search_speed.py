"""Issue 13: inbox search goes one of two ways (index lookups for a rare text, a walk of the cases
newest first for a common word); both find the same cases in the same order, and PostgreSQL's
estimate picks the way."""

import pytest
from django.db import connection

from cases.models import Case
from messaging import selectors
from messaging.models import Message
from tests.factories import OrderFactory
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies


def _ids(seller, query, *, walk, monkeypatch, filter_key="all"):
    monkeypatch.setattr(selectors, "_common_in_messages", lambda *args, **kwargs: walk)
    cases = selectors.case_list_for_seller(seller=seller, filter_key=filter_key, query=query)
    return list(cases.values_list("id", flat=True))


@pytest.fixture
def inbox(seller, seller_owner, other_seller):
    """Cases whose texts differ: a word only in a later message, one only in a subject, one in
    the alias, an order ID, and another seller's case saying the same words."""
    first = buyer_opens_case(seller=seller, body="Where is my parcel?", subject="Delivery")
    second = buyer_opens_case(seller=seller, body="Wrong size", subject="Parcel damaged")
    third = buyer_opens_case(seller=seller, body="Hello", subject="Refund please")
    buyer_replies(third.case, body="The PARCEL never came")
    seller_replies(first.case, seller_owner, body="Your parcel ships today")
    buyer_opens_case(seller=seller, body="Nothing in common", subject="Invoice")
    buyer_opens_case(seller=other_seller, body="Where is my parcel?", subject="Parcel")
    return [first.case, second.case, third.case]


@pytest.mark.parametrize("filter_key", ["all", "response-needed", "responded"])
def test_both_ways_find_the_same_cases_in_the_same_order(inbox, seller, monkeypatch, filter_key):
    order_number = inbox[1].order_number
    alias = inbox[2].buyer_alias
    queries = [
        "parcel",
        "PARCEL",
        "Refund",
        "ships today",
        alias,
        alias[:6],
        order_number,
        order_number.replace("-", ""),
        order_number.replace("-", "")[5:12],
        "nothing like this",
        "%",
        "_",
    ]
    for query in queries:
        lookup = _ids(seller, query, walk=False, monkeypatch=monkeypatch, filter_key=filter_key)
        walk = _ids(seller, query, walk=True, monkeypatch=monkeypatch, filter_key=filter_key)
        assert lookup == walk, query


def test_a_word_in_any_message_of_the_case_finds_it_either_way(inbox, seller, monkeypatch):
    for walk in (False, True):
        found = _ids(seller, "parcel", walk=walk, monkeypatch=monkeypatch)
        assert set(found) == {case.id for case in inbox}  # body, subject, a later message
        assert Case.objects.filter(id__in=found).exclude(seller=seller).count() == 0


def test_sqlite_always_takes_the_index_lookup_way(seller):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    messages = Message.objects.filter(seller=seller, body_text__icontains="parcel")
    assert selectors._common_in_messages(messages, seller=seller) is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's estimates")
@pytest.mark.parametrize(
    ("matching", "cases", "walk"),
    [(20_000, 20_000, True), (100_000, 100_000, True), (500, 100_000, False), (3, 5, False)],
)
def test_postgresql_walks_the_cases_only_for_a_common_word(
    seller, monkeypatch, matching, cases, walk
):
    estimates = iter([matching, cases])
    monkeypatch.setattr(selectors, "_planned_rows", lambda queryset: next(estimates))
    messages = Message.objects.filter(seller=seller, body_text__icontains="parcel")
    assert selectors._common_in_messages(messages, seller=seller) is walk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_postgresql_estimate_is_read_from_a_plan_not_a_query(inbox, seller):
    rows = selectors._planned_rows(Message.objects.filter(seller=seller).order_by())
    assert rows >= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_the_walk_looks_into_each_case_and_never_hashes_every_match(inbox, seller, monkeypatch):
    """The scalar subquery runs per case walked (it stops with the page); an EXISTS under OR
    would be a hashed SubPlan that reads every matching message first."""
    monkeypatch.setattr(selectors, "_common_in_messages", lambda *args, **kwargs: True)
    plan = selectors.case_list_for_seller(seller=seller, filter_key="all", query="parcel")[
        :26
    ].explain()
    assert "SubPlan" in plan
    assert "hashed SubPlan" not in plan


def test_another_sellers_cases_are_never_found(inbox, seller, other_seller, monkeypatch):
    theirs = OrderFactory(seller=other_seller)
    buyer_opens_case(order=theirs, body="unique-word-xyz")
    for walk in (False, True):
        assert _ids(seller, "unique-word-xyz", walk=walk, monkeypatch=monkeypatch) == []
