"""The order report (/orders/report.csv): one row per order item, streamed in chunks.

As marketplace order reports are: each item of an order is a row with its SKU, product name,
quantity, unit price and line total; the order's own columns (dates, status, buyer alias, phone,
ship-to name, totals, currency) repeat on each of its rows and mean what they always did
(`item-total` is the order's items total, `order-total` what the buyer paid).
"""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from orders.models import Order

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


def order_report_rows(orders: QuerySet[Order]) -> Iterator[str]:
    """CSV lines for the given orders, one per order item; never any real email address (R1).

    `orders` must prefetch `items` with their products (the selectors do): the items of each
    chunk of orders then come in one query.
    """
    writer = csv.writer(_Echo())
    yield writer.writerow(REPORT_HEADER)
    for order in orders.iterator(chunk_size=REPORT_CHUNK_SIZE):
        order_columns = [
            order.number,
            order.placed_at.isoformat(),
            order.status_changed_at.isoformat(),
            order.get_status_display(),
            order.relationship.buyer_alias,
            _cell(order.ship_phone),
            _cell(order.ship_name),
        ]
        totals = [order.items_total, order.shipping_total, order.total, order.currency]
        items = list(order.items.all())
        # An order without items (never made by order_create) still gets its row.
        item_columns: list[list[object]] = [
            [
                _cell(item.product.sku),
                _cell(item.product.title),
                item.quantity,
                item.unit_price,
                item.line_total,
            ]
            for item in items
        ] or [["", "", "", "", ""]]
        for columns in item_columns:
            yield writer.writerow([*order_columns, *columns, *totals])
