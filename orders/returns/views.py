"""Manage Returns (seller) and Request a return (buyer): thin views over orders.returns.services."""

from collections.abc import Callable

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import buyer_required, seller_required
from accounts.http import AuthenticatedRequest, SellerRequest
from accounts.selectors import seller_for_user
from core.htmx import page_or_partial
from core.http import require_GET_or_POST
from core.pagination import query_without_page
from orders import selectors as order_selectors
from orders.adjustments.models import RefundReason
from orders.adjustments.selectors import order_refundable_amount
from orders.models import Order
from orders.returns import selectors, services
from orders.returns.forms import ReturnFilterForm, ReturnRefundForm, ReturnRequestForm
from orders.returns.models import ReturnRequest

RETURNS_PER_PAGE = 25
STEP_DONE = {
    "authorize": "Return authorized. The buyer has been told to send the item back.",
    "receive": "Return marked as received.",
    "close": "Return closed.",
}


@transaction.non_atomic_requests
@require_safe
@seller_required
def return_list(request: SellerRequest) -> HttpResponse:
    form = ReturnFilterForm(request.GET or None)
    status, query = "", ""
    if form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"]
    page = selectors.return_page_for_seller(
        seller=request.seller,
        status=status,
        query=query,
        page_number=request.GET.get("page"),
        per_page=RETURNS_PER_PAGE,
    )
    return render(
        request,
        page_or_partial(request, "orders/returns/return_list.html", "return-results"),
        {"form": form, "page": page, "query_without_page": query_without_page(request.GET)},
    )


def _seller_return(request: SellerRequest, return_id: int) -> ReturnRequest:
    return get_object_or_404(selectors.return_scope_for_seller(seller=request.seller), pk=return_id)


def _detail(
    request: SellerRequest, return_request: ReturnRequest, refund_form: ReturnRefundForm | None
) -> HttpResponse:
    order = return_request.order
    left = order_refundable_amount(order)
    if refund_form is None:
        refund_form = ReturnRefundForm(
            initial={"amount": left, "reason": RefundReason.GENERAL_ADJUSTMENT}
        )
    return render(
        request,
        "orders/returns/return_detail.html",
        {
            "return": return_request,
            "order": order,
            "refunds": selectors.return_refunds(return_request),
            "left": left,
            "refund_form": refund_form,
            "refundable": return_request.status in services.REFUNDABLE_RETURN_STATUSES and left > 0,
        },
    )


@require_safe
@seller_required
def return_detail(request: SellerRequest, return_id: int) -> HttpResponse:
    return _detail(request, _seller_return(request, return_id), None)


_STEP_SERVICES: dict[str, Callable[..., ReturnRequest]] = {
    "authorize": services.return_authorize,
    "receive": services.return_mark_received,
    "close": services.return_close,
}


@require_POST
@seller_required
def return_step(request: SellerRequest, return_id: int, step: str) -> HttpResponse:
    return_request = _seller_return(request, return_id)
    service = _STEP_SERVICES.get(step)
    if service is None:
        raise Http404
    try:
        service(return_request=return_request, actor=request.user)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(request, STEP_DONE[step])
    return redirect("returns:return_detail", return_id=return_request.pk)


@require_POST
@seller_required
def return_refund(request: SellerRequest, return_id: int) -> HttpResponse:
    return_request = _seller_return(request, return_id)
    form = ReturnRefundForm(request.POST)
    if form.is_valid():
        try:
            refund = services.return_refund(
                return_request=return_request,
                actor=request.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error("amount", error)
        else:
            flash.success(
                request, f"Refunded {refund.amount:.2f} {refund.currency}. The buyer has been told."
            )
            return redirect("returns:return_detail", return_id=return_request.pk)
    return_request.refresh_from_db()
    return _detail(request, return_request, form)


@require_safe
@login_required
def return_photo(request: HttpRequest, return_id: int) -> FileResponse:
    """The photo, only to the buyer who sent it and the seller's owner and members (404 for
    anyone else, as for another seller's order)."""
    return_request = get_object_or_404(ReturnRequest, pk=return_id)
    seller = seller_for_user(user=request.user)
    allowed = return_request.buyer_id == request.user.pk or (
        seller is not None and seller.pk == return_request.seller_id
    )
    if not allowed or not return_request.photo:
        raise Http404
    response = FileResponse(return_request.photo.open("rb"))
    response["Content-Type"] = (
        "image/png" if return_request.photo.name.endswith(".png") else "image/jpeg"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _buyer_order(request: AuthenticatedRequest, number: str) -> Order:
    return get_object_or_404(
        order_selectors.order_scope_for_buyer(buyer=request.user), number=number
    )


@require_GET_or_POST
@buyer_required
def buyer_return_request(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _buyer_order(request, number)
    form = ReturnRequestForm(request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.return_request(
                order=order,
                buyer=request.user,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
                photo=form.cleaned_data["photo"],
            )
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            flash.success(
                request, pgettext("return", "Your return request was sent to the seller.")
            )
            return redirect("orders:buyer_order_detail", number=order.number)
    return render(
        request,
        "orders/returns/buyer_return_request.html",
        {
            "order": order,
            "form": form,
            "refusal": refusal,
            "closed_reason": _return_closed_reason(order),
        },
    )


def _return_closed_reason(order: Order) -> str:
    """Why this order cannot take a return request now, in words, or ""."""
    if order.status not in services.RETURNABLE_ORDER_STATUSES:
        return str(services.RETURN_NOT_SHIPPED_MSG)
    if selectors.order_has_open_return(order):
        return str(services.RETURN_ALREADY_OPEN_MSG)
    return ""
