"""Issue 13: Manage Orders search by order ID (dashes optional, or a part) and buyer alias reads
one stored digits column and the relationships, through trigram indexes on PostgreSQL, with the
same results as comparing the dashed IDs; the order report reads plain rows in one query."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Relationship
from orders.models import Order
from orders.numbers import ORDER_NUMBER_DIGITS, order_number_digits, order_number_fragments
from orders.selectors import order_list_for_seller
from orders.services import order_number_generate
from tests.factories import OrderFactory

DIGIT_RUNS = st.text(alphabet="0123456789- ", min_size=0, max_size=24)
ANY_TEXT = st.one_of(DIGIT_RUNS, st.text(max_size=12))


@given(query=ANY_TEXT, number=st.builds(order_number_generate))
def test_digits_search_finds_exactly_what_the_dashed_fragments_found(query, number):
    """The old search: any fragment (dashes where the ID has them) inside the dashed ID. The new
    one: the typed digits inside the ID's 17 digits. Same answer for every query and ID."""
    before = any(part.upper() in number.upper() for part in order_number_fragments(query))
    digits = order_number_digits(query)
    after = digits is not None and digits in number.replace("-", "")
    assert before == after


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("970-1446448-9377198", "97014464489377198"),
        (" 97014464489377198 ", "97014464489377198"),
        ("1446 448", "1446448"),
        ("-44-", "44"),
        ("-", ""),
        ("- -", None),
        ("abc", None),
        ("12a", None),
        ("", None),
        ("1" * (ORDER_NUMBER_DIGITS + 1), None),
    ],
)
def test_order_number_digits(typed, digits):
    assert order_number_digits(typed) == digits


def test_the_digits_column_is_the_order_id_without_dashes(seller):
    order = OrderFactory(seller=seller)
    stored = Order.objects.values_list("number_digits", flat=True).get(pk=order.pk)
    assert stored == order.number.replace("-", "")
    assert re.fullmatch(r"\d{17}", stored)


def test_search_by_alias_and_by_digits_finds_the_same_orders_as_before(seller, other_seller):
    orders = OrderFactory.create_batch(6, seller=seller)
    theirs = OrderFactory(seller=other_seller)
    target = orders[2]
    digits = target.number.replace("-", "")
    for query in (digits, target.number, digits[3:11], target.relationship.buyer_alias[:9]):
        found = list(order_list_for_seller(seller=seller, query=query))
        assert target in found
        assert theirs not in found
        # What the search compared before: the dashed fragments in the dashed IDs.
        expected = [
            order
            for order in Order.objects.filter(seller=seller)
            if any(part.upper() in order.number.upper() for part in order_number_fragments(query))
            or query.lower() in order.relationship.buyer_alias
        ]
        assert found == expected  # newest first, as the page lists them


def test_another_sellers_order_is_never_found_by_its_id(seller, other_seller):
    theirs = OrderFactory(seller=other_seller)
    assert not order_list_for_seller(seller=seller, query=theirs.number).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_postgresql_can_answer_both_sides_of_the_search_from_trigram_indexes(seller):
    """The lookups the search makes match the indexes orders/0003 made (with sequential scans
    off, the plan uses them): at scale each side is index lookups, never a comparison of every
    order; which index serves a small seller is the planner's choice."""
    OrderFactory.create_batch(3, seller=seller)
    by_digits = Order.objects.filter(number_digits__icontains="4464489").values("id")
    by_alias = Relationship.objects.filter(buyer_alias__icontains="k2m9x").values("id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert "order_number_digits_trgm" in by_digits.explain()
        assert "relationship_buyer_alias_trgm" in by_alias.explain()


def test_manage_orders_counts_at_most_the_cap(seller, seller_client, monkeypatch):
    """An exact count of a large seller's orders cost more than the page: it stops at the cap
    and says so ("1000+ orders"); past it the pages still go on."""
    monkeypatch.setattr("orders.selectors.ORDER_COUNT_CAP", 2)
    OrderFactory.create_batch(3, seller=seller)
    page = seller_client.get(reverse("orders:order_list"))
    assert '<span class="small text-secondary" id="order-count">2+ orders</span>' in page.text
