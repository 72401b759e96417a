"""The order report (/orders/report.csv): one row per order item, streamed in chunks.

As marketplace order reports are: each item of an order is a row with its SKU, product name,
quantity, unit price and line total; the order's own columns (dates, status, buyer alias, phone,
ship-to name, totals, currency) repeat on each of its rows and mean what they always did
(`item-total` is the order's items total, `order-total` what the buyer paid).
"""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from orders.models import Order, OrderStatus

REPORT_HEADER = [
    "order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "buyer-alias",
    "buyer-phone",
    "ship-to-name",
    "sku",
    "product-name",
    "quantity-purchased",
    "unit-price",
    "line-total",
    "item-total",
    "shipping-total",
    "order-total",
    "currency",
]
REPORT_CHUNK_SIZE = 2000


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running buyer- or seller-typed text as a formula."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


class _Echo:
    """csv.writer target that hands each row back instead of buffering a file."""

    def write(self, value: str) -> str:
        return value


# One row per order item: the order's columns and its item's, from one query (a LEFT JOIN, so an
# order without items still gets its row), read in chunks through a server-side cursor on
# PostgreSQL. Plain tuples, no model objects: the report of 50,000 orders is Python-bound.
_REPORT_COLUMNS = (
    "number",
    "placed_at",
    "status_changed_at",
    "status",
    "relationship__buyer_alias",
    "ship_phone",
    "ship_name",
    "items__product__sku",
    "items__product__title",
    "items__quantity",
    "items__unit_price",
    "items_total",
    "shipping_total",
    "total",
    "currency",
)


def order_report_rows(orders: QuerySet[Order]) -> Iterator[str]:
    """CSV lines for the given orders (newest first, each order's items in the order they were
    added), one per order item; never any real email address (R1). Memory stays flat whatever
    the number of orders: rows are fetched REPORT_CHUNK_SIZE at a time and written out."""
    writer = csv.writer(_Echo())
    yield writer.writerow(REPORT_HEADER)
    status_labels = {value: str(label) for value, label in OrderStatus.choices}
    rows = (
        orders.select_related(None)
        .prefetch_related(None)
        # As Manage Orders lists them (Order.Meta.ordering), each order's items as added.
        .order_by("-placed_at", "-id", "items__id")
        .values_list(*_REPORT_COLUMNS)
    )
    for (
        number,
        placed_at,
        status_changed_at,
        status,
        buyer_alias,
        ship_phone,
        ship_name,
        sku,
        title,
        quantity,
        unit_price,
        items_total,
        shipping_total,
        total,
        currency,
    ) in rows.iterator(chunk_size=REPORT_CHUNK_SIZE):
        if quantity is None:  # an order without items (never made by order_create)
            item_columns: list[object] = ["", "", "", "", ""]
        else:
            item_columns = [_cell(sku), _cell(title), quantity, unit_price, unit_price * quantity]
        yield writer.writerow(
            [
                number,
                placed_at.isoformat(),
                status_changed_at.isoformat(),
                status_labels.get(status, status),
                buyer_alias,
                _cell(ship_phone),
                _cell(ship_name),
                *item_columns,
                items_total,
                shipping_total,
                total,
                currency,
            ]
        )
