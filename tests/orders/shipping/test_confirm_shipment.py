"""order_confirm_shipment: only an Unshipped order, by the seller's owner or a member, with a
sane carrier, tracking number and ship date; Shipped with who did it and a SHIPPED event."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.refusals import NotAParty
from orders.events import OrderEventKind, order_event
from orders.models import OrderStatus, OrderStatusChange
from orders.shipping.models import Carrier, Shipment
from orders.shipping.rules import PENDING_MSG, tracking_number_clean
from orders.shipping.services import order_confirm_shipment
from tests.factories import OrderFactory, SellerMembershipFactory, seller_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    received = []

    def receiver(sender, event, **kwargs):
        received.append(event)

    order_event.connect(receiver)
    yield received
    order_event.disconnect(receiver)


def _ship(order, actor, **overrides):
    values = {
        "carrier": Carrier.UPS,
        "tracking_number": " 1z 999 aa1 01 2345 6784 ",
        "ship_date": timezone.now().date(),
    }
    values.update(overrides)
    return order_confirm_shipment(order=order, actor=actor, **values)


def test_confirm_shipment_marks_unshipped_order_shipped_with_who_and_event(
    seller, seller_owner, events
):
    order = OrderFactory(seller=seller)
    shipment = _ship(order, seller_owner)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert order.shipped_at is not None
    assert shipment.tracking_number == "1Z999AA10123456784"
    assert shipment.confirmed_by == seller_owner
    change = OrderStatusChange.objects.filter(order=order).latest("id")
    assert (change.status, change.changed_by) == (OrderStatus.SHIPPED, seller_owner)
    [event] = events
    assert event.kind == OrderEventKind.SHIPPED
    assert event.order_id == order.pk
    assert event.actor_id == seller_owner.pk
    assert event.details == {
        "carrier": "UPS",
        "tracking_number": "1Z999AA10123456784",
        "ship_date": timezone.now().date().isoformat(),
    }


def test_confirm_shipment_member_may_ship(seller):
    member = SellerMembershipFactory(seller=seller, role="member").user
    order = OrderFactory(seller=seller)
    _ship(order, member)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_confirm_shipment_refused_for_another_sellers_user(seller, other_seller, events):
    order = OrderFactory(seller=seller)
    with pytest.raises(NotAParty):
        _ship(order, seller_user(other_seller))
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED
    assert not Shipment.objects.exists()
    assert not events


def test_seed000_pending_order_waits_for_the_order_report(seller, seller_owner, events):
    """Sellers wait until an order is posted to the order report (Unshipped) before shipping."""
    order = OrderFactory(seller=seller, status=OrderStatus.PENDING)
    with pytest.raises(ValidationError) as error:
        _ship(order, seller_owner)
    assert error.value.messages == [PENDING_MSG]
    assert "order report" in PENDING_MSG
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not events


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (OrderStatus.SHIPPED, "already shipped"),
        (OrderStatus.DELIVERED, "already delivered"),
        (OrderStatus.CANCELED, "canceled"),
    ],
)
def test_confirm_shipment_refused_for_other_statuses_in_words(seller, seller_owner, status, words):
    order = OrderFactory(seller=seller, status=status)
    with pytest.raises(ValidationError) as error:
        _ship(order, seller_owner)
    assert words in error.value.messages[0]
    assert not Shipment.objects.exists()


def test_confirm_shipment_ship_date_not_in_the_future(seller, seller_owner):
    order = OrderFactory(seller=seller)
    with pytest.raises(ValidationError) as error:
        _ship(order, seller_owner, ship_date=timezone.now().date() + timedelta(days=2))
    assert "future" in error.value.message_dict["ship_date"][0]
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED


def test_confirm_shipment_ship_date_not_before_the_order(seller, seller_owner):
    order = OrderFactory(seller=seller, placed_at=timezone.now() - timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        _ship(order, seller_owner, ship_date=timezone.now().date() - timedelta(days=5))
    assert "before the order was placed" in error.value.message_dict["ship_date"][0]
    _ship(order, seller_owner, ship_date=timezone.now().date() - timedelta(days=3))


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Enter the tracking number"),
        ("   ", "Enter the tracking number"),
        ("12345", "6 to 40"),
        ("9" * 41, "6 to 40"),
        ("1Z99<script>", "only letters"),
        ("ÄÖÜ123456", "only letters"),
        ("1Z\x00999999", "only letters"),
    ],
)
def test_confirm_shipment_tracking_number_sane(seller, seller_owner, typed, words):
    order = OrderFactory(seller=seller)
    with pytest.raises(ValidationError) as error:
        _ship(order, seller_owner, tracking_number=typed)
    assert words in error.value.message_dict["tracking_number"][0]
    assert not Shipment.objects.exists()


def test_tracking_number_clean_keeps_dashes_upper_case_without_spaces():
    assert tracking_number_clean(" ab-12 34\t56 ") == "AB-123456"


def test_confirm_shipment_other_carrier_needs_a_name(seller, seller_owner):
    order = OrderFactory(seller=seller)
    with pytest.raises(ValidationError) as error:
        _ship(order, seller_owner, carrier=Carrier.OTHER, carrier_other="  ")
    assert "name of the carrier" in error.value.message_dict["carrier_other"][0]
    with pytest.raises(ValidationError):
        _ship(order, seller_owner, carrier=Carrier.OTHER, carrier_other="x" * 61)
    with pytest.raises(ValidationError):
        _ship(order, seller_owner, carrier="pigeon")
    shipment = _ship(
        order, seller_owner, carrier=Carrier.OTHER, carrier_other="  Yamato  Transport "
    )
    assert shipment.carrier_name == "Yamato Transport"


def test_confirm_shipment_name_is_ignored_for_a_listed_carrier(seller, seller_owner):
    shipment = _ship(OrderFactory(seller=seller), seller_owner, carrier_other="Something")
    assert shipment.carrier_other == ""
