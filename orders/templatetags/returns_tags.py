from typing import Any

from django import template

from orders.adjustments.models import Refund, RefundSource
from orders.models import Order
from orders.returns.models import OPEN_RETURN_STATUSES
from orders.returns.services import RETURNABLE_ORDER_STATUSES

register = template.Library()


@register.inclusion_tag("orders/returns/_buyer_order_returns.html")
def buyer_order_returns(order: Order) -> dict[str, Any]:
    """Your Orders › order: its returns, the refunds made for them, and "Request a return"
    while the order is Shipped or Delivered with no open return."""
    returns = list(order.return_requests.all())
    refunds = list(
        Refund.objects.filter(order=order, source=RefundSource.RETURN).order_by("created_at", "id")
    )
    has_open = any(r.status in OPEN_RETURN_STATUSES for r in returns)
    return {
        "order": order,
        "returns": returns,
        "refunds": refunds,
        "can_request": order.status in RETURNABLE_ORDER_STATUSES and not has_open,
    }
