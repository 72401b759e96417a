"""What happened to an order, for the layers above to act on: the marketplace's notices to buyers
and sellers live in messaging, which orders may not import (the apps import downwards only).

A service that changes an order calls `order_event_emit` inside its transaction; receivers
(`messaging.notices`) run at once, in that same transaction, so a notice is queued exactly when
the change is stored and a failing receiver rolls the change back: nothing happens half-way.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.dispatch import Signal


class OrderEventKind(StrEnum):
    PLACED = "placed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELED = "canceled"
    REFUNDED = "refunded"
    RETURN_REQUESTED = "return_requested"
    RETURN_AUTHORIZED = "return_authorized"
    RETURN_RECEIVED = "return_received"


@dataclass(frozen=True)
class OrderEvent:
    kind: OrderEventKind
    order_id: int
    # Who did it (a seller's owner or member, the buyer); None for the marketplace or a carrier.
    actor_id: int | None = None
    # What the notice needs and the order row does not hold: carrier and tracking number,
    # the refunded amount and its reason, the return's id.
    details: dict[str, Any] = field(default_factory=dict)


# Receivers: def receiver(sender, event: OrderEvent, **kwargs) -> None
order_event = Signal()


def order_event_emit(event: OrderEvent) -> None:
    """Tell the receivers, now, in the caller's transaction."""
    order_event.send(sender=OrderEvent, event=event)
