from typing import Any

from django import template

from messaging.selectors import contact_buyer_refusal, review_request_refusal
from orders.models import Order

register = template.Library()


@register.filter
def contact_buyer_open(order: Order) -> bool:
    """Manage Orders links Contact Buyer only where a message is possible (R5, R6)."""
    return contact_buyer_refusal(order) is None


@register.inclusion_tag("components/order_contact_actions.html")
def order_contact_actions(order: Order) -> dict[str, Any]:
    """ "Contact Buyer: <name>" and "Request a Review" (R17) on the seller's order page."""
    refusal = review_request_refusal(order)
    contact_refusal = contact_buyer_refusal(order)
    return {
        "order": order,
        "contact_why_not": contact_refusal.with_rule if contact_refusal else "",
        "review_allowed": refusal is None,
        "review_why_not": refusal.message if refusal else "",
    }
