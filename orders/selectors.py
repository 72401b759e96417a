import operator
from functools import reduce

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import SellerAccount, User
from orders.models import Order, OrderItem
from orders.numbers import order_number_fragments

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
            order_number_search(query) | Q(relationship__buyer_alias__icontains=query.lower())
        )
    return orders.select_related("relationship", "buyer").prefetch_related(_ITEMS)


def order_number_search(query: str, *, field: str = "number") -> Q:
    """Orders (or rows with an order ID in `field`) whose ID contains what was typed: digits
    typed without dashes match the dashed IDs (orders.numbers)."""
    fragments = order_number_fragments(query)
    if not fragments:
        return Q(pk__in=[])
    return reduce(operator.or_, (Q(**{f"{field}__icontains": part}) for part in fragments))


def order_scope_for_seller(*, seller: SellerAccount) -> QuerySet[Order]:
    """The seller's orders with what the order page shows; another seller's order is simply
    not in it (views answer 404)."""
    return (
        Order.objects.filter(seller=seller)
        .select_related("relationship", "buyer", "seller")
        .prefetch_related(_ITEMS, "status_changes")
    )


def order_list_for_buyer(*, buyer: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(buyer=buyer)
        .select_related("seller", "relationship")
        .prefetch_related(_ITEMS)
    )


def order_scope_for_buyer(*, buyer: User) -> QuerySet[Order]:
    """The buyer's own orders with what the order page shows."""
    return (
        Order.objects.filter(buyer=buyer)
        .select_related("relationship", "seller")
        .prefetch_related(_ITEMS, "status_changes")
    )


CATEGORY_FLAGS = ("customizable", "scheduled_delivery", "warranty")


def order_category_flags(order: Order) -> frozenset[str]:
    """The category flags (R5) any item of the order carries."""
    flags: set[str] = set()
    for item in order.items.select_related("product__category"):
        category = item.product.category
        flags.update(flag for flag in CATEGORY_FLAGS if getattr(category, flag))
    return frozenset(flags)
