"""Contact Buyer and Request a Review on an order: which contact reasons it offers (R5), and why
either is closed (R5, R6, R17)."""

from django.utils import timezone

from core.refusals import Refusal
from messaging import policy
from messaging.sending.selectors import review_already_requested
from orders.models import Order, OrderStatus
from orders.selectors import order_category_flags


def contact_reasons_for(order: Order) -> list[policy.ReasonAvailability]:
    """R5 for one order, as the Contact Buyer page shows it."""
    flags = order_category_flags(order)
    if policy.offers_no_reason(status=order.status, category_flags=flags):
        return []
    return policy.contact_reasons_for_order(status=order.status, category_flags=flags)


def contact_buyer_refusal(order: Order) -> Refusal | None:
    """Why Contact Buyer is closed for this order (R5, R6), or None (no query)."""
    return policy.refuse_contact_buyer(
        status=order.status,
        order_number=order.number,
        completed_at=order.completed_at,
        now=timezone.now(),
        # Only a canceled order's flags decide here (R28: Problem with Order).
        category_flags=(
            order_category_flags(order) if order.status == OrderStatus.CANCELED else frozenset()
        ),
    )


def review_request_refusal(order: Order) -> Refusal | None:
    """Why "Request a Review" is not possible for this order right now (R17), or None."""
    return policy.refuse_review_request(
        delivered_at=order.delivered_at,
        already_requested=review_already_requested(order),
        now=timezone.now(),
    )
