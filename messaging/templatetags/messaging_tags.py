from django import template

from messaging.services import review_request_refusal

register = template.Library()


@register.inclusion_tag("components/order_contact_actions.html")
def order_contact_actions(order) -> dict:
    """ "Contact Buyer: <name>" and "Request a Review" (R17) on the seller's order page."""
    refusal = review_request_refusal(order)
    return {
        "order": order,
        "review_allowed": refusal is None,
        "review_why_not": refusal.message if refusal else "",
    }
