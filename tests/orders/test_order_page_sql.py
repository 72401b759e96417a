"""Issue 13: Manage Orders without a search is, on PostgreSQL, one plain statement (the capped
count and the page's orders with their buyer alias). It must show the same orders, in the same
order, with the same count and pages as the ORM form it stands in for
(`capped_page(order_list_for_seller(...))`, which searches and SQLite keep), under every status."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from core.pagination import capped_page
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
