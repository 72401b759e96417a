"""order_refund and order_refundable_amount: refunds never exceed what the buyer paid."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from orders.adjustments import services
from orders.adjustments.models import Refund, RefundReason, RefundSource
from orders.adjustments.selectors import order_refundable_amount
from orders.adjustments.services import order_refund
from orders.events import OrderEventKind, order_event
from tests.factories import OrderFactory, seller_user


@pytest.fixture
def events():
    seen = []

    def receiver(sender, event, **kwargs):
        seen.append(event)

    order_event.connect(receiver, dispatch_uid="test-adjust-refund-events")
    yield seen
    order_event.disconnect(dispatch_uid="test-adjust-refund-events")


@pytest.fixture
def order(seller):
    return OrderFactory(seller=seller, total=Decimal("24.98"), currency="EUR")


def test_refund_records_the_amount_in_the_order_currency_and_emits_refunded(
    order, seller_owner, events
):
    refund = order_refund(
        order=order, actor=seller_owner, amount=Decimal("10.00"), reason=RefundReason.PRICE_ERROR
    )

    assert (refund.amount, refund.currency, refund.reason) == (
        Decimal("10.00"),
        "EUR",
        "PriceError",
    )
    assert (refund.actor, refund.source, refund.source_id) == (seller_owner, "adjustment", None)
    assert order_refundable_amount(order) == Decimal("14.98")
    [event] = events
    assert event.kind == OrderEventKind.REFUNDED
    assert event.order_id == order.pk
    assert event.actor_id == seller_owner.pk
    assert event.details["amount"] == "10.00"
    assert event.details["currency"] == "EUR"
    assert event.details["reason"] == "PriceError"
    assert event.details["refund_id"] == refund.pk


def test_refund_from_a_return_keeps_its_source(order, seller_owner):
    refund = order_refund(
        order=order,
        actor=seller_owner,
        amount=Decimal("5"),
        reason=RefundReason.CUSTOMER_EXCHANGE,
        source=RefundSource.RETURN,
        source_id=42,
    )

    assert (refund.source, refund.source_id) == ("return", 42)


def test_a_member_may_refund(order, seller):
    member = seller_user(seller, role="member")

    order_refund(order=order, actor=member, amount=Decimal("1"), reason="GeneralAdjustment")

    assert order_refundable_amount(order) == Decimal("23.98")


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (Decimal("0"), "not_positive"),
        (Decimal("-1"), "not_positive"),
        (Decimal("NaN"), "not_positive"),
        (Decimal("24.99"), "too_much"),
        (Decimal("1e40"), "too_much"),
        (Decimal("1.005"), "cents"),
    ],
)
def test_bad_amounts_are_refused_in_words_and_change_nothing(order, seller_owner, amount, code):
    with pytest.raises(ValidationError) as refused:
        order_refund(order=order, actor=seller_owner, amount=amount, reason="NoInventory")

    assert refused.value.code == code
    assert refused.value.messages[0][0].isupper()
    assert not Refund.objects.exists()


def test_the_refusal_says_what_is_left(order, seller_owner):
    order_refund(order=order, actor=seller_owner, amount=Decimal("20"), reason="NoInventory")

    with pytest.raises(ValidationError) as refused:
        order_refund(order=order, actor=seller_owner, amount=Decimal("5"), reason="NoInventory")

    assert refused.value.messages == ["Only 4.98 EUR is left to refund on this order."]


def test_nothing_left_after_a_full_refund(order, seller_owner):
    order_refund(order=order, actor=seller_owner, amount=order.total, reason="NoInventory")

    with pytest.raises(ValidationError) as refused:
        order_refund(order=order, actor=seller_owner, amount=Decimal("0.01"), reason="NoInventory")

    assert refused.value.code == "nothing_left"
    assert order_refundable_amount(order) == Decimal("0")


def test_an_unknown_reason_is_refused(order, seller_owner):
    with pytest.raises(ValidationError):
        order_refund(order=order, actor=seller_owner, amount=Decimal("1"), reason="Whim")


def test_another_sellers_member_may_not_refund(order, other_seller):
    with pytest.raises(PermissionDenied):
        order_refund(
            order=order,
            actor=seller_user(other_seller),
            amount=Decimal("1"),
            reason="NoInventory",
        )
    assert not Refund.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_never_exceed_the_total(seller, monkeypatch):
    """Two sellers' clicks at once, each on its own connection, each asking for 60% of the
    total: the order's row lock serves them one after the other, and the second is refused.
    Reading what is left is slowed down, so without the lock both clicks would read 100 before
    either stored its refund (this test fails then)."""
    read_left = services.order_refundable_amount

    def slow_read_left(order):
        left = read_left(order)
        time.sleep(0.5)
        return left

    monkeypatch.setattr(services, "order_refundable_amount", slow_read_left)
    order = OrderFactory(seller=seller, total=Decimal("100.00"))
    actor = seller_user(seller)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click():
        try:
            barrier.wait()
            order_refund(order=order, actor=actor, amount=Decimal("60"), reason="NoInventory")
            outcomes.append("refunded")
        except ValidationError as refused:
            outcomes.append(refused.code or "")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refunded", "too_much"]
    assert Refund.objects.filter(order=order).count() == 1
    assert order_refundable_amount(order) == Decimal("40.00")
