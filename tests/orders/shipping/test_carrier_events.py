"""POST /carriers/events/: a token per carrier, idempotent by (carrier, event_id), unknown
tracking numbers 404, a delivered order stays delivered."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.events import OrderEventKind, order_event
from orders.models import OrderStatus, OrderStatusChange
from orders.shipping.models import Carrier, CarrierEvent
from tests.factories import OrderFactory
from tests.orders.shipping.factories import ShipmentFactory

pytestmark = pytest.mark.django_db

TOKENS = {"ups": "ups-secret", "dhl": "dhl-secret"}


@pytest.fixture(autouse=True)
def _tokens(settings):
    settings.CARRIER_EVENT_TOKENS = TOKENS


@pytest.fixture
def events():
    received = []

    def receiver(sender, event, **kwargs):
        received.append(event)

    order_event.connect(receiver)
    yield received
    order_event.disconnect(receiver)


def _post(client, body, token="ups-secret"):  # noqa: S107  (a test token)
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(
        reverse("orders:carrier_events"), data, content_type="application/json", headers=headers
    )


def _event(shipment, event_id="evt-1", **overrides):
    body = {
        "event_id": event_id,
        "tracking_number": shipment.tracking_number,
        "status": "delivered",
        "occurred_at": timezone.now().isoformat(),
    }
    body.update(overrides)
    return body


def test_carrier_delivery_event_marks_order_delivered_once(client, events):
    shipment = ShipmentFactory()
    response = _post(client, _event(shipment))
    assert response.status_code == 200
    assert response.json() == {
        "event_id": "evt-1",
        "result": "delivered",
        "orders_delivered": 1,
        "repeat": False,
    }
    order = shipment.order
    order.refresh_from_db()
    shipment.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.delivered_at is not None
    assert shipment.delivered_at == order.delivered_at
    assert [e.kind for e in events] == [OrderEventKind.DELIVERED]
    change = OrderStatusChange.objects.filter(order=order).latest("id")
    assert change.status == OrderStatus.DELIVERED
    assert change.changed_by is None

    again = _post(client, _event(shipment))
    assert again.status_code == 200
    assert again.json()["repeat"] is True
    assert again.json()["orders_delivered"] == 0
    assert len(events) == 1
    assert OrderStatusChange.objects.filter(order=order, status="delivered").count() == 1
    assert CarrierEvent.objects.count() == 1


def test_carrier_event_a_delivered_order_stays_delivered(client, events):
    shipment = ShipmentFactory()
    _post(client, _event(shipment, "evt-1"))
    order = shipment.order
    order.refresh_from_db()
    delivered_at = order.delivered_at
    response = _post(client, _event(shipment, "evt-2"))
    assert response.json()["result"] == "no_change"
    order.refresh_from_db()
    assert order.delivered_at == delivered_at
    assert len(events) == 1


def test_carrier_event_for_a_canceled_order_changes_nothing(client, events):
    shipment = ShipmentFactory(order=OrderFactory(status=OrderStatus.CANCELED))
    assert _post(client, _event(shipment)).json()["result"] == "no_change"
    shipment.order.refresh_from_db()
    assert shipment.order.status == OrderStatus.CANCELED
    assert not events


def test_carrier_event_unknown_tracking_number_is_404(client):
    response = _post(client, {**_event(ShipmentFactory()), "tracking_number": "NOSUCH123"})
    assert response.status_code == 404
    assert not CarrierEvent.objects.exists()


def test_carrier_event_of_another_carrier_does_not_find_the_shipment(client):
    shipment = ShipmentFactory(carrier=Carrier.DHL)
    assert _post(client, _event(shipment), token="ups-secret").status_code == 404
    assert _post(client, _event(shipment), token="dhl-secret").status_code == 200


def test_carrier_event_tracking_number_matched_as_typed_by_the_seller(client):
    shipment = ShipmentFactory(tracking_number="1Z999AA10123456784")
    body = _event(shipment, tracking_number="1z 999 aa1 0123456784")
    assert _post(client, body).json()["result"] == "delivered"


@pytest.mark.parametrize("token", [None, "", "wrong", "ups-secretx", "Bearer ups-secret"])
def test_carrier_event_needs_a_carrier_token(client, token):
    shipment = ShipmentFactory()
    assert _post(client, _event(shipment), token=token).status_code == 401
    shipment.order.refresh_from_db()
    assert shipment.order.status == OrderStatus.SHIPPED


def test_carrier_events_off_without_tokens(client, settings):
    settings.CARRIER_EVENT_TOKENS = {}
    assert _post(client, _event(ShipmentFactory()), token="").status_code == 401


def test_carrier_event_needs_no_csrf_token():
    from django.test import Client

    response = _post(Client(enforce_csrf_checks=True), _event(ShipmentFactory()))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        b"\xff\xfe",
        {"event_id": "e", "tracking_number": "1Z999AA1", "status": "delivered"},
        {"event_id": 5, "tracking_number": "1Z999AA1", "status": "delivered", "occurred_at": "x"},
        {
            "event_id": "e",
            "tracking_number": "1Z999AA1",
            "status": "delivered",
            "occurred_at": "2026-12-08T10:00:00",
        },
        {
            "event_id": "e" * 101,
            "tracking_number": "1Z999AA1",
            "status": "delivered",
            "occurred_at": "2026-12-08T10:00:00Z",
        },
        {
            "event_id": "e",
            "tracking_number": "<bad>",
            "status": "delivered",
            "occurred_at": "2026-12-08T10:00:00Z",
        },
        {
            "event_id": "e",
            "tracking_number": "1Z999AA1",
            "status": "delivered",
            "occurred_at": "2026-13-45T10:00:00Z",
        },
    ],
)
def test_carrier_event_malformed_is_400_in_words(client, body):
    response = _post(client, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not CarrierEvent.objects.exists()


def test_carrier_event_other_status_is_recorded_and_ignored(client):
    shipment = ShipmentFactory()
    response = _post(client, _event(shipment, status="in_transit"))
    assert response.json()["result"] == "ignored"
    shipment.order.refresh_from_db()
    assert shipment.order.status == OrderStatus.SHIPPED


def test_carrier_event_delivery_time_not_before_the_shipment(client):
    shipment = ShipmentFactory(order=OrderFactory(status=OrderStatus.UNSHIPPED))
    order = shipment.order
    order.status = OrderStatus.SHIPPED
    order.shipped_at = timezone.now()
    order.save()
    _post(client, _event(shipment, occurred_at=(timezone.now() - timedelta(days=3)).isoformat()))
    order.refresh_from_db()
    assert order.delivered_at >= order.shipped_at


def test_one_parcel_delivers_every_order_with_its_tracking_number(client):
    first = ShipmentFactory(tracking_number="1ZCOMBINED01")
    second = ShipmentFactory(tracking_number="1ZCOMBINED01", order__seller=first.order.seller)
    assert _post(client, _event(first)).json()["orders_delivered"] == 2
    for shipment in (first, second):
        shipment.order.refresh_from_db()
        assert shipment.order.status == OrderStatus.DELIVERED
