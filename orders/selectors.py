import operator
from functools import reduce

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Relationship, SellerAccount, User
from orders.models import Order, OrderItem
from orders.numbers import order_number_digits, order_number_fragments

_ITEMS = Prefetch("items", queryset=OrderItem.objects.select_related("product__category"))
_LIST_ITEMS = Prefetch("items", queryset=OrderItem.objects.select_related("product"))


def order_list_for_seller(
    *, seller: SellerAccount, status: str = "", query: str = ""
) -> QuerySet[Order]:
    """Manage Orders: the seller's own orders, newest first; search by order ID or buyer alias."""
    orders = Order.objects.filter(seller=seller)
    if status:
        orders = orders.filter(status=status)
    query = query.strip()
    if query:
        orders = orders.filter(id__in=_order_ids_matching(seller=seller, query=query))
    # What the list shows: the alias (relationship) and each item's product title.
    return orders.select_related("relationship").prefetch_related(_LIST_ITEMS)


def _order_ids_matching(*, seller: SellerAccount, query: str) -> QuerySet[Order, int]:
    """Ids of the seller's orders whose ID contains what was typed (digits, dashes optional) or
    whose buyer alias does. One UNION of two sides, each a trigram index lookup on PostgreSQL
    (orders/0003): the digits of the order IDs, and the seller's relationships by alias."""
    aliases = Relationship.objects.filter(seller=seller, buyer_alias__icontains=query.lower())
    by_alias = Order.objects.filter(seller=seller, relationship__in=aliases.values("id"))
    # No ORDER BY inside a compound subquery (SQLite refuses it; Order has an ordering).
    ids = by_alias.order_by().values_list("id", flat=True)
    digits = order_number_digits(query)
    if digits is None:
        return ids
    by_number = Order.objects.filter(seller=seller, number_digits__icontains=digits)
    return by_number.order_by().values_list("id", flat=True).union(ids)


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
