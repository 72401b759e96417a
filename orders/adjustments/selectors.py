from decimal import Decimal

from django.db.models import Sum

from orders.adjustments.models import Refund
from orders.models import Order


def order_refunded_amount(order: Order) -> Decimal:
    """What has been refunded on the order so far."""
    total = Refund.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def order_refundable_amount(order: Order) -> Decimal:
    """What is left to refund: the order's total less its refunds (never below zero)."""
    return max(order.total - order_refunded_amount(order), Decimal("0"))
