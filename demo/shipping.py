"""A few shipments confirmed from Manage Orders and carriers' delivery events for some of them,
played through the services the page and POST /carriers/events/ use (notices included)."""

from datetime import datetime, timedelta

from django.db import transaction

from accounts.models import SellerAccount, SellerMembership, User
from orders.models import OrderStatus
from orders.shipping.models import Carrier, Shipment
from orders.shipping.services import carrier_event_record, order_confirm_shipment

# (carrier, tracking number, delivered by the carrier's event?)
DEMO_SHIPMENTS = [
    (Carrier.UPS, "1Z999AA10123456784", True),
    (Carrier.DHL, "JD014600003828110570", True),
    (Carrier.UPS, "1Z999AA10123456791", False),
]


def demo_shipments_play(*, seller: SellerAccount, now: datetime) -> None:
    """Once: the seller's owner confirms the shipment of a few Unshipped orders no case is
    about (the stories' orders stay as they are), then the carrier delivers two of them."""
    if Shipment.objects.filter(order__seller=seller).exists():
        return
    owner = (
        User.objects.filter(
            seller_membership__seller=seller, seller_membership__role=SellerMembership.Role.OWNER
        )
        .order_by("email")
        .first()
    )
    if owner is None:
        return
    orders = list(
        seller.orders.filter(status=OrderStatus.UNSHIPPED, cases__isnull=True).order_by(
            "placed_at", "id"
        )[: len(DEMO_SHIPMENTS)]
    )
    with transaction.atomic():
        for order, (carrier, tracking_number, delivered) in zip(
            orders, DEMO_SHIPMENTS, strict=False
        ):
            order_confirm_shipment(
                order=order,
                actor=owner,
                carrier=carrier,
                tracking_number=tracking_number,
                ship_date=max(order.placed_at, now - timedelta(days=1)).date(),
            )
            if delivered:
                carrier_event_record(
                    carrier=carrier,
                    event_id=f"demo-{tracking_number}",
                    tracking_number=tracking_number,
                    status="delivered",
                    occurred_at=now,
                )
