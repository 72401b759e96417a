import re
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from accounts.aliases import alias_may_contain
from accounts.models import Relationship, SellerAccount, User
from core.pagination import CappedPage, capped_page_of, capped_page_sql, page_number_for
from core.rows import fields_in_model_order
from core.trigram import covering_trigrams
from orders.adjustments.selectors import UNAVAILABLE_REASONS, order_cancel_reason
from orders.models import Order, OrderItem, OrderStatusChange, Product
from orders.numbers import order_number_digits
from orders.returns.models import OPEN_RETURN_STATUSES

_ITEMS = Prefetch("items", queryset=OrderItem.objects.select_related("product__category"))
# A trigram index can narrow by 3 characters or more.
ALIAS_LOOKUP_MIN_CHARS = 3


def order_list_for_seller(
    *, seller: SellerAccount, status: str = "", query: str = ""
) -> QuerySet[Order]:
    """The seller's orders, newest first, under Manage Orders' status and search (by order ID
    or buyer alias, `_order_search_sides`): what the order report lists. The page itself is
    `order_page_for_seller`."""
    orders = Order.objects.filter(seller=seller)
    if status:
        orders = orders.filter(status=status)
    query = query.strip()
    if query:
        params: dict[str, Any] = {"seller": seller.pk}
        sides = _order_search_sides(query, own="o.seller_id = %(seller)s", params=params)
        if not sides:
            return orders.none()
        union = " UNION ".join(sides)
        sql, values = _positional(f"SELECT id FROM ({union}) AS matching", params)  # noqa: S608
        orders = orders.filter(id__in=RawSQL(sql, values))  # noqa: S611  (values as params)
    # What the list shows: the alias (relationship); the items come from order_item_lines.
    return orders.select_related("relationship")


_NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _positional(sql: str, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """`sql` with its named placeholders (`%(name)s`, as capped_page_sql takes them) made the
    ORM's positional ones, and their values in that order: RawSQL takes no names."""
    values: list[Any] = []

    def placeholder(match: re.Match[str]) -> str:
        values.append(params[match[1]])
        return "%s"

    return _NAMED_PLACEHOLDER.sub(placeholder, sql), values


ORDER_COUNT_CAP = 1000


def order_page_for_seller(
    *, seller: SellerAccount, status: str, query: str, page_number: str | None, per_page: int
) -> CappedPage[Order]:
    """One page of Manage Orders, counting at most ORDER_COUNT_CAP orders ("1000+"): an exact
    count of a large seller's orders cost more than the page itself.

    The capped count and the page's orders, each with its buyer alias, in one plain statement
    into the models (Model.from_db): the ORM took longer to build the page than the database
    took to run it.

    A search first gathers the matching orders (`_order_search_sides`) once, as a materialized
    WITH: the count and the page both read it, and the page joins only its own rows to their
    orders. Each side keeps the newest orders up to what the count and the page need: the
    first of them of the union are the same (tests/orders/test_order_page_sql.py pages past
    the cap to hold it)."""
    query = query.strip()
    params: dict[str, Any] = {"seller": seller.pk, "status": status}
    own = "o.seller_id = %(seller)s" + (" AND o.status = %(status)s" if status else "")
    page = partial(
        capped_page_sql,
        columns=_ORDER_COLUMNS,
        row=_order_with_alias,
        page_number=page_number,
        per_page=per_page,
        count_cap=ORDER_COUNT_CAP,
    )
    if not query:
        return page(
            table="orders_order o",
            joins=_ORDER_ALIAS_JOIN,
            where=own,
            ordering="o.placed_at DESC, o.id DESC",
            params=params,
        )
    sides = _order_search_sides(query, own=own, params=params)
    if not sides:
        return capped_page_of([], number=1, count=0, per_page=per_page, count_cap=ORDER_COUNT_CAP)
    # Each side reads at most the orders the count and the page asked for need, newest first:
    # a short query ("1") matches most of a seller's orders, and the side then stops at the
    # first few thousand on the (seller, placed_at) index instead of gathering all of them.
    asked = page_number_for(
        page_number, count=ORDER_COUNT_CAP + 1, per_page=per_page, count_cap=ORDER_COUNT_CAP
    )
    params["_first"] = max(ORDER_COUNT_CAP + 1, asked * per_page + 1)
    newest_first = "ORDER BY o.placed_at DESC, o.id DESC LIMIT %(_first)s"
    union = " UNION ".join(f"({side} {newest_first})" for side in sides)
    return page(
        with_=f"WITH matching AS MATERIALIZED ({union})",
        table="matching m",
        joins=f"JOIN orders_order o ON o.id = m.id {_ORDER_ALIAS_JOIN}",
        ordering="m.placed_at DESC, m.id DESC",
        params=params,
    )


_ORDER_ALIAS_JOIN = "JOIN messaging_relationship r ON r.id = o.relationship_id"


def _order_search_sides(query: str, *, own: str, params: dict[str, Any]) -> list[str]:
    """The search of Manage Orders and its report: a SELECT of (id, placed_at) of the seller's
    orders (`own`, a condition on `orders_order o`) for each side that can match, adding their
    values to `params`. The sides are the orders whose ID contains what was typed (digits,
    dashes optional) and those whose buyer alias does, each trigram index lookups
    (orders/0003). A side that cannot match is left out (an order ID typed with its dashes is
    in no alias); none when `query` can be neither."""
    sides = []
    digits = order_number_digits(query)
    if digits is not None:
        probes, check_whole = _digits_probes(digits)
        conditions = [own, *_trigram_conditions("o.number_digits", probes, "digits", params)]
        if check_whole:
            # A LIKE without the UPPER the index is built on: the planner keeps it a filter.
            params["digits"] = f"%{digits}%"
            conditions.append("o.number_digits LIKE %(digits)s")
        where = " AND ".join(conditions)
        sides.append(f"SELECT o.id, o.placed_at FROM orders_order o WHERE {where}")  # noqa: S608
    if alias_may_contain(query, domain=settings.MESSAGING_ALIAS_DOMAIN):
        text = query.lower()
        probes, check_whole = _alias_probes(text)
        conditions = [
            "r.seller_id = %(seller)s",
            *_trigram_conditions("r.buyer_alias", probes, "alias", params),
        ]
        if check_whole:
            # STRPOS finds all of `query` as a plain substring, as icontains does (its LIKE
            # escapes % and _), and is no expression the index serves: the planner keeps it a
            # filter of the few relationships the probes found.
            params["alias"] = text.upper()
            conditions.append("STRPOS(UPPER(r.buyer_alias), %(alias)s) > 0")
        aliases = " AND ".join(conditions)
        sides.append(
            f"SELECT o.id, o.placed_at FROM orders_order o WHERE {own} AND o.relationship_id IN "  # noqa: S608
            f"(SELECT r.id FROM messaging_relationship r WHERE {aliases})"
        )
    return sides


def _trigram_conditions(
    column: str, probes: list[str], name: str, params: dict[str, Any]
) -> list[str]:
    """`UPPER(column) LIKE '%probe%'` for each probe, as icontains writes it: what the column's
    trigram index (on UPPER(column)) serves."""
    conditions = []
    for index, probe in enumerate(probes):
        key = f"{name}_{index}"
        params[key] = f"%{connection.ops.prep_for_like_query(probe.upper())}%"
        conditions.append(f"UPPER({column}) LIKE %({key})s")
    return conditions


def _digits_probes(digits: str) -> tuple[list[str], bool]:
    """What a search of the 17 digits of order IDs asks the trigram index for, and whether the
    digits must then be checked whole. There are only 1,000 trigrams of digits, each in tens of
    thousands of orders at scale, so the index lookup of all eight trigrams of ten typed digits
    read eight long posting lists (3 ms at 1,000,000 orders). Four trigrams that cover the
    digits pick out the same handful of orders for a third of that (core/trigram.py); the
    digits themselves are then checked as a filter."""
    probes = covering_trigrams(digits)
    return probes, probes != [digits]


def _alias_probes(query: str) -> tuple[list[str], bool]:
    """What a search of buyer aliases for `query` asks the trigram index for, and whether all
    of `query` must then be checked as a plain substring.

    Every alias ends in the same '@' and alias domain, so a trigram index lookup of a whole
    alias reads the domain's trigrams, which every relationship of every seller has (hundreds of
    milliseconds at scale). The index is asked for the part typed before the '@' (random letters
    and digits, a handful of relationships), and those few are kept when they contain all of
    `query`: the same relationships as looking for all of it, the domain left out of the index
    lookup. A long query without an '@' (a run of digits, say) is asked of the index by a few
    trigrams that cover it (core/trigram.py), then checked whole the same way."""
    local_part, at, _ = query.partition("@")
    if at and len(local_part) < ALIAS_LOOKUP_MIN_CHARS:
        return [query], False
    probes = covering_trigrams(local_part if at else query)
    if not at and probes == [query]:
        return [query], False
    return probes, True


def _order_with_alias(row: tuple[Any, ...]) -> Order:
    width = len(_ORDER_FIELDS)
    order = Order.from_db(connection.alias, _ORDER_FIELDS, row[:width])
    order.relationship = Relationship.from_db(
        connection.alias, _ORDER_RELATIONSHIP_FIELDS, row[width:]
    )
    return order


_ORDER_FIELDS = [field.attname for field in Order._meta.concrete_fields]
# What a row shows of the relationship.
_ORDER_RELATIONSHIP_FIELDS = fields_in_model_order(Relationship, {"id", "buyer_alias"})
_ORDER_COLUMNS = ", ".join(
    [f"o.{field.column}" for field in Order._meta.concrete_fields]
    + [f"r.{name}" for name in _ORDER_RELATIONSHIP_FIELDS]
)


def order_item_lines(order_ids: Collection[int]) -> dict[int, list[tuple[int, str]]]:
    """Each order's items as (quantity, product title), in the order they were added: what a
    Manage Orders row shows of them, read as plain rows in one statement (the ORM took longer
    to build this join than the database took to run it)."""
    lines: dict[int, list[tuple[int, str]]] = {order_id: [] for order_id in order_ids}
    if lines:
        sql = _ORDER_ITEM_LINES_SQL.format(
            item=OrderItem._meta.db_table,
            product=Product._meta.db_table,
            ids=", ".join(["%s"] * len(lines)),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, list(lines))
            for order_id, quantity, title in cursor.fetchall():
                lines[order_id].append((quantity, title))
    return lines


_ORDER_ITEM_LINES_SQL = """
    SELECT i.order_id, i.quantity, p.title FROM {item} i JOIN {product} p ON p.id = i.product_id
    WHERE i.order_id IN ({ids}) ORDER BY i.id
"""


# The seller's order page says who changed each status (the buyer's does not).
_STATUS_CHANGES_WITH_WHO = Prefetch(
    "status_changes", queryset=OrderStatusChange.objects.select_related("changed_by")
)


def order_scope_for_seller(*, seller: SellerAccount) -> QuerySet[Order]:
    """The seller's orders with what the order page shows; another seller's order is simply
    not in it (views answer 404)."""
    return (
        Order.objects.filter(seller=seller)
        .select_related("relationship", "buyer", "seller", "shipment__confirmed_by")
        .prefetch_related(_ITEMS, _STATUS_CHANGES_WITH_WHO)
    )


def order_list_for_buyer(*, buyer: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(buyer=buyer)
        .select_related("seller", "relationship", "shipment")
        .prefetch_related(_ITEMS)
    )


def order_scope_for_buyer(*, buyer: User) -> QuerySet[Order]:
    """The buyer's own orders with what the order page shows."""
    return (
        Order.objects.filter(buyer=buyer)
        .select_related("relationship", "seller", "shipment")
        .prefetch_related(_ITEMS, "status_changes")
    )


CATEGORY_FLAGS = ("customizable", "scheduled_delivery", "warranty")
# R28: the seller canceled the order for No inventory or Could not ship (Problem with Order).
ADJUSTED_UNAVAILABLE = "adjusted_unavailable"


def order_category_flags(order: Order) -> frozenset[str]:
    """The category flags (R5) any item of the order carries, and "open_return" while the buyer
    has an open return (R29: the Return-related question needs one)."""
    flags: set[str] = set()
    for item in order.items.select_related("product__category"):
        category = item.product.category
        flags.update(flag for flag in CATEGORY_FLAGS if getattr(category, flag))
    if order_cancel_reason(order) in UNAVAILABLE_REASONS:
        flags.add(ADJUSTED_UNAVAILABLE)
    if order.return_requests.filter(status__in=OPEN_RETURN_STATUSES).exists():
        flags.add("open_return")
    return frozenset(flags)


# ---- R8: the order volume behind a seller's daily message limit

ORDER_VOLUME_WINDOW_DAYS = 30
# Longer than the UTC day the number is for, so it lasts the whole day wherever it was first read;
# the key has the date in it, so the next day asks for a new one.
ORDER_VOLUME_CACHE_TIMEOUT = 26 * 60 * 60


def order_volume_cache_key(*, seller_id: int, today: date) -> str:
    return f"r8:orders30:{seller_id}:{today.isoformat()}"


def order_volume_window(today: date) -> tuple[datetime, datetime]:
    """The 30 whole UTC days before `today`: [today − 30 days 00:00 UTC, today 00:00 UTC)."""
    end = datetime.combine(today, time.min, tzinfo=UTC)
    return end - timedelta(days=ORDER_VOLUME_WINDOW_DAYS), end


def order_volume_last_30_days(*, seller_id: int, today: date) -> int:
    """R8: the seller's orders placed in the 30 whole UTC days before `today` (a UTC date).

    Orders placed today are outside the window, so the number holds for the whole day and is
    cached under the seller and the date (a big seller's count reads tens of thousands of index
    entries; the case page and every send ask for it). Only an order placed today with an
    earlier placed_at (an import) changes it: order_create forgets the cached number then."""
    key = order_volume_cache_key(seller_id=seller_id, today=today)
    volume = cache.get(key)
    if volume is None:
        start, end = order_volume_window(today)
        volume = Order.objects.filter(
            seller_id=seller_id, placed_at__gte=start, placed_at__lt=end
        ).count()
        cache.set(key, volume, ORDER_VOLUME_CACHE_TIMEOUT)
    return int(volume)


def order_volume_forget(*, seller_id: int, today: date) -> None:
    """Drop the cached R8 order volume of the seller for `today` (a UTC date)."""
    cache.delete(order_volume_cache_key(seller_id=seller_id, today=today))
