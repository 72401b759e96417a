"""Issue 13: Manage Orders is, on PostgreSQL, one plain statement (the capped count and the
page's orders with their buyer alias; with a search, the matching orders first). It must show
the same orders, in the same order, with the same count and pages as the ORM form it stands in
for (`_order_page_orm`, which SQLite keeps), under every status and search."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Relationship
from core.pagination import capped_page
from core.trigram import covering_trigrams
from orders import selectors
from orders.models import Order, OrderStatus
from tests.factories import OrderFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL form is PostgreSQL's"),
]

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PAGES = [None, "1", "2", "4", "999", "0", "x"]


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


def _seen(page):
    fields = [field.attname for field in Order._meta.concrete_fields]
    return (
        [
            (*(getattr(order, name) for name in fields), order.relationship.buyer_alias)
            for order in page.object_list
        ],
        page.number,
        page.has_next,
        page.count,
        page.count_capped,
    )


@pytest.mark.parametrize("status", ["", *OrderStatus.values])
def test_the_sql_page_is_the_orm_page_under_every_status(orders, status, monkeypatch):
    for count_cap in (1000, 6):
        monkeypatch.setattr(selectors, "ORDER_COUNT_CAP", count_cap)
        for page_number in PAGES:
            orm = capped_page(
                selectors.order_list_for_seller(seller=orders, status=status),
                page_number,
                per_page=5,
                count_cap=count_cap,
            )
            sql = selectors.order_page_for_seller(
                seller=orders, status=status, query="", page_number=page_number, per_page=5
            )
            assert _seen(sql) == _seen(orm), (status, count_cap, page_number)


def test_the_sql_page_holds_only_the_sellers_orders(orders, other_seller):
    page = selectors.order_page_for_seller(
        seller=orders, status="", query="", page_number=None, per_page=100
    )
    assert len(page.object_list) == 31
    assert {order.seller_id for order in page.object_list} == {orders.pk}
    assert not Order.objects.filter(
        seller=other_seller, pk__in=[order.pk for order in page.object_list]
    ).exists()


# ---- searched: the same trigram lookups as the ORM's `_order_ids_matching`, in one statement

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


def _both(seller, status, query, page_number, per_page=5):
    args = {"seller": seller, "status": status, "page_number": page_number, "per_page": per_page}
    return (
        selectors._order_page_sql(query=query.strip(), **args),
        selectors._order_page_orm(query=query.strip(), **args),
    )


@pytest.mark.parametrize("query", SEARCHES)
def test_the_searched_sql_page_is_the_orm_page(searchable, query, monkeypatch):
    seller = searchable["seller"]
    alias = searchable["by_alias"].relationship.buyer_alias
    for count_cap in (1000, 6):
        monkeypatch.setattr(selectors, "ORDER_COUNT_CAP", count_cap)
        for status in ("", OrderStatus.SHIPPED):
            for page_number in [None, "2", "999"]:
                for text in (query, alias if query == "X2304074632X" else query.upper()):
                    sql, orm = _both(seller, status, text, page_number)
                    assert _seen(sql) == _seen(orm), (text, status, count_cap, page_number)


def test_the_searched_sql_page_finds_ids_and_aliases_of_this_seller_only(searchable):
    seller = searchable["seller"]
    found = {}
    for query in ("2304074632", "2304074-632", "632", "1"):
        page, _ = _both(seller, "", query, None, per_page=100)
        found[query] = {order.pk for order in page.object_list}
        assert {order.seller_id for order in page.object_list} == {seller.pk}
    target, decoy, by_alias = (searchable[key].pk for key in ("target", "decoy", "by_alias"))
    assert found["2304074632"] == {target, by_alias}  # the ID and the alias, not the decoy
    assert found["2304074-632"] == {target}  # dashed: no alias holds a dash
    assert {target, decoy} <= found["632"]
    assert len(found["1"]) > 6  # enough to page past a cap of 6 above
    page, _ = _both(seller, "", searchable["by_alias"].relationship.buyer_alias, None)
    assert [order.pk for order in page.object_list] == [by_alias]


def test_the_searched_sql_page_asks_what_the_trigram_indexes_serve(searchable):
    """Each LIKE of the statement is on the very expression its trigram index holds
    (`UPPER(col)`, as orders/0003 and icontains write it), so at scale the planner reads the
    indexes (bench/README.md holds the plan); with a table this small it takes the seller's
    btree instead, so the plan's conditions are compared with the indexes' definitions."""
    with CaptureQueriesContext(connection) as queries:
        selectors._order_page_sql(
            seller=searchable["seller"], status="", query="2304074632", page_number=None, per_page=5
        )
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
