"""R29 returns: the services' rules (who may request, one open return, each step from its
status, who did it, the OrderEvent of each step) and refunds that never exceed the total."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from orders.adjustments import services as adjustment_services
from orders.adjustments.models import Refund, RefundSource
from orders.adjustments.selectors import order_refundable_amount
from orders.adjustments.services import order_refund
from orders.events import OrderEventKind
from orders.models import OrderStatus
from orders.returns.models import ReturnRequest, ReturnStatus
from orders.returns.photos import return_photo_clean
from orders.returns.services import (
    return_authorize,
    return_close,
    return_mark_received,
    return_refund,
    return_request,
)
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.orders.returns.conftest import png_upload
from tests.orders.returns.factories import ReturnRequestFactory

pytestmark = pytest.mark.django_db


def test_r29_buyer_requests_a_return_of_a_delivered_order(delivered_order, buyer, events):
    request = return_request(
        order=delivered_order, buyer=buyer, reason="damaged", comment="Crushed box"
    )
    assert request.status == ReturnStatus.REQUESTED
    assert request.seller_id == delivered_order.seller_id
    assert [(e.kind, e.order_id, e.actor_id) for e in events] == [
        (OrderEventKind.RETURN_REQUESTED, delivered_order.pk, buyer.pk)
    ]
    assert events[0].details["return_id"] == request.pk


def test_r29_a_shipped_order_may_be_returned(seller, buyer):
    order = OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.SHIPPED)
    assert return_request(order=order, buyer=buyer, reason="wrong_item").pk


@pytest.mark.parametrize(
    "status", [OrderStatus.PENDING, OrderStatus.UNSHIPPED, OrderStatus.CANCELED]
)
def test_r29_an_order_not_yet_shipped_cannot_be_returned(seller, buyer, status, events):
    order = OrderFactory(seller=seller, buyer=buyer, status=status)
    with pytest.raises(ValidationError) as refused:
        return_request(order=order, buyer=buyer, reason="damaged")
    assert refused.value.code == "not_shipped"
    assert not ReturnRequest.objects.exists()
    assert events == []


def test_r29_only_the_orders_buyer_may_request_its_return(delivered_order):
    with pytest.raises(PermissionDenied):
        return_request(order=delivered_order, buyer=BuyerFactory(), reason="damaged")


def test_r29_one_open_return_per_order(delivered_order, buyer):
    return_request(order=delivered_order, buyer=buyer, reason="damaged")
    with pytest.raises(ValidationError) as refused:
        return_request(order=delivered_order, buyer=buyer, reason="other")
    assert refused.value.code == "open"
    assert ReturnRequest.objects.count() == 1


def test_r29_a_closed_return_lets_the_buyer_request_again(delivered_order, buyer, seller_owner):
    first = return_request(order=delivered_order, buyer=buyer, reason="damaged")
    return_close(return_request=first, actor=seller_owner)
    assert return_request(order=delivered_order, buyer=buyer, reason="other").pk != first.pk


def test_r29_an_unknown_reason_is_refused(delivered_order, buyer):
    with pytest.raises(ValidationError):
        return_request(order=delivered_order, buyer=buyer, reason="whim")


def test_r29_the_photo_is_stored_without_its_file_name(delivered_order, buyer, settings):
    photo = return_photo_clean(png_upload("../../etc/my holiday.png"))
    request = return_request(order=delivered_order, buyer=buyer, reason="damaged", photo=photo)
    assert request.photo.name.startswith("returns/")
    assert "holiday" not in request.photo.name
    assert request.photo.name.endswith(".png")


def test_r29_steps_record_who_and_emit_their_events(seller, seller_owner, events):
    member = seller_user(seller, role="member")
    request = ReturnRequestFactory(order__seller=seller)
    return_authorize(return_request=request, actor=member)
    return_mark_received(return_request=request, actor=seller_owner)
    request.refresh_from_db()
    assert request.status == ReturnStatus.RECEIVED
    assert request.authorized_by == member
    assert request.received_by == seller_owner
    assert request.authorized_at
    assert request.received_at
    assert [e.kind for e in events] == [
        OrderEventKind.RETURN_AUTHORIZED,
        OrderEventKind.RETURN_RECEIVED,
    ]


def test_r29_a_step_out_of_order_is_refused(seller, seller_owner, events):
    request = ReturnRequestFactory(order__seller=seller)
    with pytest.raises(ValidationError) as refused:
        return_mark_received(return_request=request, actor=seller_owner)
    assert "requested" in refused.value.messages[0]
    request.refresh_from_db()
    assert request.status == ReturnStatus.REQUESTED
    assert events == []


def test_r29_another_sellers_member_may_not_act(seller, other_seller):
    request = ReturnRequestFactory(order__seller=seller)
    with pytest.raises(PermissionDenied):
        return_authorize(return_request=request, actor=seller_user(other_seller))


def test_r29_partial_then_full_refund_up_to_what_is_left(seller, seller_owner, events):
    request = ReturnRequestFactory(
        order__seller=seller, order__total=Decimal("100.00"), status=ReturnStatus.RECEIVED
    )
    refund = return_refund(
        return_request=request, actor=seller_owner, amount=Decimal("30"), reason="GeneralAdjustment"
    )
    assert (refund.amount, refund.currency) == (Decimal("30"), request.order.currency)
    assert (refund.source, refund.source_id) == (RefundSource.RETURN, request.pk)
    request.refresh_from_db()
    assert request.status == ReturnStatus.REFUNDED
    assert request.refunded_by == seller_owner
    with pytest.raises(ValidationError) as refused:
        return_refund(
            return_request=request,
            actor=seller_owner,
            amount=Decimal("70.01"),
            reason="GeneralAdjustment",
        )
    assert refused.value.code == "too_much"
    return_refund(
        return_request=request, actor=seller_owner, amount=Decimal("70"), reason="GeneralAdjustment"
    )
    assert order_refundable_amount(request.order) == Decimal("0")
    assert [e.kind for e in events] == [OrderEventKind.REFUNDED, OrderEventKind.REFUNDED]
    assert events[0].details["source"] == "return"


def test_r29_a_requested_return_is_not_refunded_before_authorization(seller, seller_owner):
    request = ReturnRequestFactory(order__seller=seller)
    with pytest.raises(ValidationError):
        return_refund(
            return_request=request,
            actor=seller_owner,
            amount=Decimal("1"),
            reason="GeneralAdjustment",
        )
    assert not Refund.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_r29_concurrent_return_refunds_never_exceed_the_total(seller, monkeypatch):
    """Two clicks of Refund at once on the same return, each on its own connection, each for 60%
    of the total: one is refunded, the other refused, and the order's refunds stay at 60. Reading
    what is left is slowed down, so both would read 100 without the locks."""
    read_left = adjustment_services.order_refundable_amount

    def slow_read_left(order):
        left = read_left(order)
        time.sleep(0.5)
        return left

    monkeypatch.setattr(adjustment_services, "order_refundable_amount", slow_read_left)
    request = ReturnRequestFactory(
        order__seller=seller, order__total=Decimal("100.00"), status=ReturnStatus.RECEIVED
    )
    actors = [seller_user(seller), seller_user(seller, role="member")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(actor):
        try:
            barrier.wait()
            return_refund(
                return_request=request,
                actor=actor,
                amount=Decimal("60"),
                reason="GeneralAdjustment",
            )
            outcomes.append("refunded")
        except ValidationError as refused:
            outcomes.append(refused.code or "")
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refunded", "too_much"]
    assert Refund.objects.filter(order=request.order).count() == 1
    assert order_refundable_amount(request.order) == Decimal("40.00")


@pytest.mark.django_db(transaction=True)
def test_r29_a_return_refund_and_an_adjustment_at_once_never_exceed_the_total(seller, monkeypatch):
    read_left = adjustment_services.order_refundable_amount

    def slow_read_left(order):
        left = read_left(order)
        time.sleep(0.5)
        return left

    monkeypatch.setattr(adjustment_services, "order_refundable_amount", slow_read_left)
    request = ReturnRequestFactory(
        order__seller=seller, order__total=Decimal("100.00"), status=ReturnStatus.AUTHORIZED
    )
    actor = seller_user(seller)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def by_return():
        try:
            barrier.wait()
            return_refund(
                return_request=request,
                actor=actor,
                amount=Decimal("80"),
                reason="GeneralAdjustment",
            )
            outcomes.append("refunded")
        except ValidationError as refused:
            outcomes.append(refused.code or "")
        finally:
            connection.close()

    def by_adjustment():
        try:
            barrier.wait()
            order_refund(
                order=request.order, actor=actor, amount=Decimal("80"), reason="GeneralAdjustment"
            )
            outcomes.append("refunded")
        except ValidationError as refused:
            outcomes.append(refused.code or "")
        finally:
            connection.close()

    threads = [threading.Thread(target=by_return), threading.Thread(target=by_adjustment)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refunded", "too_much"]
    assert order_refundable_amount(request.order) == Decimal("20.00")
