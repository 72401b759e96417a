"""Manage Orders is one plain statement (the capped count and the page's orders with their buyer
alias; with a search, the matching orders first). Each page shows the seller's orders the
factories made, newest first, under every status, search and page number, with the count
capped; the order report lists the same orders as the page, unpaged."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Relationship
from core.pagination import MAX_PAGE_NUMBER
from core.trigram import covering_trigrams
from orders import selectors
from orders.models import Order, OrderStatus
from orders.numbers import order_number_digits
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PAGES = [None, "1", "2", "4", "999", "0", "x", "-2", str(MAX_PAGE_NUMBER * 10)]


@pytest.fixture
def orders(seller, other_seller):
    rng = random.Random(13)
    for _ in range(31):
        OrderFactory(
            seller=seller,
            status=rng.choice(list(OrderStatus.values)),
            placed_at=T0 + timedelta(hours=rng.choice([1, 2, 3])),  # ties: the id decides
        )
    OrderFactory.create_batch(3, seller=other_seller, placed_at=T0)
    return seller


# ---- what a page should show, worked out in Python from the orders in the database


def _matches(order: Order, query: str) -> bool:
    """An order a search finds: the typed digits (dashes and spaces left out) inside its ID's
    17 digits, or the typed text inside its buyer alias, in any case."""
    text = query.strip()
    digits = order_number_digits(text)
    in_id = digits is not None and digits in order.number.replace("-", "")
    return in_id or text.lower() in order.relationship.buyer_alias.lower()


def _listed(seller, status: str = "", query: str = "") -> list[Order]:
    """The seller's orders under the status and search, newest first (ties: the higher id)."""
    found = [
        order
        for order in Order.objects.filter(seller=seller).select_related("relationship")
        if (not status or order.status == status) and (not query.strip() or _matches(order, query))
    ]
    return sorted(found, key=lambda order: (order.placed_at, order.pk), reverse=True)


def _values(orders) -> list[tuple]:
    """Every field of each order, and its buyer alias: what a row is made from."""
    fields = [field.attname for field in Order._meta.concrete_fields]
    return [
        (*(getattr(order, name) for name in fields), order.relationship.buyer_alias)
        for order in orders
    ]


def _expected(listed: list[Order], page_number, *, per_page: int, count_cap: int):
    """Page `page_number` of `listed`: a number that is none (or below 1) is page 1; with the
    count under the cap, a page past the last is the last; past the cap, any page up to
    MAX_PAGE_NUMBER, empty when past the orders."""
    count = len(listed)
    try:
        number = min(max(int(page_number or 1), 1), MAX_PAGE_NUMBER)
    except ValueError:
        number = 1
    if count <= count_cap:
        number = min(number, max(-(-count // per_page), 1))
    start = (number - 1) * per_page
    rows = _values(listed[start : start + per_page])
    return rows, number, count > start + per_page, min(count, count_cap), count > count_cap


def _seen(page):
    rows = _values(page.object_list)
    return rows, page.number, page.has_next, page.count, page.count_capped


def _page(seller, status, query, page_number, per_page=5):
    return selectors.order_page_for_seller(
        seller=seller, status=status, query=query, page_number=page_number, per_page=per_page
    )


@pytest.mark.parametrize("status", ["", *OrderStatus.values])
def test_pages_under_every_status_and_page_number(orders, status, monkeypatch):
    listed = _listed(orders, status)
    for count_cap in (1000, 6):
        monkeypatch.setattr(selectors, "ORDER_COUNT_CAP", count_cap)
        for page_number in PAGES:
            expected = _expected(listed, page_number, per_page=5, count_cap=count_cap)
            assert _seen(_page(orders, status, "", page_number)) == expected, (
                status,
                count_cap,
                page_number,
            )


def test_the_page_holds_only_the_sellers_orders(orders, other_seller):
    page = _page(orders, "", "", None, per_page=100)
    assert len(page.object_list) == 31
    assert {order.seller_id for order in page.object_list} == {orders.pk}
    assert not Order.objects.filter(
        seller=other_seller, pk__in=[order.pk for order in page.object_list]
    ).exists()


# ---- searched: by order ID (dashes optional, or a part) and by buyer alias

SEARCHES = [
    "2304074632",
    "230-4074632",
    "2304074-632",
    " 2304074632 ",
    "4632",
    "632",
    "1",
    "-",
    "X2304074632X",
    "discounters.com",
    "hello world",
    "a_b",
    "%",
    "zzzzzzzzzz",
]


@pytest.fixture
def searchable(orders, other_seller):
    """Besides the 31 orders: an order whose ID holds 2304074632, a decoy whose ID holds its
    four covering trigrams apart, an order whose buyer alias holds the digits, and another
    seller's order and alias holding them too."""
    target = OrderFactory(seller=orders, number="230-4074632-5512345", placed_at=T0)
    decoy = OrderFactory(seller=orders, number="230-1407999-4631632", placed_at=T0)
    by_alias = OrderFactory(seller=orders, placed_at=T0 + timedelta(hours=5))
    domain = by_alias.relationship.buyer_alias.partition("@")[2]
    Relationship.objects.filter(pk=by_alias.relationship_id).update(
        buyer_alias=f"x2304074632x@{domain}"
    )
    theirs = OrderFactory(seller=other_seller, number="230-4074632-9999999")
    Relationship.objects.filter(pk=theirs.relationship_id).update(
        buyer_alias=f"y2304074632y@{domain}"
    )
    by_alias.relationship.refresh_from_db()
    return {"seller": orders, "target": target, "decoy": decoy, "by_alias": by_alias}


@pytest.mark.parametrize("query", SEARCHES)
def test_searched_pages_and_the_report_list_the_matching_orders(searchable, query, monkeypatch):
    """Under and past the count cap (the search keeps only the newest matches each side needs),
    the page shows the matching orders; the report lists all of them."""
    seller = searchable["seller"]
    alias = searchable["by_alias"].relationship.buyer_alias
    for text in (query, alias if query == "X2304074632X" else query.upper()):
        for status in ("", OrderStatus.SHIPPED):
            listed = _listed(seller, status, text)
            reported = selectors.order_list_for_seller(seller=seller, status=status, query=text)
            assert _values(reported) == _values(listed), (text, status)
            for count_cap in (1000, 6):
                monkeypatch.setattr(selectors, "ORDER_COUNT_CAP", count_cap)
                for page_number in [None, "2", "999"]:
                    expected = _expected(listed, page_number, per_page=5, count_cap=count_cap)
                    assert _seen(_page(seller, status, text, page_number)) == expected, (
                        text,
                        status,
                        count_cap,
                        page_number,
                    )


def test_a_search_finds_ids_and_aliases_of_this_seller_only(searchable):
    seller = searchable["seller"]
    found = {}
    for query in ("2304074632", "2304074-632", "632", "1"):
        page = _page(seller, "", query, None, per_page=100)
        found[query] = {order.pk for order in page.object_list}
        assert {order.seller_id for order in page.object_list} == {seller.pk}
    target, decoy, by_alias = (searchable[key].pk for key in ("target", "decoy", "by_alias"))
    assert found["2304074632"] == {target, by_alias}  # the ID and the alias, not the decoy
    assert found["2304074-632"] == {target}  # dashed: no alias holds a dash
    assert {target, decoy} <= found["632"]
    assert len(found["1"]) > 6  # enough to page past a cap of 6 above
    page = _page(seller, "", searchable["by_alias"].relationship.buyer_alias, None)
    assert [order.pk for order in page.object_list] == [by_alias]


@pytest.mark.parametrize("query", ["", "1", "-", "alphadiscounters", "zz-no-such"])
@pytest.mark.parametrize("status", ["", OrderStatus.UNSHIPPED])
def test_every_page_of_a_search_under_and_past_the_cap(seller, monkeypatch, query, status):
    """Orders placed minutes apart with ties, and a pending one: every page number, under and
    past a count cap of 7, at 3 orders a page."""
    monkeypatch.setattr(selectors, "ORDER_COUNT_CAP", 7)
    start = timezone.now()
    for n in range(12):
        OrderFactory(seller=seller, placed_at=start - timedelta(minutes=n % 5))
    OrderFactory(seller=seller, status=OrderStatus.PENDING)
    listed = _listed(seller, status, query)
    for number in [None, "1", "2", "3", "4", "5", "9", "x", "0", "-2"]:
        page = _page(seller, status, query, number, per_page=3)
        assert _seen(page) == _expected(listed, number, per_page=3, count_cap=7), number


def test_a_searched_page_is_one_statement(seller, django_assert_num_queries):
    """The matching orders, counted, and the page's rows: the search runs once."""
    order = OrderFactory(seller=seller)
    with django_assert_num_queries(1):
        page = _page(seller, "", order.number, None, per_page=25)
    assert page.object_list == [order]


def test_the_searched_page_asks_what_the_trigram_indexes_serve(searchable):
    """Each LIKE of the statement is on the very expression its trigram index holds
    (`UPPER(col)`, as orders/0003 and icontains write it), so at scale the planner reads the
    indexes (bench/README.md holds the plan); with a table this small it takes the seller's
    btree instead, so the plan's conditions are compared with the indexes' definitions."""
    with CaptureQueriesContext(connection) as queries:
        _page(searchable["seller"], "", "2304074632", None)
    (statement,) = [q["sql"] for q in queries.captured_queries if "matching" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {statement}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
            "('order_number_digits_trgm', 'relationship_buyer_alias_trgm')"
        )
        definitions = dict(cursor.fetchall())
    for index, column in [
        ("order_number_digits_trgm", "number_digits"),
        ("relationship_buyer_alias_trgm", "buyer_alias"),
    ]:
        expression = f"upper(({column})::text)"
        assert f"({expression} gin_trgm_ops)" in definitions[index]
        for probe in covering_trigrams("2304074632"):
            assert f"{expression} ~~ '%{probe}%'::text" in plan
