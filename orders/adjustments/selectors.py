from decimal import Decimal

from django.db.models import Sum

from orders.adjustments.models import Refund, RefundReason, RefundSource
from orders.models import Order, OrderStatus


def order_refunded_amount(order: Order) -> Decimal:
    """What has been refunded on the order so far."""
    total = Refund.objects.filter(order=order).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def order_refundable_amount(order: Order) -> Decimal:
    """What is left to refund: the order's total less its refunds (never below zero)."""
    return max(order.total - order_refunded_amount(order), Decimal("0"))


CANCEL_REFUSAL_SHIPPED = (
    "This order has shipped, so it cannot be canceled. Refund it through Manage Returns once the "
    "buyer returns it."
)
CANCEL_REFUSAL_CANCELED = "This order is canceled already."


def order_cancel_refusal(order: Order) -> str:
    """Why the order cannot be canceled, in words; empty when it can (Pending or Unshipped)."""
    if order.status == OrderStatus.CANCELED:
        return CANCEL_REFUSAL_CANCELED
    if order.status not in (OrderStatus.PENDING, OrderStatus.UNSHIPPED):
        return CANCEL_REFUSAL_SHIPPED
    return ""


# R28: "Problem with Order" follows a full adjustment for one of these reasons.
UNAVAILABLE_REASONS = (RefundReason.NO_INVENTORY, RefundReason.COULD_NOT_SHIP)


def order_cancel_reason(order: Order) -> str:
    """The reason code the seller canceled the order with (the last adjustment's), or "" when
    it is not canceled or was canceled elsewhere (the admin, the demo data)."""
    if order.status != OrderStatus.CANCELED:
        return ""
    reason = (
        Refund.objects.filter(order=order, source=RefundSource.ADJUSTMENT)
        .order_by("-created_at", "-id")
        .values_list("reason", flat=True)
        .first()
    )
    return reason or ""
