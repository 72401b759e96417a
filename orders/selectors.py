from django.db.models import Prefetch, Q, QuerySet

from accounts.models import SellerAccount, User
from orders.models import Order, OrderItem

_ITEMS = Prefetch("items", queryset=OrderItem.objects.select_related("product__category"))


def order_list_for_seller(
    *, seller: SellerAccount, status: str = "", query: str = ""
) -> QuerySet[Order]:
    """Manage Orders: the seller's own orders, newest first; search by order ID or buyer alias."""
    orders = Order.objects.filter(seller=seller)
    if status:
        orders = orders.filter(status=status)
    query = query.strip()
    if query:
        orders = orders.filter(
            Q(number__icontains=query) | Q(relationship__buyer_alias__icontains=query.lower())
        )
    return orders.select_related("relationship", "buyer").prefetch_related(_ITEMS)


def order_get_for_seller(*, seller: SellerAccount, number: str) -> Order:
    """One of the seller's orders; another seller's order ID raises Order.DoesNotExist."""
    return (
        Order.objects.select_related("relationship", "buyer", "seller")
        .prefetch_related(_ITEMS, "status_changes")
        .get(seller=seller, number=number)
    )


def order_list_for_buyer(*, buyer: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(buyer=buyer)
        .select_related("seller", "relationship")
        .prefetch_related(_ITEMS)
    )


def order_get_for_buyer(*, buyer: User, number: str) -> Order:
    return (
        Order.objects.select_related("relationship", "seller")
        .prefetch_related(_ITEMS, "status_changes")
        .get(buyer=buyer, number=number)
    )
