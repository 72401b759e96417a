"""Two identical carrier events at once: the order is delivered once (the shipments' row
lock serialises them; the unique (carrier, event_id) backs it)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from orders.events import order_event
from orders.models import OrderStatus, OrderStatusChange
from orders.shipping.models import CarrierEvent
from orders.shipping.services import carrier_event_record
from tests.orders.shipping.factories import ShipmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_identical_delivery_events_at_once_deliver_the_order_once():
    shipment = ShipmentFactory()
    occurred_at = timezone.now()
    delivered_events = []
    barrier = threading.Barrier(2)
    outcomes = []
    errors = []

    def receiver(sender, event, **kwargs):
        delivered_events.append(event)

    def deliver():
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                carrier_event_record(
                    carrier=shipment.carrier,
                    event_id="same-event",
                    tracking_number=shipment.tracking_number,
                    status="delivered",
                    occurred_at=occurred_at,
                )
            )
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    order_event.connect(receiver)
    try:
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        order_event.disconnect(receiver)
    assert not errors
    assert sorted(outcome.delivered for outcome in outcomes) == [0, 1]
    assert sorted(outcome.repeat for outcome in outcomes) == [False, True]
    assert len(delivered_events) == 1
    assert CarrierEvent.objects.count() == 1
    order = shipment.order
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert OrderStatusChange.objects.filter(order=order, status="delivered").count() == 1
