from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import buyer_required, seller_required
from accounts.http import AuthenticatedRequest, SellerRequest
from core.htmx import page_or_partial
from core.pagination import capped_page
from orders import selectors
from orders.forms import OrderFilterForm
from orders.models import Order
from orders.report import order_report_rows

ORDERS_PER_PAGE = 25


def _filtered_seller_orders(request: SellerRequest) -> tuple[OrderFilterForm, QuerySet[Order]]:
    form = OrderFilterForm(request.GET or None)
    status = query = ""
    if form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"]
    return form, selectors.order_list_for_seller(seller=request.seller, status=status, query=query)


@require_safe
@vary_on_headers("HX-Request")
@seller_required
def order_list(request: SellerRequest) -> HttpResponse:
    form, orders = _filtered_seller_orders(request)
    # Counts at most 1,000 orders ("1000+"): an exact count of a large seller's orders cost more
    # than the page itself.
    page = capped_page(orders, request.GET.get("page"), per_page=ORDERS_PER_PAGE)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        page_or_partial(request, "orders/order_list.html", "order-results"),
        {"form": form, "page": page, "query_without_page": query_without_page.urlencode()},
    )


@require_safe
@seller_required
def order_detail(request: SellerRequest, number: str) -> HttpResponse:
    order = get_object_or_404(
        selectors.order_scope_for_seller(seller=request.seller), number=number
    )
    return render(request, "orders/order_detail.html", {"order": order})


@require_safe
@seller_required
def order_report_csv(request: SellerRequest) -> StreamingHttpResponse:
    _, orders = _filtered_seller_orders(request)
    filename = f"order-report-{timezone.now():%Y%m%d-%H%M}.csv"
    response = StreamingHttpResponse(order_report_rows(orders), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@buyer_required
def buyer_order_list(request: AuthenticatedRequest) -> HttpResponse:
    orders = selectors.order_list_for_buyer(buyer=request.user)
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orders/buyer_order_list.html", {"page": page})


@require_safe
@buyer_required
def buyer_order_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = get_object_or_404(selectors.order_scope_for_buyer(buyer=request.user), number=number)
    return render(request, "orders/buyer_order_detail.html", {"order": order})
