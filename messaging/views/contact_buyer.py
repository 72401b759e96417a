"""Contact Buyer (R5, R7, R3 and every seller-message rule) and Request a Review (R17)."""

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import seller_required
from messaging import services
from messaging.forms import ContactBuyerForm, incoming_attachments
from messaging.policy import MessageRefused
from orders import selectors as order_selectors
from orders.models import Order

SENT_NOTICE = "Your message was sent to the buyer."
BLOCKED_NOTICE = "Your message was not delivered: {reason}"


def _seller_order(request: HttpRequest, number: str) -> Order:
    try:
        return order_selectors.order_get_for_seller(seller=request.seller, number=number)
    except Order.DoesNotExist as exc:
        raise Http404("No such order in your account.") from exc


def _page_context(request: HttpRequest, order: Order, form: ContactBuyerForm) -> dict:
    sent_today, limit = services.seller_daily_allowance(seller=request.seller)
    return {
        "order": order,
        "form": form,
        "reasons": form.reason_options,
        "contact_refusal": services.contact_buyer_refusal(order),
        "messages_left": max(limit - sent_today, 0),
        "daily_limit": limit,
    }


@require_http_methods(["GET", "POST"])
@seller_required
def contact_buyer(request: HttpRequest, number: str) -> HttpResponse:
    order = _seller_order(request, number)
    reasons = services.contact_reasons_for(order)
    form = ContactBuyerForm(request.POST or None, request.FILES or None, reasons=reasons)
    if request.method == "POST" and form.is_valid():
        draft = services.Draft(
            body_text=form.cleaned_data["body"],
            subject=form.cleaned_data["subject"],
            contact_reason=form.cleaned_data["reason"],
            attachments=incoming_attachments(form.cleaned_data["attachments"]),
        )
        try:
            message = services.case_open_by_seller(sender=request.user, order=order, draft=draft)
        except MessageRefused as refused:
            form.add_error(None, refused.refusal.with_rule)
        else:
            if message.outcome == "delivered":
                flash.success(request, SENT_NOTICE)
            else:
                flash.warning(request, BLOCKED_NOTICE.format(reason=message.outcome_reason))
            return redirect("messaging:case_detail", case_id=message.case_id)
    return render(request, "messaging/contact_buyer.html", _page_context(request, order, form))


@require_POST
@seller_required
def contact_buyer_check(request: HttpRequest, number: str) -> HttpResponse:
    """The live compliance check (htmx, while typing): which R12 rule the draft breaks."""
    order = _seller_order(request, number)
    draft = services.Draft(
        body_text=request.POST.get("body", ""), subject=request.POST.get("subject", "")
    )
    refusal = services.seller_draft_problems(draft=draft, relationship=order.relationship)
    return render(
        request,
        "messaging/contact_buyer.html#compliance",
        {"refusal": refusal, "checked": bool(draft.body_text.strip() or draft.subject.strip())},
    )


@require_POST
@seller_required
def review_request(request: HttpRequest, number: str) -> HttpResponse:
    """R17: Request a Review from order details."""
    order = _seller_order(request, number)
    try:
        message = services.review_request_send(sender=request.user, order=order)
    except MessageRefused as refused:
        flash.error(request, refused.refusal.with_rule)
    else:
        if message.outcome == "delivered":
            flash.success(request, "Review requested. The buyer gets it in their language.")
        else:
            flash.warning(request, BLOCKED_NOTICE.format(reason=message.outcome_reason))
    return redirect("orders:order_detail", number=order.number)
