"""seed_demo confirms a few shipments and plays carriers' delivery events through the services,
once."""

import io

import pytest
from django.core.management import call_command

from orders.models import OrderStatus
from orders.shipping.models import CarrierEvent, Shipment

pytestmark = pytest.mark.django_db


def test_seed_demo_plays_shipments_and_carrier_events_once():
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    shipments = list(Shipment.objects.select_related("order"))
    assert len(shipments) == 3
    delivered = [s for s in shipments if s.order.status == OrderStatus.DELIVERED]
    assert len(delivered) == 2
    assert all(s.delivered_at for s in delivered)
    assert {s.order.status for s in shipments} == {OrderStatus.SHIPPED, OrderStatus.DELIVERED}
    assert CarrierEvent.objects.filter(result="delivered").count() == 2
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert Shipment.objects.count() == 3
