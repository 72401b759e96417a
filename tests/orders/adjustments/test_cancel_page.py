"""Manage Orders: the Cancel order page (reason select, a confirmation, refusals in words)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.adjustments.models import Refund
from orders.models import OrderStatus
from tests.clients import signed_in_client
from tests.factories import OrderFactory, seller_user


@pytest.fixture
def order(seller):
    return OrderFactory(seller=seller, total=Decimal("24.98"))


def cancel_url(order):
    return reverse("orders:order_cancel", args=[order.number])


def test_the_order_page_offers_cancel_for_an_unshipped_order(seller_client, order):
    page = seller_client.get(reverse("orders:order_detail", args=[order.number]))

    assert cancel_url(order).encode() in page.content


def test_a_shipped_order_offers_no_cancel_and_the_page_says_use_returns(seller_client, seller):
    order = OrderFactory(seller=seller, status=OrderStatus.SHIPPED)

    detail = seller_client.get(reverse("orders:order_detail", args=[order.number]))
    page = seller_client.get(cancel_url(order))

    assert cancel_url(order).encode() not in detail.content
    assert "Manage Returns" in page.content.decode()
    assert b'id="cancel-order-form"' not in page.content


def test_the_form_asks_to_confirm_with_the_amount_and_that_it_cannot_be_undone(
    seller_client, order
):
    page = seller_client.get(cancel_url(order)).content.decode()

    assert 'data-confirm="Cancel order' in page
    assert "refund 24.98 USD to the buyer? This cannot be undone." in page
    assert 'value="NoInventory"' in page
    assert ">No inventory<" in page


def test_a_member_cancels_with_a_reason_and_the_history_shows_who_and_why(seller, order):
    member = seller_user(seller, role="member", user__full_name="Mia Member")
    client = signed_in_client(member)

    response = client.post(cancel_url(order), {"reason": "NoInventory"})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    page = client.get(reverse("orders:order_detail", args=[order.number])).content.decode()
    assert "No inventory" in page
    assert "by Mia Member" in page
    assert "24.98 USD" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose the reason for canceling the order."),
        ({"reason": "Whim"}, "Choose a reason from the list."),
        ({"reason": "\x00"}, "Choose a reason from the list."),
    ],
)
def test_a_missing_or_unknown_reason_is_a_field_error_and_changes_nothing(
    seller_client, order, data, message
):
    response = seller_client.post(cancel_url(order), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED
    assert not Refund.objects.exists()


def test_canceling_twice_says_it_is_canceled_already(seller_client, order):
    seller_client.post(cancel_url(order), {"reason": "CouldNotShip"})

    again = seller_client.post(cancel_url(order), {"reason": "CouldNotShip"})

    assert again.status_code == 400
    assert "This order is canceled already." in again.content.decode()
    assert Refund.objects.count() == 1


def test_another_sellers_order_is_404(other_seller, order):
    client = signed_in_client(seller_user(other_seller))

    assert client.get(cancel_url(order)).status_code == 404
    assert client.post(cancel_url(order), {"reason": "NoInventory"}).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED


def test_a_buyer_may_not_cancel(buyer_client, order):
    response = buyer_client.post(cancel_url(order), {"reason": "NoInventory"})

    assert response.status_code in (403, 404)
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED
