"""The order report (/orders/report.csv): one row per order, streamed in chunks."""

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
    "items",
    "quantity",
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
    """CSV lines for the given orders; never any real email address (R1)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(REPORT_HEADER)
    for order in orders.iterator(chunk_size=REPORT_CHUNK_SIZE):
        items = list(order.items.all())
        yield writer.writerow(
            [
                order.number,
                order.placed_at.isoformat(),
                order.status_changed_at.isoformat(),
                order.get_status_display(),
                order.relationship.buyer_alias,
                _cell(order.ship_phone),
                _cell(order.ship_name),
                _cell("; ".join(f"{item.product.sku} {item.product.title}" for item in items)),
                sum(item.quantity for item in items),
                order.items_total,
                order.shipping_total,
                order.total,
                order.currency,
            ]
        )
