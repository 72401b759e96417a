"""Contact Buyer and Request a Review on an order: which contact reasons it offers (R5), and why
either is closed (R5, R6, R17)."""

from django.utils import timezone

from core.refusals import Refusal
from messaging import policy
from messaging.sanctions.selectors import proactive_refusal_for_seller
from messaging.sending.selectors import review_already_requested
from orders.models import Order, OrderStatus
from orders.selectors import order_category_flags


def contact_reasons_for(order: Order) -> list[policy.ReasonAvailability]:
    """R5 for one order, as the Contact Buyer page shows it."""
    flags = order_category_flags(order)
    if policy.offers_no_reason(status=order.status, category_flags=flags):
        return []
    return policy.contact_reasons_for_order(status=order.status, category_flags=flags)


def _sanctioned(order: Order) -> Refusal | None:
    """A staff sanction that turns proactive messages off (R35, R36), read once per order
    object: the order page asks for Contact Buyer and Request a Review."""
    memo: dict[int, Refusal | None] = order.__dict__.setdefault("_sanction_refusal", {})
    if order.seller_id not in memo:
        memo[order.seller_id] = proactive_refusal_for_seller(seller_id=order.seller_id)
    return memo[order.seller_id]


def contact_buyer_refusal(order: Order, *, sanctions: bool = True) -> Refusal | None:
    """Why Contact Buyer is closed for this order (a staff sanction: R35, R36; R5, R6), or
    None. Without `sanctions` no query is made (a list of orders: the link's page says why)."""
    sanctioned = _sanctioned(order) if sanctions else None
    if sanctioned is not None:
        return sanctioned
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
    """Why "Request a Review" is not possible for this order right now (R35, R36, R17), or
    None."""
    sanctioned = _sanctioned(order)
    if sanctioned is not None:
        return sanctioned
    return policy.refuse_review_request(
        delivered_at=order.delivered_at,
        already_requested=review_already_requested(order),
        now=timezone.now(),
    )
