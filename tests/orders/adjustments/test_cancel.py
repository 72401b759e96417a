"""order_cancel: a full adjustment of a Pending or Unshipped order, with its reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from orders.adjustments.models import Refund
from orders.adjustments.selectors import order_refundable_amount
from orders.adjustments.services import order_cancel, order_refund
from orders.events import OrderEventKind, order_event
from orders.models import OrderStatus
from tests.factories import OrderFactory, seller_user


@pytest.fixture
def events():
    seen = []

    def receiver(sender, event, **kwargs):
        seen.append(event)

    order_event.connect(receiver, dispatch_uid="test-adjust-cancel-events")
    yield seen
    order_event.disconnect(dispatch_uid="test-adjust-cancel-events")


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.UNSHIPPED])
def test_cancel_refunds_the_full_amount_and_records_who_and_why(seller, events, status):
    order = OrderFactory(seller=seller, status=status, total=Decimal("24.98"))
    member = seller_user(seller, role="member")

    refund = order_cancel(order=order, actor=member, reason="NoInventory")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    assert order.canceled_at is not None
    assert refund is not None
    assert (refund.amount, refund.reason, refund.actor) == (Decimal("24.98"), "NoInventory", member)
    change = order.status_changes.last()
    assert (change.status, change.changed_by) == (OrderStatus.CANCELED, member)
    assert [event.kind for event in events] == [OrderEventKind.REFUNDED, OrderEventKind.CANCELED]
    assert events[1].details["reason"] == "NoInventory"
    assert events[1].details["amount"] == "24.98"


def test_cancel_refunds_only_what_is_left(seller, seller_owner):
    order = OrderFactory(seller=seller, total=Decimal("30.00"))
    order_refund(order=order, actor=seller_owner, amount=Decimal("10"), reason="PriceError")

    refund = order_cancel(order=order, actor=seller_owner, reason="CouldNotShip")

    assert refund is not None
    assert refund.amount == Decimal("20.00")
    assert order_refundable_amount(order) == Decimal("0")


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (OrderStatus.SHIPPED, "shipped"),
        (OrderStatus.DELIVERED, "shipped"),
        (OrderStatus.CANCELED, "canceled"),
    ],
)
def test_a_shipped_or_canceled_order_cannot_be_canceled(seller, seller_owner, status, code):
    order = OrderFactory(seller=seller, status=status)

    with pytest.raises(ValidationError) as refused:
        order_cancel(order=order, actor=seller_owner, reason="NoInventory")

    assert refused.value.code == code
    order.refresh_from_db()
    assert order.status == status
    assert not Refund.objects.exists()


def test_the_shipped_refusal_points_to_returns(seller, seller_owner):
    order = OrderFactory(seller=seller, status=OrderStatus.SHIPPED)

    with pytest.raises(ValidationError) as refused:
        order_cancel(order=order, actor=seller_owner, reason="NoInventory")

    assert "Manage Returns" in refused.value.messages[0]


def test_another_seller_may_not_cancel(seller, other_seller):
    order = OrderFactory(seller=seller)

    with pytest.raises(PermissionDenied):
        order_cancel(order=order, actor=seller_user(other_seller), reason="NoInventory")
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED


def test_an_unknown_reason_changes_nothing(seller, seller_owner):
    order = OrderFactory(seller=seller)

    with pytest.raises(ValidationError):
        order_cancel(order=order, actor=seller_owner, reason="")
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED
