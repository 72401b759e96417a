import csv
import io
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from orders.models import OrderStatus
from orders.services import OrderLine, order_create, order_number_generate, order_set_status
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    ProductFactory,
    SellerAccountFactory,
    seller_user,
)

pytestmark = pytest.mark.django_db

ORDERS_URL = reverse("orders:order_list")
REPORT_URL = reverse("orders:order_report_csv")


def test_order_id_is_17_digits_shown_as_3_7_7():
    for _ in range(100):
        number = order_number_generate()
        assert re.fullmatch(r"\d{3}-\d{7}-\d{7}", number)
        assert len(number.replace("-", "")) == 17


def test_order_set_status_records_the_time_of_each_change():
    order = OrderFactory(status=OrderStatus.UNSHIPPED)
    order_set_status(order=order, status=OrderStatus.SHIPPED)
    order_set_status(order=order, status=OrderStatus.DELIVERED)
    order.refresh_from_db()
    assert order.shipped_at
    assert order.delivered_at
    assert order.completed_at == order.delivered_at
    assert [c.status for c in order.status_changes.all()] == ["unshipped", "shipped", "delivered"]


class TestManageOrders:
    def test_lists_only_the_sellers_own_orders(self, seller, other_seller, seller_client):
        mine = OrderFactory(seller=seller)
        theirs = OrderFactory(seller=other_seller)
        response = seller_client.get(ORDERS_URL)
        assert response.status_code == HTTPStatus.OK
        assert mine.number in response.text
        assert theirs.number not in response.text

    @pytest.mark.parametrize("part", ["full", "partial"])
    def test_search_by_buyer_alias(self, seller, seller_client, part):
        wanted = OrderFactory(seller=seller)
        other = OrderFactory(seller=seller)
        alias = wanted.relationship.buyer_alias
        query = alias if part == "full" else alias[2:9].upper()
        response = seller_client.get(ORDERS_URL, {"q": query})
        assert wanted.number in response.text
        assert other.number not in response.text

    @pytest.mark.parametrize("part", ["full", "partial"])
    def test_search_by_order_id(self, seller, seller_client, part):
        wanted = OrderFactory(seller=seller, number="111-2223334-4455566")
        other = OrderFactory(seller=seller, number="999-8887776-6655544")
        query = wanted.number if part == "full" else "2223334"
        response = seller_client.get(ORDERS_URL, {"q": query})
        assert wanted.number in response.text
        assert other.number not in response.text

    def test_search_never_finds_another_sellers_order_by_its_alias(
        self, seller, other_seller, seller_client
    ):
        buyer = BuyerFactory()
        OrderFactory(seller=seller, buyer=buyer)
        theirs = OrderFactory(seller=other_seller, buyer=buyer)
        response = seller_client.get(ORDERS_URL, {"q": theirs.relationship.buyer_alias})
        assert theirs.number not in response.text
        assert "No orders match" in response.text

    def test_filter_by_status(self, seller, seller_client):
        shipped = OrderFactory(seller=seller, status=OrderStatus.SHIPPED)
        pending = OrderFactory(seller=seller, status=OrderStatus.PENDING)
        response = seller_client.get(ORDERS_URL, {"status": "shipped"})
        assert shipped.number in response.text
        assert pending.number not in response.text

    def test_pending_orders_are_flagged_do_not_ship(self, seller, seller_client):
        pending = OrderFactory(seller=seller, status=OrderStatus.PENDING)
        response = seller_client.get(ORDERS_URL, {"status": "pending"})
        assert "Payment not cleared — do not ship" in response.text
        detail = seller_client.get(reverse("orders:order_detail", args=[pending.number]))
        assert "Payment not cleared — do not ship" in detail.text

    def test_unpending_orders_are_not_flagged(self, seller, seller_client):
        order = OrderFactory(seller=seller, status=OrderStatus.SHIPPED)
        detail = seller_client.get(reverse("orders:order_detail", args=[order.number]))
        assert "do not ship" not in detail.text
        assert "do not ship" not in seller_client.get(ORDERS_URL).text

    def test_htmx_request_gets_only_the_results_fragment(self, seller, seller_client):
        order = OrderFactory(seller=seller)
        response = seller_client.get(ORDERS_URL, {"q": order.number}, HTTP_HX_REQUEST="true")
        assert order.number in response.text
        assert "<html" not in response.text
        assert 'id="order-results"' in response.text
        assert response["Vary"]
        assert "HX-Request" in response["Vary"]

    def test_pages_hold_25_orders(self, seller, seller_client):
        OrderFactory.create_batch(30, seller=seller)
        first = seller_client.get(ORDERS_URL)
        assert first.text.count('class="order-id"') == 25
        second = seller_client.get(ORDERS_URL, {"page": 2})
        assert second.text.count('class="order-id"') == 5

    def test_real_email_addresses_never_shown(self, seller, seller_client):
        order = OrderFactory(seller=seller)
        for url in (ORDERS_URL, reverse("orders:order_detail", args=[order.number]), REPORT_URL):
            response = seller_client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert order.buyer.email.encode() not in body
            assert order.relationship.buyer_alias.encode() in body


@pytest.mark.parametrize("rows", [2, 12])
def test_manage_orders_query_count_does_not_grow_with_rows(
    seller, seller_owner, client, django_assert_max_num_queries, rows
):
    OrderFactory.create_batch(rows, seller=seller)
    client.force_login(seller_owner)
    # session, user, membership with seller, count, orders page with relationship and buyer,
    # items with products (no transaction: a read-only page)
    with django_assert_max_num_queries(6):
        response = client.get(ORDERS_URL)
    assert response.text.count('class="order-id"') == rows


@pytest.mark.parametrize("rows", [2, 12])
def test_buyer_orders_query_count_does_not_grow_with_rows(
    buyer, client, django_assert_max_num_queries, rows
):
    OrderFactory.create_batch(rows, buyer=buyer)
    client.force_login(buyer)
    # savepoint + release (ATOMIC_REQUESTS), session, user, seller-membership probe,
    # count, orders page with seller and relationship, items with products prefetched
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orders:buyer_order_list"))
    assert response.text.count('class="order-id"') == rows


class TestOrderReport:
    def _rows(self, response):
        body = b"".join(response.streaming_content).decode()
        return list(csv.reader(io.StringIO(body)))

    def test_csv_holds_only_the_sellers_own_orders(self, seller, other_seller, seller_client):
        mine = OrderFactory.create_batch(3, seller=seller)
        theirs = OrderFactory.create_batch(2, seller=other_seller)
        response = seller_client.get(REPORT_URL)
        assert response["Content-Type"] == "text/csv"
        assert "attachment" in response["Content-Disposition"]
        rows = self._rows(response)
        assert rows[0][:6] == [
            "order-id", "purchase-date", "last-updated-date", "order-status", "buyer-alias",
            "buyer-phone",
        ]  # fmt: skip
        ids = {row[0] for row in rows[1:]}
        assert ids == {o.number for o in mine}
        assert not ids & {o.number for o in theirs}

    def _records(self, response) -> list[dict[str, str]]:
        header, *rows = self._rows(response)
        return [dict(zip(header, row, strict=True)) for row in rows]

    def test_csv_row_content(self, seller, seller_client):
        order = OrderFactory(seller=seller, ship_phone="555-010-0199")
        (row,) = self._records(seller_client.get(REPORT_URL))
        assert row["order-id"] == order.number
        assert row["order-status"] == "Unshipped"
        assert row["buyer-alias"] == order.relationship.buyer_alias
        assert row["buyer-phone"] == "555-010-0199"
        assert row["order-total"] == str(order.total)

    def test_csv_has_one_row_per_order_item_with_sku_quantity_and_unit_price(
        self, seller, seller_client
    ):
        """Issue 8 item 11: as marketplace order reports are, one row per order item; the
        order's own columns (dates, status, alias, totals) repeat on each of its rows."""
        mug = ProductFactory(seller=seller, title="Tea mug", sku="MUG-01", price=Decimal("7.50"))
        pot = ProductFactory(seller=seller, title="Teapot", sku="POT-02", price=Decimal("30.00"))
        order = order_create(
            buyer=BuyerFactory(),
            seller=seller,
            lines=[OrderLine(product=mug, quantity=3), OrderLine(product=pot, quantity=1)],
            ship_name="Ana Buyer",
            ship_address="1 Main St",
            shipping_total=Decimal("5.00"),
        )
        order_set_status(order=order, status=OrderStatus.UNSHIPPED)  # posted (R28)
        rows = self._records(seller_client.get(REPORT_URL))
        assert [(r["order-id"], r["sku"], r["product-name"]) for r in rows] == [
            (order.number, "MUG-01", "Tea mug"),
            (order.number, "POT-02", "Teapot"),
        ]
        assert [(r["quantity-purchased"], r["unit-price"], r["line-total"]) for r in rows] == [
            ("3", "7.50", "22.50"),
            ("1", "30.00", "30.00"),
        ]
        for row in rows:
            assert row["buyer-alias"] == order.relationship.buyer_alias
            assert row["order-status"] == "Unshipped"
            assert row["item-total"] == "52.50"  # the order's items total, as before
            assert row["shipping-total"] == "5.00"
            assert row["order-total"] == "57.50"
            assert row["currency"] == "USD"

    def test_csv_neutralizes_formulas_in_product_names_and_skus(self, seller, seller_client):
        product = ProductFactory(seller=seller, title="=cmd|' /C calc'!A0", sku="+SKU")
        OrderFactory(seller=seller, items=[product])
        (row,) = self._records(seller_client.get(REPORT_URL))
        assert row["product-name"] == "'=cmd|' /C calc'!A0"
        assert row["sku"] == "'+SKU"

    def test_csv_query_count_does_not_grow_with_orders(
        self, seller, seller_client, django_assert_max_num_queries
    ):
        for _ in range(6):
            OrderFactory(seller=seller, items=[ProductFactory(seller=seller) for _ in range(2)])
        # savepoint + release, session, user, membership, orders, their items with products
        with django_assert_max_num_queries(8):
            rows = self._rows(seller_client.get(REPORT_URL))
        assert len(rows) == 1 + 12

    def test_csv_follows_the_page_filters(self, seller, seller_client):
        shipped = OrderFactory(seller=seller, status=OrderStatus.SHIPPED)
        OrderFactory(seller=seller, status=OrderStatus.PENDING)
        rows = self._rows(seller_client.get(REPORT_URL, {"status": "shipped"}))
        assert [row[0] for row in rows[1:]] == [shipped.number]

    def test_csv_follows_the_page_search(self, seller, other_seller, seller_client):
        """The report lists what the searched page lists: orders by their ID typed without
        dashes, by their buyer alias, never another seller's."""
        by_id = OrderFactory(seller=seller, number="970-1446448-9377198")
        by_alias = OrderFactory(seller=seller)
        OrderFactory(seller=seller, number="123-4567890-1234567")
        OrderFactory(seller=other_seller, number="970-1446448-1111111")
        for query, expected in [
            ("14464489", [by_id]),
            ("970-1446448", [by_id]),
            (by_alias.relationship.buyer_alias.upper(), [by_alias]),
            ("nothing-like-this", []),
        ]:
            rows = self._rows(seller_client.get(REPORT_URL, {"q": query}))
            assert [row[0] for row in rows[1:]] == [order.number for order in expected], query

    def test_csv_neutralizes_spreadsheet_formulas(self, seller, seller_client):
        OrderFactory(seller=seller, ship_name="=HYPERLINK(1)")
        (row,) = self._records(seller_client.get(REPORT_URL))
        assert row["ship-to-name"] == "'=HYPERLINK(1)"


class TestAccess:
    def test_buyer_cannot_open_seller_pages(self, buyer_client):
        order = OrderFactory()
        for url in (ORDERS_URL, REPORT_URL, reverse("orders:order_detail", args=[order.number])):
            assert buyer_client.get(url).status_code == HTTPStatus.FORBIDDEN

    def test_seller_cannot_open_buyer_pages(self, seller_client):
        assert seller_client.get(reverse("orders:buyer_order_list")).status_code == 403

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(ORDERS_URL)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("accounts:login"))

    def test_another_sellers_order_gives_404(self, seller_client, other_seller):
        theirs = OrderFactory(seller=other_seller)
        response = seller_client.get(reverse("orders:order_detail", args=[theirs.number]))
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_another_buyers_order_gives_404(self, buyer_client):
        theirs = OrderFactory()
        url = reverse("orders:buyer_order_detail", args=[theirs.number])
        assert buyer_client.get(url).status_code == HTTPStatus.NOT_FOUND

    def test_member_of_the_same_seller_sees_the_order(self, seller):
        order = OrderFactory(seller=seller)
        member = seller_user(seller, role="member")
        from django.test import Client

        client = Client()
        client.force_login(member)
        assert client.get(reverse("orders:order_detail", args=[order.number])).status_code == 200


class TestBuyerOrders:
    def test_buyer_sees_seller_name_and_alias_never_real_address(self, buyer, buyer_client):
        seller = SellerAccountFactory(business_name="Kyoto Handmade")
        owner = seller_user(seller)
        order = OrderFactory(buyer=buyer, seller=seller)
        response = buyer_client.get(reverse("orders:buyer_order_detail", args=[order.number]))
        assert "Kyoto Handmade" in response.text
        assert order.relationship.seller_alias in response.text
        assert owner.email not in response.text
        assert order.relationship.buyer_alias not in response.text

    def test_buyer_list_shows_only_own_orders(self, buyer, buyer_client):
        mine = OrderFactory(buyer=buyer)
        theirs = OrderFactory()
        response = buyer_client.get(reverse("orders:buyer_order_list"))
        assert mine.number in response.text
        assert theirs.number not in response.text
