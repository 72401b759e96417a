"""Inbox search can go two ways in its one statement: a walk of the listed cases that looks into
each (cheap for a common word), or trigram index lookups (cheap for a rare text). Both find the
same cases in the same order; the newest cases of the list decide which one runs, whatever the
table statistics say."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from messaging.inbox import selectors
from tests.factories import OrderFactory
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db


def _force(monkeypatch, way: str) -> None:
    """Make the sample pick `way`: every sample walks when no match is needed; a sample of no
    case, needing one match, never does."""
    if way == "walk":
        monkeypatch.setattr(selectors, "INBOX_SEARCH_WALK_HITS", 0)
    else:
        monkeypatch.setattr(selectors, "INBOX_SEARCH_SAMPLE", 0)
        monkeypatch.setattr(selectors, "INBOX_SEARCH_WALK_HITS", 1)


def _page(seller, member, query, filter_key="all", per_page=100):
    return selectors.inbox_page_for_seller(
        seller=seller,
        filter_key=filter_key,
        query=query,
        member=member,
        page_number=None,
        per_page=per_page,
        count_cap=selectors.INBOX_SEARCH_COUNT_CAP,
    )


def _ids(seller, member, query, filter_key="all"):
    return [row.pk for row in _page(seller, member, query, filter_key).object_list]


def _plan(seller, member, query, filter_key="all", per_page=100) -> dict:
    """The plan of the statement the page ran, as it ran (EXPLAIN ANALYZE)."""
    with CaptureQueriesContext(connection) as captured:
        _page(seller, member, query, filter_key, per_page)
    statement = captured.captured_queries[0]["sql"]  # the page's (a second counts, if empty)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}")
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _ways(plan: dict) -> dict[str, dict]:
    """The statement's two ways, by name: the plan nodes under their one-time filters, the
    walk's in the `walked` WITH (what the sample decided), the lookup's under NOT (what the
    walk left undecided)."""
    found = {}
    nodes = [(plan, False)]
    while nodes:
        node, in_walk = nodes.pop()
        in_walk = in_walk or node.get("Subplan Name") == "CTE walked"
        if "One-Time Filter" in node:
            if in_walk:
                found["walk"] = node["Plans"][0]
            elif "NOT" in node["One-Time Filter"]:
                found["lookup"] = node["Plans"][0]
        nodes.extend((child, in_walk) for child in node.get("Plans", []))
    return found


def _ways_run(seller, member, query, filter_key="all") -> dict[str, bool]:
    """Which of the two ways ran ({"walk": …, "lookup": …}): a way not taken is never
    executed."""
    ways = _ways(_plan(seller, member, query, filter_key))
    return {name: node["Actual Loops"] > 0 for name, node in ways.items()}


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


def _in_filter_order(seller, filter_key, wanted):
    """The ids of the seller's cases in `wanted` that the filter lists, in its order."""
    _, condition, ordering = selectors.INBOX_FILTERS[filter_key]
    cases = Case.objects.filter(seller=seller, id__in=[case.pk for case in wanted])
    keep = {
        "all": lambda case: True,
        "response-needed": lambda case: case.needs_response,
        "responded": lambda case: case.responded,
    }[filter_key]
    kept = [case for case in cases if keep(case)]
    if filter_key == "response-needed":
        return [case.pk for case in sorted(kept, key=lambda c: (c.waiting_since, c.pk))]
    return [
        case.pk for case in sorted(kept, key=lambda c: (c.latest_message_at, c.pk), reverse=True)
    ]


@pytest.mark.parametrize("way", ["walk", "lookup"])
@pytest.mark.parametrize("filter_key", ["all", "response-needed", "responded"])
def test_both_ways_find_the_cases_whose_texts_hold_the_query(
    inbox, seller, seller_owner, monkeypatch, filter_key, way
):
    first, second, third = inbox
    order_number = second.order_number
    digits = order_number.replace("-", "")
    found_by = {
        "parcel": inbox,  # a first message, a subject, a later buyer message, a seller reply
        "PARCEL": inbox,
        "Refund": [third],
        "ships today": [first],
        third.buyer_alias: [third],
        third.buyer_alias.upper(): [third],
        third.buyer_alias[:6]: [third],
        order_number: [second],
        digits: [second],
        digits[5:12]: [second],
        "nothing like this": [],
        "%": [],
        "_": [],
    }
    _force(monkeypatch, way)
    for query, wanted in found_by.items():
        expected = _in_filter_order(seller, filter_key, wanted)
        assert _ids(seller, seller_owner, query, filter_key) == expected, query
        assert _ways_run(seller, seller_owner, query, filter_key)[way], query


def test_a_few_cases_are_walked(inbox, seller, seller_owner):
    """Fewer cases than the sample: the sample holds them all, and the walk looks no further."""
    assert _ways_run(seller, seller_owner, "heliotrope") == {"walk": True, "lookup": False}
    assert _ways_run(seller, seller_owner, "parcel") == {"walk": True, "lookup": False}


def test_the_newest_cases_decide_between_walk_and_lookup(seller, seller_owner, monkeypatch):
    """A sample of the 4 newest cases; 2 matches among them make the search walk on."""
    monkeypatch.setattr(selectors, "INBOX_SEARCH_SAMPLE", 4)
    monkeypatch.setattr(selectors, "INBOX_SEARCH_WALK_HITS", 2)
    rare = buyer_opens_case(seller=seller, body="A heliotrope scarf").case
    for n in range(6):
        buyer_opens_case(seller=seller, body="Where is my parcel?" if n % 2 else "Hello")
    assert _ways_run(seller, seller_owner, "parcel") == {"walk": True, "lookup": False}
    assert _ways_run(seller, seller_owner, "heliotrope") == {"walk": False, "lookup": True}
    assert _ids(seller, seller_owner, "heliotrope") == [rare.pk]
    assert len(_ids(seller, seller_owner, "parcel")) == 3
    # One match among the newest four: rare enough to look up.
    monkeypatch.setattr(selectors, "INBOX_SEARCH_WALK_HITS", 3)
    assert _ways_run(seller, seller_owner, "parcel") == {"walk": False, "lookup": True}
    assert len(_ids(seller, seller_owner, "parcel")) == 3


def test_the_walk_stops_with_the_page_and_the_count(seller, seller_owner, monkeypatch):
    """Every case matches: the walk looks into the cases the capped count needs (its cap + 1),
    not into every case, and the count says "more than the cap"."""
    monkeypatch.setattr(selectors, "INBOX_SEARCH_COUNT_CAP", 5)
    monkeypatch.setattr(selectors, "INBOX_SEARCH_SAMPLE", 2)
    monkeypatch.setattr(selectors, "INBOX_SEARCH_WALK_HITS", 1)
    for _ in range(12):
        buyer_opens_case(seller=seller, body="Where is my parcel?")
    page = _page(seller, seller_owner, "parcel", per_page=3)
    assert (len(page.object_list), page.count, page.count_capped) == (3, 5, True)
    assert page.has_next
    walk = _ways(_plan(seller, seller_owner, "parcel", per_page=3))["walk"]
    assert (walk["Actual Rows"], walk.get("Rows Removed by Filter", 0)) == (6, 0)


def test_a_word_common_only_among_the_newest_cases_is_looked_up_after_a_short_walk(
    seller, seller_owner, monkeypatch
):
    """The two newest cases match, so the search walks; the walk looks into at most 3 cases (1
    per case the capped count and the page need: a count cap of 2, pages of 2) and finds only
    2 there, so the lookup runs and finds the older match too."""
    monkeypatch.setattr(selectors, "INBOX_SEARCH_COUNT_CAP", 2)
    monkeypatch.setattr(selectors, "INBOX_SEARCH_SAMPLE", 2)
    monkeypatch.setattr(selectors, "INBOX_SEARCH_WALK_HITS", 1)
    monkeypatch.setattr(selectors, "INBOX_SEARCH_WALK_CASES", 1)
    oldest = buyer_opens_case(seller=seller, body="A heliotrope scarf").case
    for _ in range(4):
        buyer_opens_case(seller=seller, body="Hello")
    newest = [buyer_opens_case(seller=seller, body="More heliotrope").case for _ in range(2)]
    plan = _plan(seller, seller_owner, "heliotrope", per_page=2)
    assert {name: node["Actual Loops"] > 0 for name, node in _ways(plan).items()} == {
        "walk": True,
        "lookup": True,
    }
    page = _page(seller, seller_owner, "heliotrope", per_page=2)
    assert [row.pk for row in page.object_list] == [newest[1].pk, newest[0].pk]
    assert (page.count, page.count_capped, page.has_next) == (2, True, True)
    assert _ids(seller, seller_owner, "heliotrope") == [newest[1].pk, newest[0].pk, oldest.pk]


def test_the_walk_looks_into_each_case_and_never_hashes_every_match(
    inbox, seller, seller_owner, monkeypatch
):
    """The scalar subquery runs per case walked (it stops with the page); an EXISTS under OR
    would be a hashed SubPlan that reads every matching message first."""
    _force(monkeypatch, "walk")
    with CaptureQueriesContext(connection) as captured:
        _page(seller, seller_owner, "parcel")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {captured.captured_queries[0]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "SubPlan" in plan
    assert "hashed SubPlan" not in plan


@pytest.mark.parametrize("way", ["walk", "lookup"])
def test_another_sellers_cases_are_never_found(
    inbox, seller, seller_owner, other_seller, monkeypatch, way
):
    theirs = OrderFactory(seller=other_seller)
    buyer_opens_case(order=theirs, body="unique-word-xyz", subject="Theirs only")
    _force(monkeypatch, way)
    assert _ids(seller, seller_owner, "unique-word-xyz") == []
    assert _ids(seller, seller_owner, "Theirs only") == []
    assert _ids(seller, seller_owner, theirs.number) == []
    assert _ids(seller, seller_owner, "parcel") == _in_filter_order(seller, "all", inbox)
