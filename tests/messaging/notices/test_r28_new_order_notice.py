"""R28 (and R1): a new order is announced to the seller at the address of Notification
Preferences, with the buyer alias, never the buyer's real address, its items, and "do not ship"
while it is Pending (buyer-seller-messages FAQ: wait for the order report)."""

from decimal import Decimal

import pytest
from django.core import mail

from accounts.services import notification_preferences_update
from messaging.models import OutboundEmail
from orders.events import OrderEvent, OrderEventKind, order_event_emit
from orders.models import OrderStatus
from orders.services import OrderLine, order_create
from tests.factories import BuyerFactory, OrderFactory, ProductFactory

NOTIFY = "orders@acme-outfitters.example"


def _place(seller, **kwargs):
    mug = ProductFactory(seller=seller, sku="MUG-01", title="Tea mug", price=Decimal("9.50"))
    return order_create(
        buyer=kwargs.pop("buyer", None) or BuyerFactory(),
        seller=seller,
        lines=[OrderLine(product=mug, quantity=2)],
        ship_name="Ana Buyer",
        ship_address="1 Main St",
        **kwargs,
    )


def test_r28_a_placed_order_queues_one_new_order_email_to_the_notification_address(
    seller, seller_owner, django_capture_on_commit_callbacks
):
    notification_preferences_update(
        seller=seller,
        buyer_message_copies=True,
        buyer_message_copies_email=NOTIFY,
        opt_out_bounces=True,
    )
    buyer = BuyerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = _place(seller, buyer=buyer)
    (row,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NEW_ORDER)
    assert row.recipient == NOTIFY
    (email,) = mail.outbox
    assert email.to == [NOTIFY]
    assert order.number in email.subject
    body = email.body
    assert order.relationship.buyer_alias in body
    assert "2 × Tea mug (SKU MUG-01)" in body
    assert "19.00 USD" in body
    assert buyer.email not in email.message().as_string()


def test_r28_a_pending_order_says_do_not_ship_yet(seller, seller_owner):
    order = _place(seller)
    assert order.status == OrderStatus.PENDING
    row = OutboundEmail.objects.get(kind=OutboundEmail.Kind.NEW_ORDER)
    assert "do not ship yet" in row.subject
    assert "Do not ship this order yet" in row.payload["text"]
    assert "Do not ship this order yet" in row.payload["html"]


def test_r28_an_unshipped_order_has_no_do_not_ship(seller, seller_owner):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)
    order_event_emit(OrderEvent(kind=OrderEventKind.PLACED, order_id=order.pk))
    row = OutboundEmail.objects.get(kind=OutboundEmail.Kind.NEW_ORDER)
    assert row.subject == f"New order {order.number}"
    assert "Do not ship" not in row.payload["text"]


def test_r28_without_preferences_the_new_order_goes_to_the_account_email(seller, seller_owner):
    _place(seller)
    row = OutboundEmail.objects.get(kind=OutboundEmail.Kind.NEW_ORDER)
    assert row.recipient == seller_owner.email


def test_r28_the_same_placed_event_twice_is_one_email(seller, seller_owner):
    order = _place(seller)
    order_event_emit(OrderEvent(kind=OrderEventKind.PLACED, order_id=order.pk))
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NEW_ORDER).count() == 1


@pytest.mark.parametrize("kind", [OrderEventKind.SHIPPED, OrderEventKind.DELIVERED])
def test_r28_buyer_notices_do_not_go_to_the_seller(kind, seller, seller_owner):
    order = OrderFactory(seller=seller)
    order_event_emit(OrderEvent(kind=kind, order_id=order.pk, details={}))
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NEW_ORDER).exists()
    assert OutboundEmail.objects.get().recipient == order.buyer.email
