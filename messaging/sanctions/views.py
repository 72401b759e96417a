"""The banner of a seller's active staff sanctions (R39), fetched by every Seller Central page
after it loads (htmx), so a page costs no query for it."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from messaging import policy
from messaging.models import SanctionKind
from messaging.sanctions.selectors import sanctions_active
from messaging.sanctions.services import WHAT_IT_MEANS

RULES = {
    SanctionKind.SUSPEND: policy.SUSPENDED_RULE,
    SanctionKind.LIMIT_PROACTIVE: policy.LIMITED_RULE,
    SanctionKind.HOLD_MESSAGE: policy.HELD_RULE,
}


def banner_items(*, seller_id: int) -> list[dict[str, Any]]:
    """What, why, until when and what still works, for each active sanction of the seller."""
    return [
        {
            "sanction": sanction,
            "rule": RULES[SanctionKind(sanction.kind)],
            "until": policy.until_text(sanction.ends_at),
            "what": WHAT_IT_MEANS[SanctionKind(sanction.kind)],
            "held_case_id": sanction.message.case_id if sanction.message else None,
        }
        for sanction in sanctions_active(seller_id=seller_id).select_related("message")
    ]


@require_safe
@seller_required
def sanction_banner(request: SellerRequest) -> HttpResponse:
    """The banner's HTML (nothing while no sanction is active); every member sees it."""
    items = banner_items(seller_id=request.seller.pk)
    return render(request, "components/sanction_banner.html", {"sanctions": items})
