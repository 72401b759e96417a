"""Confirm shipment from Manage Orders; carrier, tracking number and ship date on Your Orders."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.models import OrderStatus
from orders.shipping.models import Shipment
from tests.clients import signed_in_client
from tests.factories import OrderFactory, OrderStatusChangeFactory, SellerMembershipFactory
from tests.orders.shipping.factories import ShipmentFactory

pytestmark = pytest.mark.django_db


def _url(order):
    return reverse("orders:order_confirm_shipment", args=[order.number])


def _form(**overrides):
    data = {
        "carrier": "dhl",
        "carrier_other": "",
        "tracking_number": "JD0146 0000 1234",
        "ship_date": timezone.now().date().isoformat(),
    }
    data.update(overrides)
    return data


def test_order_page_offers_confirm_shipment_only_when_unshipped(seller, seller_client):
    unshipped = OrderFactory(seller=seller)
    pending = OrderFactory(seller=seller, status=OrderStatus.PENDING)
    page = seller_client.get(reverse("orders:order_detail", args=[unshipped.number]))
    assert _url(unshipped) in page.content.decode()
    page = seller_client.get(reverse("orders:order_detail", args=[pending.number]))
    assert 'id="confirm-shipment"' not in page.content.decode()


def test_confirm_shipment_page_ships_and_order_page_shows_it_with_who(seller, seller_owner):
    seller_owner.full_name = "Ada Shipper"
    seller_owner.save()
    client = signed_in_client(seller_owner)
    order = OrderFactory(seller=seller)
    assert client.get(_url(order)).status_code == 200
    response = client.post(_url(order), _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order_detail", args=[order.number])
    page = client.get(response["Location"]).content.decode()
    assert "JD014600001234" in page
    assert "DHL" in page
    assert "by Ada Shipper" in page  # the history says who
    assert 'id="confirm-shipment"' not in page
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_member_may_confirm_shipment(seller):
    member = SellerMembershipFactory(seller=seller, role="member").user
    order = OrderFactory(seller=seller)
    assert signed_in_client(member).post(_url(order), _form()).status_code == 302
    assert Shipment.objects.get().confirmed_by == member


def test_another_sellers_order_is_404(seller_client, other_seller):
    order = OrderFactory(seller=other_seller)
    assert seller_client.get(_url(order)).status_code == 404
    assert seller_client.post(_url(order), _form()).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED


def test_buyer_cannot_open_confirm_shipment(buyer_client, buyer):
    order = OrderFactory(buyer=buyer)
    assert buyer_client.post(_url(order), _form()).status_code == 403
    assert not Shipment.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"carrier": ""}, "Choose the carrier"),
        ({"carrier": "other"}, "name of the carrier"),
        ({"tracking_number": ""}, "Enter the tracking number"),
        ({"tracking_number": "12<>45678"}, "only letters"),
        ({"ship_date": "yesterday"}, "Enter the ship date as a date"),
        ({"ship_date": "2999-01-01"}, "cannot be in the future"),
    ],
)
def test_confirm_shipment_form_errors_in_words_change_nothing(seller, seller_client, data, words):
    order = OrderFactory(seller=seller)
    response = seller_client.post(_url(order), _form(**data))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert "is-invalid" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED
    assert not Shipment.objects.exists()


def test_confirm_shipment_on_a_pending_order_says_to_wait(seller, seller_client):
    order = OrderFactory(seller=seller, status=OrderStatus.PENDING)
    page = seller_client.get(_url(order)).content.decode()
    assert "posted to the order report" in page
    assert "confirm-shipment-form" not in page
    response = seller_client.post(_url(order), _form())
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_buyer_sees_carrier_tracking_and_ship_date(buyer, buyer_client):
    shipment = ShipmentFactory(
        order=OrderFactory(buyer=buyer, status=OrderStatus.SHIPPED),
        ship_date=timezone.now().date() - timedelta(days=1),
    )
    number = shipment.order.number
    for url in (
        reverse("orders:buyer_order_list"),
        reverse("orders:buyer_order_detail", args=[number]),
    ):
        page = buyer_client.get(url).content.decode()
        assert "UPS" in page
        assert shipment.tracking_number in page
        assert (
            f"{shipment.ship_date:%b} {shipment.ship_date.day}, {shipment.ship_date.year}" in page
        )
        assert "Confirmed by" not in page


def test_buyer_sees_shipment_labels_in_their_language(buyer):
    buyer.buyer_profile.preferred_language = "de"
    buyer.buyer_profile.save()
    ShipmentFactory(order=OrderFactory(buyer=buyer))
    page = signed_in_client(buyer).get(reverse("orders:buyer_order_list"))
    assert "Sendungsnummer" in page.content.decode()


def test_buyer_order_list_queries_do_not_grow_with_shipments(
    buyer, buyer_client, django_assert_max_num_queries
):
    for _ in range(6):
        ShipmentFactory(order=OrderFactory(buyer=buyer))
    OrderFactory.create_batch(3, buyer=buyer)
    with django_assert_max_num_queries(8):
        assert buyer_client.get(reverse("orders:buyer_order_list")).status_code == 200


def test_seller_order_page_shipment_and_who_cost_no_query(
    seller, seller_owner, seller_client, django_assert_num_queries
):
    """The shipment and who changed each status are read with the order: the page of a
    shipped order costs what the page of an unshipped one does."""
    plain = OrderFactory(seller=seller)
    shipped = ShipmentFactory(order=OrderFactory(seller=seller), confirmed_by=seller_owner).order
    OrderStatusChangeFactory(order=shipped, status=OrderStatus.SHIPPED, changed_by=seller_owner)
    seller_client.get(reverse("orders:order_detail", args=[plain.number]))  # session warm
    with CaptureQueriesContext(connection) as plain_queries:
        seller_client.get(reverse("orders:order_detail", args=[plain.number]))
    with django_assert_num_queries(len(plain_queries)):
        page = seller_client.get(reverse("orders:order_detail", args=[shipped.number]))
    assert 'id="shipment-card"' in page.content.decode()
