"""The dispute file's list of a seller's staff sanctions (R25, R30)."""

from typing import Any

from django import template

from messaging.sanctions.selectors import sanctions_for_seller

register = template.Library()


@register.inclusion_tag("admin/messaging/dispute_sanctions.html")
def dispute_sanctions(seller_id: int) -> dict[str, Any]:
    """Every sanction of the seller, lifted ones too, latest first."""
    return {"sanctions": list(sanctions_for_seller(seller_id=seller_id))}
