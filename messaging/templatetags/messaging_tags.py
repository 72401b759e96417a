from collections.abc import Sequence
from typing import Any

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.selectors import seller_for_user
from cases.models import Case
from messaging.buyer.selectors import order_cases_for_buyer
from messaging.case_page.selectors import order_cases_for_seller
from messaging.contact_buyer.selectors import contact_buyer_refusal, review_request_refusal
from messaging.policy_page import policy_path, policy_section
from messaging.presentation import (
    FLASH_RULE_PREFIX,
    case_status_badge_html,
    contact_reason_label,
)
from orders.models import Order

register = template.Library()


@register.simple_tag(takes_context=True)
def message_cards(context: template.Context, messages: Sequence[Any]) -> SafeString:
    """The message cards of a case page in one string, the seller's or the buyer's: each card
    as messaging.case_page.cards printed it, with what `{% csrf_token %}` renders (its own
    node, rendered once) in its form, if it has one."""
    field = CsrfTokenNode().render(context)
    return mark_safe(  # noqa: S308  (each part is escaped where it was made)
        "".join(
            f"{m.card_html}{field}{m.card_form_tail}" if m.card_form_tail else m.card_html
            for m in messages
        )
    )


@register.simple_tag
def case_status_badge(case: Case) -> SafeString:
    """The badge of the case's status (messaging.presentation.case_status_badge_html)."""
    return case_status_badge_html(case.status, case.get_status_display())


@register.simple_tag
def response_target_hours() -> int:
    """R21's response target in hours, as the pages that mention it print it (the setting
    MESSAGING_RESPONSE_TARGET_HOURS)."""
    return int(settings.MESSAGING_RESPONSE_TARGET_HOURS)


@register.filter
def contact_buyer_open(order: Order) -> bool:
    """Manage Orders links Contact Buyer only where a message is possible (R5, R6); under a
    staff sanction the link's page says it is off (no query per row)."""
    return contact_buyer_refusal(order, sanctions=False) is None


@register.inclusion_tag("components/order_contact_actions.html")
def order_contact_actions(order: Order) -> dict[str, Any]:
    """ "Contact Buyer: <name>" and "Request a Review" (R17) on the seller's order page."""
    refusal = review_request_refusal(order)
    contact_refusal = contact_buyer_refusal(order)
    # One reason for both (a staff sanction) is said once, and both buttons point at it.
    said_once = refusal is not None and contact_refusal is not None and refusal == contact_refusal
    return {
        "order": order,
        "contact_refusal": contact_refusal,
        "review_allowed": refusal is None,
        "review_refusal": None if said_once else refusal,
        "review_why_not_id": "contact-why-not" if said_once else "review-why-not",
    }


@register.inclusion_tag("components/order_conversations.html", takes_context=True)
def order_conversations(context: template.Context, order: Order, viewer: str) -> dict[str, Any]:
    """The cases about an order, on its order page, each linking to its case page.

    `viewer` is "seller" or "buyer"; the cases are read for the user asking (their seller
    account's, or the buyer's own that reached them), like every other page. The order pages
    live in `orders`, which knows nothing of cases and messages (a lower layer): this tag in
    `messaging` is where the two meet.
    """
    user = context["request"].user
    if viewer == "seller":
        seller = seller_for_user(user=user)
        cases = list(order_cases_for_seller(seller=seller, order=order)) if seller else []
        url_name = "messaging:case_detail"
    else:
        cases = list(order_cases_for_buyer(buyer=user, order=order))
        url_name = "messaging:buyer_case_detail"
    for case in cases:
        row: Any = case  # for this component only: the model has no `url`
        row.url = reverse(url_name, args=[case.pk])
    return {"order": order, "cases": cases, "viewer": viewer}


# ---- refusals link to the section of our messaging policy that explains their rule


@register.simple_tag
def policy_url(rule: str = "") -> str:
    """The messaging policy page, at the section that explains `rule` ("R12") when there is
    one (messaging.policy_page: the page and the links come from the same list)."""
    return policy_path(rule)


@register.filter
def policy_title(rule: str) -> str:
    """The title of the section that explains `rule`, in words ("Daily message limit")."""
    section = policy_section(rule)
    return section.title if section else "Our messaging policy"


@register.filter
def flash_rule(extra_tags: str) -> str:
    """The rule id a flash message shows a refusal of (see `flash_rule_tag`), or ""."""
    for tag in (extra_tags or "").split():
        if tag.startswith(FLASH_RULE_PREFIX):
            return tag.removeprefix(FLASH_RULE_PREFIX)
    return ""


@register.filter(name="contact_reason_label")
def contact_reason_label_filter(key: str) -> str:
    """A contact reason as people read it ("Shipping or delivery"), never its code."""
    return contact_reason_label(key)
