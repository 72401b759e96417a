"""R28 (buyer-seller messages FAQ): "Do not ship an order while it is still in a pending state.
Wait for the order to be posted to your order report": Pending orders stay out of the order
report until their payment clears, and Manage Orders says so beside the report button."""

import csv
import io

from django.urls import reverse

from orders.models import OrderStatus
from orders.services import order_set_status
from tests.factories import OrderFactory

REPORT_URL = reverse("orders:order_report_csv")


def _ids(response) -> set[str]:
    content = b"".join(response.streaming_content).decode()
    return {row[0] for row in list(csv.reader(io.StringIO(content)))[1:]}


def test_r28_pending_orders_are_not_in_the_order_report(seller, seller_client):
    pending = OrderFactory(seller=seller, status=OrderStatus.PENDING)
    posted = [
        OrderFactory(seller=seller, status=status)
        for status in (
            OrderStatus.UNSHIPPED,
            OrderStatus.SHIPPED,
            OrderStatus.DELIVERED,
            OrderStatus.CANCELED,
        )
    ]
    ids = _ids(seller_client.get(REPORT_URL))
    assert ids == {order.number for order in posted}
    assert pending.number not in ids


def test_r28_a_pending_order_is_posted_once_its_payment_clears(seller, seller_client):
    order = OrderFactory(seller=seller, status=OrderStatus.PENDING)
    assert _ids(seller_client.get(REPORT_URL)) == set()
    order_set_status(order=order, status=OrderStatus.UNSHIPPED)
    assert _ids(seller_client.get(REPORT_URL)) == {order.number}


def test_r28_filtering_the_report_by_pending_gives_no_rows(seller, seller_client):
    OrderFactory(seller=seller, status=OrderStatus.PENDING)
    assert _ids(seller_client.get(REPORT_URL, {"status": OrderStatus.PENDING})) == set()


def test_r28_manage_orders_says_pending_orders_are_not_in_the_report(seller, seller_client):
    page = seller_client.get(reverse("orders:order_list")).content.decode()
    assert "Pending orders are not in the report until their payment clears." in page
    assert 'aria-describedby="order-report-note"' in page
