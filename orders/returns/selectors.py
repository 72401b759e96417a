"""Reads of returns: Manage Returns' list (status filter and the order-ID/alias search of Manage
Orders, `orders.selectors.order_list_for_seller`), one return of a seller, an order's returns."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from accounts.models import SellerAccount
from orders.adjustments.models import Refund, RefundSource
from orders.models import Order
from orders.returns.models import OPEN_RETURN_STATUSES, ReturnRequest
from orders.selectors import order_list_for_seller


def return_list_for_seller(
    *, seller: SellerAccount, status: str = "", query: str = ""
) -> QuerySet[ReturnRequest]:
    returns = ReturnRequest.objects.filter(seller=seller)
    if status:
        returns = returns.filter(status=status)
    if query.strip():
        # The same matcher as Manage Orders: the orders it finds, as a subquery.
        orders = order_list_for_seller(seller=seller, query=query).values("id")
        returns = returns.filter(order_id__in=orders)
    return returns.select_related("order__relationship")


def return_page_for_seller(
    *, seller: SellerAccount, status: str, query: str, page_number: str | None, per_page: int
) -> Page[ReturnRequest]:
    returns = return_list_for_seller(seller=seller, status=status, query=query)
    return Paginator(returns, per_page).get_page(page_number)


def return_scope_for_seller(*, seller: SellerAccount) -> QuerySet[ReturnRequest]:
    """The seller's returns with what the return page shows; another seller's is not in it."""
    return ReturnRequest.objects.filter(seller=seller).select_related(
        "order__relationship", "authorized_by", "received_by", "refunded_by", "closed_by"
    )


def return_refunds(return_request: ReturnRequest) -> list[Refund]:
    return list(
        Refund.objects.filter(source=RefundSource.RETURN, source_id=return_request.pk).order_by(
            "created_at", "id"
        )
    )


def order_returns(order: Order) -> list[ReturnRequest]:
    """The order's returns, newest first (Your Orders shows each with its status)."""
    return list(ReturnRequest.objects.filter(order=order))


def order_open_return(order: Order) -> ReturnRequest | None:
    return ReturnRequest.objects.filter(order=order, status__in=OPEN_RETURN_STATUSES).first()


def order_has_open_return(order: Order) -> bool:
    return ReturnRequest.objects.filter(order=order, status__in=OPEN_RETURN_STATUSES).exists()
