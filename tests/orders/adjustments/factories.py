import factory
from factory.django import DjangoModelFactory

from orders.adjustments.models import Refund, RefundReason, RefundSource
from tests.factories import OrderFactory


class RefundFactory(DjangoModelFactory):
    """A refund of part of an order, made directly (order_refund, which checks what is left and
    emits REFUNDED, is what the pages use)."""

    class Meta:
        model = Refund

    order = factory.SubFactory(OrderFactory)
    amount = factory.LazyAttribute(lambda o: min(o.order.total, o.order.total / 2 + 1))
    currency = factory.LazyAttribute(lambda o: o.order.currency)
    reason = RefundReason.GENERAL_ADJUSTMENT
    source = RefundSource.ADJUSTMENT
