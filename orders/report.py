"""The order report (/orders/report.csv): one row per order item, streamed in chunks.

As marketplace order reports are: each item of an order is a row with its SKU, product name,
quantity, unit price and line total; the order's own columns (dates, status, buyer alias, phone,
ship-to name, totals, currency) repeat on each of its rows and mean what they always did
(`item-total` is the order's items total, `order-total` what the buyer paid).
"""

import csv
import io
from collections.abc import Iterator

from django.db.models import CharField, Func, QuerySet

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


class IsoformatUtc(Func):
    """A timestamp as Python's `datetime.isoformat()` writes the aware UTC datetime Django reads
    from it ("2026-03-01T09:30:00+00:00", with ".123456" before the offset unless the
    microseconds are zero), made by the database: reading 100,000 timestamps into datetime
    objects and writing them out again was a third of the report's time."""

    output_field = CharField()
    template = (
        "REPLACE(TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'), '.000000+', '+')"
    )


# One row per order item: the order's columns and its item's, from one query (a LEFT JOIN, so an
# order without items still gets its row), read in chunks through a server-side cursor. Plain
# tuples, no model objects, timestamps already written out by the database.
_REPORT_COLUMNS = (
    "number",
    "placed_at_iso",
    "status_changed_at_iso",
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
    """The CSV for the given orders (newest first, each order's items in the order they were
    added), one line per order item, handed out a chunk of lines at a time; never any real email
    address (R1), never a Pending order (R28). Memory stays flat whatever the number of orders:
    rows are fetched REPORT_CHUNK_SIZE at a time and written out, one write per chunk (not one
    per line: 50,000 small writes through the web server cost more than writing the lines)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_HEADER)
    status_labels = {value: str(label) for value, label in OrderStatus.choices}
    rows = (
        # R28: a Pending order (payment not cleared) is not posted to the report: sellers ship
        # what the report lists, and must not ship a Pending order.
        orders.exclude(status=OrderStatus.PENDING)
        .select_related(None)
        .prefetch_related(None)
        .annotate(
            placed_at_iso=IsoformatUtc("placed_at"),
            status_changed_at_iso=IsoformatUtc("status_changed_at"),
        )
        # As Manage Orders lists them (Order.Meta.ordering), each order's items as added.
        .order_by("-placed_at", "-id", "items__id")
        .values_list(*_REPORT_COLUMNS)
    )
    written = 0
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
        writer.writerow(
            [
                number,
                placed_at,
                status_changed_at,
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
        written += 1
        if written == REPORT_CHUNK_SIZE:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            written = 0
    if rest := buffer.getvalue():
        yield rest
