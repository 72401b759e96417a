"""Confirm Shipment (Manage Orders) and carrier events (POST /carriers/events/)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import require_seller_member
from core.refusals import NOT_A_PARTY_MSG
from orders.events import OrderEvent, OrderEventKind, order_event_emit
from orders.models import Order, OrderStatus
from orders.services import order_set_status
from orders.shipping.models import CarrierEvent, Shipment
from orders.shipping.rules import (
    carrier_clean,
    ship_date_check,
    shipment_status_refusal,
    tracking_number_clean,
)

CARRIER_EVENT_DELIVERED = "delivered"


@transaction.atomic
def order_confirm_shipment(
    *,
    order: Order,
    actor: User,
    carrier: str,
    tracking_number: str,
    ship_date: date,
    carrier_other: str = "",
) -> Shipment:
    """Unshipped → Shipped with the carrier's tracking number; the buyer's shipping notice
    follows from the SHIPPED event. ValidationError (by field, in words) changes nothing;
    NotAParty for a user who does not work for the order's seller."""
    require_seller_member(actor, order.seller_id, refusal=NOT_A_PARTY_MSG)
    # Locked: two clicks (or two members) at once confirm it once; the second is told why not.
    order = Order.objects.select_for_update().get(pk=order.pk)
    refusal = shipment_status_refusal(order)
    if refusal:
        raise ValidationError(refusal, code="status")
    carrier, carrier_other = carrier_clean(carrier, carrier_other)
    tracking_number = tracking_number_clean(tracking_number)
    ship_date = ship_date_check(ship_date, order=order)
    shipment = Shipment.objects.create(
        order=order,
        carrier=carrier,
        carrier_other=carrier_other,
        tracking_number=tracking_number,
        ship_date=ship_date,
        confirmed_by=actor,
    )
    order_set_status(order=order, status=OrderStatus.SHIPPED, actor=actor)
    order_event_emit(
        OrderEvent(
            kind=OrderEventKind.SHIPPED,
            order_id=order.pk,
            actor_id=actor.pk,
            details={
                "carrier": shipment.carrier_name,
                "tracking_number": tracking_number,
                "ship_date": ship_date.isoformat(),
            },
        )
    )
    return shipment


class UnknownTrackingNumber(LookupError):
    pass


@dataclass(frozen=True)
class CarrierEventOutcome:
    """What the event did: `result` is "delivered" (orders marked Delivered now),
    "no_change" (already delivered, or not shipped), or "ignored" (not a delivery); `repeat`
    when the event was received before (and then nothing changed this time)."""

    result: str
    delivered: int = 0
    repeat: bool = False


@transaction.atomic
def carrier_event_record(
    *, carrier: str, event_id: str, tracking_number: str, status: str, occurred_at: datetime
) -> CarrierEventOutcome:
    """Record a carrier's event once; a delivery marks the shipments with that tracking number
    Delivered (one parcel may hold several orders). UnknownTrackingNumber when no shipment of
    that carrier has it."""
    tracking_number = tracking_number_clean(tracking_number)
    # Locking the shipments serialises two deliveries of the same event: the second waits,
    # then finds the first one's row and changes nothing (the unique constraint backs it).
    shipments = list(
        Shipment.objects.select_for_update()
        .filter(carrier=carrier, tracking_number=tracking_number)
        .select_related("order")
        .order_by("pk")
    )
    if not shipments:
        raise UnknownTrackingNumber(tracking_number)
    seen = CarrierEvent.objects.filter(carrier=carrier, event_id=event_id).first()
    if seen is not None:
        return CarrierEventOutcome(result=seen.result, repeat=True)
    delivered = 0
    if status == CARRIER_EVENT_DELIVERED:
        for shipment in shipments:
            delivered += _shipment_deliver(shipment, occurred_at)
        result = "delivered" if delivered else "no_change"
    else:
        result = "ignored"
    try:
        with transaction.atomic():
            CarrierEvent.objects.create(
                carrier=carrier,
                event_id=event_id,
                tracking_number=tracking_number,
                status=status,
                occurred_at=occurred_at,
                result=result,
            )
    except IntegrityError:
        # Recorded meanwhile by a transaction that did not lock these shipments: undo ours.
        transaction.set_rollback(True)
        return CarrierEventOutcome(result=result, repeat=True)
    return CarrierEventOutcome(result=result, delivered=delivered)


def _shipment_deliver(shipment: Shipment, occurred_at: datetime) -> int:
    """1 when the order moved Shipped → Delivered; a delivered (or canceled) order stays."""
    order = Order.objects.select_for_update().get(pk=shipment.order_id)
    if order.status != OrderStatus.SHIPPED:
        return 0
    # Not before the shipment was confirmed: a carrier's clock, or a late confirmation.
    at = max(occurred_at, order.shipped_at or occurred_at)
    at = min(at, timezone.now())
    shipment.delivered_at = at
    shipment.save(update_fields=["delivered_at"])
    order_set_status(order=order, status=OrderStatus.DELIVERED, at=at)
    order_event_emit(
        OrderEvent(
            kind=OrderEventKind.DELIVERED,
            order_id=order.pk,
            details={"carrier": shipment.carrier_name, "tracking_number": shipment.tracking_number},
        )
    )
    return 1
