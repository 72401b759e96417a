from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape  # django.utils.html.escape without its lazy-string wrapper

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import buyer_required, seller_required
from accounts.http import AuthenticatedRequest, SellerRequest
from core.htmx import page_or_partial
from core.pagination import query_without_page
from orders import selectors
from orders.forms import OrderFilterForm
from orders.models import Order
from orders.presentation import order_status_badge_html
from orders.report import order_report_rows

ORDERS_PER_PAGE = 25
# Any order ID: reversed once, then each row's order ID takes its place in the URL.
_NUMBER_PLACEHOLDER = "000-0000000-0000000"


@dataclass(frozen=True, slots=True)
class OrderRow:
    """What a Manage Orders row shows besides the order itself, worked out once in Python: the
    template would otherwise reverse two URLs and format two dates per row (most of the page's
    time). `placed_date` and `placed_time` read as `|date:"M j, Y"` and `|date:"H:i"` did."""

    order: Order
    url: str
    contact_url: str
    placed_date: str
    placed_time: str
    items: list[tuple[int, str]]  # (quantity, product title)
    status_badge: SafeString  # orders.presentation.order_status_badge_html

    @property
    def head_html(self) -> SafeString:
        """The row's HTML up to where the Contact Buyer link may go (the template decides it:
        a messaging rule, R5/R6), every value escaped; `tail_html` is the rest. Two strings
        instead of a template's twenty nodes per row (issue 13); tests/orders keep the markup
        what the row template wrote."""
        order = self.order
        return mark_safe(  # noqa: S308  (every value escaped)
            f'<tr class="order-row{" table-warning" if order.is_pending else ""}">\n'
            f'              <td class="small text-nowrap cell-date">{escape(self.placed_date)}'
            f'<br><span class="text-secondary">{escape(self.placed_time)} UTC</span></td>\n'
            '              <td class="cell-id">\n'
            f'                <a class="order-id" href="{escape(self.url)}">'
            f"{escape(order.number)}</a>\n                "
        )

    @property
    def tail_html(self) -> SafeString:
        order = self.order
        items = "".join(
            f"<div>{quantity} × {escape(title)}</div>" for quantity, title in self.items
        )
        pending = (
            '<div class="small text-danger-emphasis fw-semibold mt-1 do-not-ship">'
            "Payment not cleared — do not ship</div>"
            if order.is_pending
            else ""
        )
        return mark_safe(  # noqa: S308  (every value escaped)
            "\n              </td>\n"
            f'              <td class="small cell-buyer">{escape(order.ship_name)}<br>'
            f'<span class="alias text-secondary">{escape(order.relationship.buyer_alias)}</span>'
            "</td>\n"
            f'              <td class="small cell-items">\n                {items}\n'
            "              </td>\n"
            '              <td class="text-end text-nowrap cell-total">'
            f"{escape(str(localize(order.total)))} {escape(order.currency)}</td>\n"
            '              <td class="cell-status">\n'
            f"                {self.status_badge}\n                {pending}\n"
            "              </td>\n            </tr>"
        )


def _number_url(viewname: str) -> Callable[[str], str]:
    head, tail = reverse(viewname, args=[_NUMBER_PLACEHOLDER]).split(_NUMBER_PLACEHOLDER)
    return lambda number: f"{head}{number}{tail}"


def placed_date_and_time(moment: datetime, months: dict[int, str]) -> tuple[str, str]:
    """`moment` as the date filter writes "M j, Y" and "H:i" (local time, the month's short
    name in the active language, `months` caching it for one page)."""
    local = timezone.localtime(moment)
    month = months.get(local.month)
    if month is None:
        month = months[local.month] = MONTHS_3[local.month].title()
    return f"{month} {local.day}, {local.year:04d}", f"{local.hour:02d}:{local.minute:02d}"


def order_rows(orders: Iterable[Order]) -> list[OrderRow]:
    orders = list(orders)
    items = selectors.order_item_lines([order.pk for order in orders])
    detail_url = _number_url("orders:order_detail")
    contact_url = _number_url("messaging:contact_buyer")
    months: dict[int, str] = {}
    return [
        OrderRow(
            order,
            detail_url(order.number),
            contact_url(order.number),
            *placed_date_and_time(order.placed_at, months),
            items[order.pk],
            order_status_badge_html(order.status, order.get_status_display()),
        )
        for order in orders
    ]


def _order_filters(request: SellerRequest) -> tuple[OrderFilterForm, str, str]:
    """The filter form and what it asks for: (form, status, query)."""
    form = OrderFilterForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["status"], form.cleaned_data["q"]
    return form, "", ""


@transaction.non_atomic_requests  # read only: no BEGIN and COMMIT round trips
@require_safe
@vary_on_headers("HX-Request")
@seller_required
def order_list(request: SellerRequest) -> HttpResponse:
    form, status, query = _order_filters(request)
    page = selectors.order_page_for_seller(
        seller=request.seller,
        status=status,
        query=query,
        page_number=request.GET.get("page"),
        per_page=ORDERS_PER_PAGE,
    )
    return render(
        request,
        page_or_partial(request, "orders/order_list.html", "order-results"),
        {
            "form": form,
            "page": page,
            "rows": order_rows(page.object_list),
            "query_without_page": query_without_page(request.GET),
        },
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
    _, status, query = _order_filters(request)
    orders = selectors.order_list_for_seller(seller=request.seller, status=status, query=query)
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
