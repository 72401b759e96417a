"""R8's order volume: the orders of the 30 whole UTC days before today, cached for the day.

The daily limit is 5 × (average daily orders over those days) + 600; orders placed today count
from tomorrow, so the limit stays the same all day and the count is read once a day per seller
(orders.selectors.order_volume_last_30_days), except after an order placed in the past
(order_create forgets it).
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from messaging import policy
from messaging.sending import selectors
from orders.models import Order
from orders.selectors import (
    ORDER_VOLUME_WINDOW_DAYS,
    order_volume_cache_key,
    order_volume_last_30_days,
)
from orders.services import OrderLine, order_create
from tests.factories import BuyerFactory, OrderFactory, ProductFactory, SellerAccountFactory

pytestmark = pytest.mark.django_db

# 30 orders add 5 to the limit: a batch of 6 orders adds 1.
BATCH = 6
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
MIDNIGHT = datetime(2026, 11, 22, tzinfo=UTC)


def _orders(seller, placed_at, count=BATCH):
    OrderFactory.create_batch(count, seller=seller, placed_at=placed_at)


def _order_create(seller, placed_at=None):
    return order_create(
        buyer=BuyerFactory(),
        seller=seller,
        lines=[OrderLine(product=ProductFactory(seller=seller, price=Decimal("5.00")))],
        ship_name="Ann Buyer",
        ship_address="1 Main Street",
        placed_at=placed_at,
    )


def test_r8_window_is_as_long_as_the_average_divides_by():
    assert ORDER_VOLUME_WINDOW_DAYS == policy.DAILY_LIMIT_WINDOW_DAYS


def test_r8_orders_of_the_30_whole_utc_days_before_today_count_and_no_others(seller):
    _orders(seller, MIDNIGHT)  # today 00:00: counts from tomorrow
    _orders(seller, NOW - timedelta(minutes=1))  # today, before now
    _orders(seller, MIDNIGHT - timedelta(microseconds=1))  # yesterday's last moment
    _orders(seller, MIDNIGHT - timedelta(days=30))  # the first moment of D−30
    _orders(seller, MIDNIGHT - timedelta(days=30, microseconds=1))  # D−31's last moment
    _orders(seller, MIDNIGHT - timedelta(days=31))  # 31 days ago
    assert order_volume_last_30_days(seller_id=seller.pk, today=TODAY) == 2 * BATCH
    assert selectors.seller_daily_allowance(seller=seller, now=NOW) == (0, 602)


def test_r8_limit_is_the_same_all_day_and_grows_the_next_day(seller):
    _orders(seller, MIDNIGHT - timedelta(hours=1))
    assert selectors.seller_daily_allowance(seller=seller, now=MIDNIGHT)[1] == 601
    _orders(seller, NOW)  # placed today
    late = MIDNIGHT + timedelta(hours=23, minutes=59)
    assert selectors.seller_daily_allowance(seller=seller, now=late)[1] == 601
    tomorrow = MIDNIGHT + timedelta(days=1, minutes=1)
    assert selectors.seller_daily_allowance(seller=seller, now=tomorrow)[1] == 602


def test_r8_order_volume_is_read_from_the_cache_on_the_second_call(
    seller, django_assert_num_queries
):
    _orders(seller, NOW - timedelta(days=3))
    with django_assert_num_queries(2):  # the orders, the messages delivered today
        assert selectors.seller_daily_allowance(seller=seller, now=NOW) == (0, 601)
    assert cache.get(order_volume_cache_key(seller_id=seller.pk, today=TODAY)) == BATCH
    with django_assert_num_queries(1) as captured:
        assert selectors.seller_daily_allowance(seller=seller, now=NOW) == (0, 601)
    sql = captured.captured_queries[0]["sql"]
    assert Order._meta.db_table not in sql


def test_r8_order_create_in_the_window_shows_in_the_next_allowance_at_once(
    seller, django_capture_on_commit_callbacks
):
    now = timezone.now()
    assert selectors.seller_daily_allowance(seller=seller, now=now)[1] == 600  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(BATCH):
            _order_create(seller, placed_at=now - timedelta(days=2))
    assert selectors.seller_daily_allowance(seller=seller, now=now)[1] == 601


def test_r8_order_placed_today_keeps_the_cached_volume(seller, django_capture_on_commit_callbacks):
    now = timezone.now()
    today = now.astimezone(UTC).date()
    _orders(seller, now - timedelta(days=1))
    assert selectors.seller_daily_allowance(seller=seller, now=now)[1] == 601
    with django_capture_on_commit_callbacks(execute=True):
        _order_create(seller)
    # Outside today's window: the cached number is still exact and still there.
    assert cache.get(order_volume_cache_key(seller_id=seller.pk, today=today)) == BATCH
    assert selectors.seller_daily_allowance(seller=seller, now=now)[1] == 601


def test_r8_one_sellers_cached_volume_never_shows_for_another(seller, other_seller):
    third = SellerAccountFactory()
    _orders(seller, NOW - timedelta(days=1))
    _orders(other_seller, NOW - timedelta(days=1), count=3 * BATCH)
    first = selectors.seller_daily_allowance(seller=seller, now=NOW)
    second = selectors.seller_daily_allowance(seller=other_seller, now=NOW)
    none = selectors.seller_daily_allowance(seller=third, now=NOW)
    assert (first, second, none) == ((0, 601), (0, 603), (0, 600))
    # Both cached now: each still reads its own.
    assert selectors.seller_daily_allowance(seller=seller, now=NOW) == (0, 601)
    assert selectors.seller_daily_allowance(seller=other_seller, now=NOW) == (0, 603)
    assert selectors.seller_daily_allowance(seller=third, now=NOW) == (0, 600)
    assert order_volume_last_30_days(seller_id=seller.pk, today=TODAY) == BATCH
    assert order_volume_last_30_days(seller_id=other_seller.pk, today=TODAY) == 3 * BATCH
