import factory
from factory.django import DjangoModelFactory

from orders.models import OrderStatus
from orders.returns.models import ReturnReason, ReturnRequest, ReturnStatus
from tests.factories import OrderFactory


class ReturnRequestFactory(DjangoModelFactory):
    """A return of a delivered order; `status` may be any step (the services test each move)."""

    class Meta:
        model = ReturnRequest

    order = factory.SubFactory(OrderFactory, status=OrderStatus.DELIVERED)
    seller = factory.SelfAttribute("order.seller")
    buyer = factory.SelfAttribute("order.buyer")
    reason = ReturnReason.DAMAGED
    comment = "The box was crushed."
    status = ReturnStatus.REQUESTED
