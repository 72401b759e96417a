"""Contact Buyer (R5, R7, R3 and every seller-message rule) and Request a Review (R17)."""

from typing import Any

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from core.refusals import MessageRefused
from messaging import selectors, services
from messaging.forms import ContactBuyerForm
from messaging.models import Outcome
from messaging.views.common import draft_from_form, live_check
from orders import selectors as order_selectors
from orders.models import Order

SENT_NOTICE = "Your message was sent to the buyer."
BLOCKED_NOTICE = "Your message was not delivered: {reason}"


def _seller_order(request: SellerRequest, number: str) -> Order:
    return get_object_or_404(
        order_selectors.order_scope_for_seller(seller=request.seller), number=number
    )


def _page_context(request: SellerRequest, order: Order, form: ContactBuyerForm) -> dict[str, Any]:
    messages_left, limit = selectors.seller_messages_left_today(seller=request.seller)
    return {
        "order": order,
        "form": form,
        "reasons": form.reason_options,
        "contact_refusal": selectors.contact_buyer_refusal(order),
        "messages_left": messages_left,
        "daily_limit": limit,
    }


@require_http_methods(["GET", "POST"])
@seller_required
def contact_buyer(request: SellerRequest, number: str) -> HttpResponse:
    order = _seller_order(request, number)
    reasons = selectors.contact_reasons_for(order)
    form = ContactBuyerForm(request.POST or None, request.FILES or None, reasons=reasons)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send(
                sender=request.user, order=order, draft=draft_from_form(form)
            )
        except MessageRefused as refused:
            form.add_error(None, refused.refusal.with_rule)
        else:
            if message.outcome == Outcome.DELIVERED:
                flash.success(request, SENT_NOTICE)
            else:
                flash.warning(request, BLOCKED_NOTICE.format(reason=message.outcome_reason))
            return redirect("messaging:case_detail", case_id=message.case_id)
    return render(request, "messaging/contact_buyer.html", _page_context(request, order, form))


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
        message = services.review_request_send(sender=request.user, order=order)
    except MessageRefused as refused:
        flash.error(request, refused.refusal.with_rule)
    else:
        if message.outcome == Outcome.DELIVERED:
            flash.success(request, "Review requested. The buyer gets it in their language.")
        else:
            flash.warning(request, BLOCKED_NOTICE.format(reason=message.outcome_reason))
    return redirect("orders:order_detail", number=order.number)
