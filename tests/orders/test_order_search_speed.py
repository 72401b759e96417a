"""Manage Orders search by order ID (dashes optional, or a part) and buyer alias reads one
stored digits column and the relationships, through trigram indexes, and finds what the order-ID
fragments the inbox and the dispute file search by (orders.numbers.order_number_fragments) find
in the dashed IDs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.aliases import alias_may_contain
from accounts.models import Relationship
from core.trigram import covering_trigrams
from orders import selectors
from orders.models import Order
from orders.numbers import ORDER_NUMBER_DIGITS, order_number_digits, order_number_fragments
from orders.selectors import order_list_for_seller
from orders.services import order_number_generate
from tests.factories import OrderFactory

DIGIT_RUNS = st.text(alphabet="0123456789- ", min_size=0, max_size=24)
ANY_TEXT = st.one_of(DIGIT_RUNS, st.text(max_size=12))


@given(query=ANY_TEXT, number=st.builds(order_number_generate))
def test_digits_search_finds_exactly_what_the_dashed_fragments_find(query, number):
    """The inbox's way: any fragment (dashes where the ID has them) inside the dashed ID.
    Manage Orders' way: the typed digits inside the ID's 17 digits. Same answer for every query
    and ID."""
    by_fragments = any(part.upper() in number.upper() for part in order_number_fragments(query))
    digits = order_number_digits(query)
    by_digits = digits is not None and digits in number.replace("-", "")
    assert by_fragments == by_digits


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


def test_search_by_alias_and_by_digits_finds_what_the_fragments_and_alias_find(
    seller, other_seller
):
    orders = OrderFactory.create_batch(6, seller=seller)
    theirs = OrderFactory(seller=other_seller)
    target = orders[2]
    digits = target.number.replace("-", "")
    for query in (digits, target.number, digits[3:11], target.relationship.buyer_alias[:9]):
        found = list(order_list_for_seller(seller=seller, query=query))
        assert target in found
        assert theirs not in found
        # The dashed fragments in the dashed IDs, or the text in the alias.
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


def test_both_sides_of_the_search_can_be_answered_from_trigram_indexes(seller):
    """The lookups the search makes match the indexes orders/0003 made (with sequential scans
    off, the plan uses them): at scale each side is index lookups, never a comparison of every
    order; which index serves a small seller is the planner's choice, so the search's digits
    side is asked here of every seller's orders."""
    OrderFactory.create_batch(3, seller=seller)
    by_digits = Order.objects.filter(number_digits__icontains="4464489").values("id")
    by_alias = Relationship.objects.filter(buyer_alias__icontains="k2m9x").values("id")
    params: dict = {"seller": seller.pk}
    digits_side, _ = selectors._order_search_sides("2304074632", own="TRUE", params=params)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        assert "order_number_digits_trgm" in by_digits.explain()
        assert "relationship_buyer_alias_trgm" in by_alias.explain()
        cursor.execute(f"EXPLAIN {digits_side}", params)
        assert "order_number_digits_trgm" in "\n".join(row[0] for row in cursor.fetchall())


def test_manage_orders_counts_at_most_the_cap(seller, seller_client, monkeypatch):
    """An exact count of a large seller's orders cost more than the page: it stops at the cap
    and says so ("1000+ orders"); past it the pages still go on."""
    monkeypatch.setattr("orders.selectors.ORDER_COUNT_CAP", 2)
    OrderFactory.create_batch(3, seller=seller)
    page = seller_client.get(reverse("orders:order_list"))
    assert '<span class="small text-secondary" id="order-count">2+ orders</span>' in page.text


# ---- a long run of digits asks the index for a few trigrams, then checks the run itself


@given(text=st.text(alphabet="0123456789abc", max_size=20), most=st.integers(2, 6))
def test_covering_trigrams_cover_the_text_with_at_most_most(text, most):
    probes = covering_trigrams(text, most=most)
    if len(text) - 2 <= most:
        assert probes == [text]
        return
    assert 2 <= len(probes) <= most
    assert all(len(probe) == 3 and probe in text for probe in probes)
    assert probes[0] == text[:3]
    assert probes[-1] == text[-3:]


def test_a_long_digit_run_finds_only_the_orders_holding_the_whole_run(seller):
    """The decoy holds each of the four trigrams asked of the index for 2304074632 (230, 407,
    463, 632), but not the run: the run, checked itself, keeps it out."""
    target = OrderFactory(seller=seller, number="230-4074632-5555555")
    decoy = OrderFactory(seller=seller, number="230-1407999-4631632")
    assert covering_trigrams("2304074632") == ["230", "407", "463", "632"]
    for query in ("2304074632", "230-4074632", "2304074-632", "30407463255"):
        assert list(order_list_for_seller(seller=seller, query=query)) == [target]
    assert set(order_list_for_seller(seller=seller, query="632")) == {target, decoy}
    assert set(order_list_for_seller(seller=seller, query="463")) == {target, decoy}


@pytest.mark.parametrize(
    ("text", "may"),
    [
        ("k2m9x", True),
        ("K2M9X@M.ALPHA", True),
        ("2304074632", True),
        ("discounters.com", True),
        ("2304074-632", False),
        ("1446 448", False),
        ("a_b", False),
    ],
)
def test_alias_may_contain(text, may):
    assert alias_may_contain(text, domain="m.alphadiscounters.com") is may


def test_an_order_id_typed_with_dashes_does_not_search_the_aliases(seller):
    """No alias holds a dash (R1: letters and digits, '@', the alias domain), so the search of
    a dashed ID is the digits side alone; with digits only, both sides."""
    order = OrderFactory(seller=seller)
    dashed, digits = order.number[2:12], order.number.replace("-", "")[2:10]
    assert "-" in dashed
    for query, aliases_searched in [(dashed, False), (digits, True)]:
        with CaptureQueriesContext(connection) as queries:
            selectors.order_page_for_seller(
                seller=seller, status="", query=query, page_number=None, per_page=25
            )
        (statement,) = [q["sql"] for q in queries.captured_queries]
        assert ("FROM messaging_relationship r WHERE" in statement) is aliases_searched
    assert list(order_list_for_seller(seller=seller, query=dashed)) == [order]
    assert list(order_list_for_seller(seller=seller, query=digits)) == [order]


def test_a_long_query_without_an_at_finds_the_aliases_holding_all_of_it(seller):
    """Ten characters of an alias, without the '@': the index is asked for four trigrams that
    cover them, then the whole query is checked. The decoy holds the four trigrams apart, not
    the run, and is not found; the result is what icontains finds."""
    target, decoy, other = OrderFactory.create_batch(3, seller=seller)
    domain = target.relationship.buyer_alias.partition("@")[2]
    Relationship.objects.filter(pk=target.relationship_id).update(
        buyer_alias=f"x2304074632x@{domain}"
    )
    Relationship.objects.filter(pk=decoy.relationship_id).update(
        buyer_alias=f"230q407q4632@{domain}"
    )
    for query in ("2304074632", "X2304074632X"):
        found = list(order_list_for_seller(seller=seller, query=query))
        assert found == [target]
        expected = Relationship.objects.filter(seller=seller, buyer_alias__icontains=query)
        assert {order.relationship_id for order in found} == set(
            expected.values_list("pk", flat=True)
        )
    assert other not in order_list_for_seller(seller=seller, query="4632")
    assert set(order_list_for_seller(seller=seller, query="4632")) >= {target, decoy}
