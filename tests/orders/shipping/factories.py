import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from orders.models import OrderStatus
from orders.shipping.models import Carrier, CarrierEvent, Shipment
from tests.factories import OrderFactory, UserFactory


class ShipmentFactory(DjangoModelFactory):
    """A confirmed shipment of a Shipped order (the status set as the service would)."""

    class Meta:
        model = Shipment

    order = factory.SubFactory(OrderFactory, status=OrderStatus.SHIPPED)
    carrier = Carrier.UPS
    tracking_number = factory.Sequence(lambda n: f"1Z999AA1{n:010d}")
    ship_date = factory.LazyFunction(lambda: timezone.now().date())
    confirmed_by = factory.SubFactory(UserFactory)


class CarrierEventFactory(DjangoModelFactory):
    class Meta:
        model = CarrierEvent

    carrier = Carrier.UPS
    event_id = factory.Sequence(lambda n: f"evt-{n}")
    tracking_number = factory.Sequence(lambda n: f"1Z999AA1{n:010d}")
    status = "delivered"
    occurred_at = factory.LazyFunction(timezone.now)
    result = "delivered"
