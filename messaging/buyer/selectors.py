"""The buyer's side: the cases that reached the buyer, which the buyer may open, and which the
message center and an order's page list."""

from django.db.models import QuerySet

from accounts.models import User
from cases.models import Case
from messaging.case_page.selectors import ORDER_CASE_COLUMNS
from orders.models import Order


def case_scope_for_buyer(*, buyer: User) -> QuerySet[Case]:
    """The buyer's cases that reached them: a case whose only messages were blocked (a seller's
    proactive message to an opted-out buyer, R2) is not the buyer's to see."""
    return _cases_reached_buyer(buyer).select_related("order", "product", "relationship", "seller")


def _cases_reached_buyer(buyer: User) -> QuerySet[Case]:
    return Case.objects.filter(buyer=buyer, buyer_latest_at__isnull=False)


def order_cases_for_buyer(*, buyer: User, order: Order) -> QuerySet[Case]:
    """The buyer's cases about one order that reached them (as in the message center)."""
    return (
        _cases_reached_buyer(buyer)
        .filter(order=order)
        .order_by("-buyer_latest_at", "-id")
        .only(*ORDER_CASE_COLUMNS)
    )


def case_list_for_buyer(*, buyer: User) -> QuerySet[Case]:
    """The buyer message center: their cases, latest first."""
    return _cases_reached_buyer(buyer).select_related("seller").order_by("-buyer_latest_at", "-id")
