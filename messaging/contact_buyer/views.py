"""Contact Buyer (R5, R7, R3 and every seller-message rule) and Request a Review (R17)."""

from typing import Any

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from core.http import require_GET_or_POST
from core.refusals import MessageRefused, Refusal
from messaging.contact_buyer import selectors
from messaging.contact_buyer.forms import ContactBuyerForm
from messaging.contact_buyer.services import platform_draft_for_buyer, review_request_send
from messaging.models import Outcome
from messaging.policy import ReasonAvailability
from messaging.presentation import flash_rule_tag
from messaging.seller_templates.views import platform_offers, template_insert_initial
from messaging.sending import services
from messaging.sending.drafts import draft_from_form, live_check, live_check_context
from messaging.sending.selectors import seller_messages_left_today
from orders import selectors as order_selectors
from orders.models import Order

SENT_NOTICE = "Your message was sent to the buyer."
PLATFORM_TEXT_UNAVAILABLE = Refusal(
    rule="R23", message="AlphaDiscounters has no text for that contact reason on this order."
)
# R2/R4: said in one sentence; the message on the case page says why and what to do instead.
BLOCKED_NOTICE = (
    "Not delivered: the buyer opted out of unsolicited messages. Your message below says how to "
    "send a critical message instead."
)
REVIEW_BLOCKED_NOTICE = (
    "Not delivered: the buyer opted out of unsolicited messages, and a review request is not a "
    "critical message."
)


def _seller_order(request: SellerRequest, number: str) -> Order:
    return get_object_or_404(
        order_selectors.order_scope_for_seller(seller=request.seller), number=number
    )


def _page_context(
    request: SellerRequest,
    order: Order,
    form: ContactBuyerForm,
    *,
    template_error: Refusal | None = None,
) -> dict[str, Any]:
    messages_left, limit = seller_messages_left_today(seller=request.seller)
    return {
        "order": order,
        "form": form,
        "reasons": form.reason_options,
        "contact_refusal": selectors.contact_buyer_refusal(order),
        "messages_left": messages_left,
        "daily_limit": limit,
        # R23: the reasons' platform texts and the seller's templates (Insert Template).
        "platform_offers": platform_offers(order, form.reason_options),
        "template_error": template_error,
    }


def _platform_text_initial(
    request: SellerRequest, order: Order, reasons: list[ReasonAvailability]
) -> tuple[dict[str, Any], Refusal | None]:
    """`?platform=<reason>` ("Start from this text" without JavaScript): the form filled with
    the reason's platform text in English (R23), or why it cannot be; nothing is sent."""
    key = request.GET.get("platform", "")
    if not key:
        return {}, None
    offer = next((o for o in platform_offers(order, reasons) if o.key == key), None)
    if offer is None:
        return {}, PLATFORM_TEXT_UNAVAILABLE
    return {
        "reason": offer.key,
        "subject": offer.subject,
        "body": offer.body,
        "platform_template": offer.key,
    }, None


@require_GET_or_POST
@seller_required
def contact_buyer(request: SellerRequest, number: str) -> HttpResponse:
    order = _seller_order(request, number)
    reasons = selectors.contact_reasons_for(order)
    # Without JavaScript, ?template=<id> and ?platform=<reason> open the form filled in (R23).
    initial, template_error = template_insert_initial(request, order=order)
    if not initial and template_error is None:
        initial, template_error = _platform_text_initial(request, order, reasons)
    form = ContactBuyerForm(
        request.POST or None, request.FILES or None, initial=initial, reasons=reasons
    )
    send_refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            # Platform text sent as shown: the buyer gets it in their language (R23).
            draft = platform_draft_for_buyer(draft=draft_from_form(form), order=order)
            message = services.message_send(sender=request.user, order=order, draft=draft)
        except MessageRefused as refused:
            send_refusal = refused.refusal
        else:
            if message.outcome == Outcome.DELIVERED:
                flash.success(request, SENT_NOTICE)
            else:
                rule_tag = flash_rule_tag(message.outcome_rule)
                flash.warning(request, BLOCKED_NOTICE, extra_tags=rule_tag)
            return redirect("messaging:case_detail", case_id=message.case_id)
    context = _page_context(request, order, form, template_error=template_error)
    if request.method == "POST":
        # After a failed submit the live check stays where it was, beside the text: why the
        # funnel refused it (every problem at once), or what it finds in the draft when a field
        # was missing.
        context.update(
            {"refusal": send_refusal, "refused": True, "blocked": False, "checked": True}
            if send_refusal is not None
            else live_check_context(request, order=order)
        )
    return render(request, "messaging/contact_buyer.html", context)


@require_POST
@seller_required
def contact_buyer_check(request: SellerRequest, number: str) -> HttpResponse:
    """The live check (htmx, while typing): the send funnel's verdict on the draft."""
    return live_check(request, order=_seller_order(request, number))


@require_POST
@seller_required
def review_request(request: SellerRequest, number: str) -> HttpResponse:
    """R17: Request a Review from order details."""
    order = _seller_order(request, number)
    try:
        message = review_request_send(sender=request.user, order=order)
    except MessageRefused as refused:
        refusal = refused.refusal
        flash.error(request, refusal.message, extra_tags=flash_rule_tag(refusal.rule))
    else:
        if message.outcome == Outcome.DELIVERED:
            flash.success(request, "Review requested. The buyer gets it in their language.")
        else:
            flash.warning(
                request, REVIEW_BLOCKED_NOTICE, extra_tags=flash_rule_tag(message.outcome_rule)
            )
    return redirect("orders:order_detail", number=order.number)
