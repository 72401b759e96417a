from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from orders import selectors
from orders.adjustments.forms import CancelOrderForm
from orders.adjustments.selectors import order_cancel_refusal, order_refundable_amount
from orders.adjustments.services import order_cancel


@require_http_methods(["GET", "HEAD", "POST"])
@seller_required
def order_cancel_page(request: SellerRequest, number: str) -> HttpResponse:
    """Cancel an order with a reason: a full adjustment that refunds what is left of it."""
    order = get_object_or_404(
        selectors.order_scope_for_seller(seller=request.seller), number=number
    )
    refusal = order_cancel_refusal(order)
    form = CancelOrderForm(request.POST if request.method == "POST" and not refusal else None)
    if form.is_bound and form.is_valid():
        try:
            order_cancel(order=order, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if error.code == "reason":
                form.add_error("reason", error)
            else:
                refusal = error.messages[0]
        else:
            return redirect("orders:order_detail", order.number)
    form.mark_invalid()
    refused = request.method == "POST" and bool(refusal or form.errors)
    return render(
        request,
        "orders/adjustments/cancel_order.html",
        {
            "order": order,
            "form": form,
            "refusal": refusal,
            "refund_amount": order_refundable_amount(order),
        },
        status=400 if refused else 200,
    )
