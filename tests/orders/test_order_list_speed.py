"""Manage Orders and the order report: the list rows are worked out once in Python (dates,
URLs, badge) and read as Django's date filter and the order badge write them; an alias search
asks the trigram index for the part before the '@'; the report's timestamps come written out
from the database and its lines leave in chunks, each line what the factories' orders hold."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.trigram import covering_trigrams
from orders import report, selectors
from orders.models import Order, OrderItem, OrderStatus
from orders.report import REPORT_HEADER, IsoformatUtc, order_report_rows
from orders.selectors import order_list_for_seller, order_page_for_seller
from orders.views import order_rows, placed_date_and_time
from tests.factories import OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db

ORDERS_URL = reverse("orders:order_list")
REPORT_URL = reverse("orders:order_report_csv")

MOMENTS = [
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 3, 9, 7, 5, 3, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2024, 2, 29, 12, 30, 0, 120000, tzinfo=UTC),
    datetime(2026, 5, 17, 9, 0, 0, 1, tzinfo=UTC),
    datetime(999, 7, 4, 18, 45, tzinfo=UTC),
]


# ---- the rows of Manage Orders


@pytest.mark.parametrize("language", ["en", "de", "fr", "ja"])
def test_row_dates_read_as_the_date_filter_wrote_them(language):
    with translation.override(language):
        months: dict[int, str] = {}
        for moment in MOMENTS + [MOMENTS[1] + timedelta(days=31 * n) for n in range(12)]:
            local = timezone.localtime(moment)
            assert placed_date_and_time(moment, months) == (
                date_filter(local, "M j, Y"),
                date_filter(local, "H:i"),
            )


BADGES = {
    OrderStatus.PENDING: '<span class="badge rounded-pill text-bg-warning">Pending</span>',
    OrderStatus.UNSHIPPED: '<span class="badge rounded-pill text-bg-primary">Unshipped</span>',
    OrderStatus.SHIPPED: '<span class="badge rounded-pill text-bg-info">Shipped</span>',
    OrderStatus.DELIVERED: '<span class="badge rounded-pill text-bg-success">Delivered</span>',
    OrderStatus.CANCELED: '<span class="badge rounded-pill text-bg-secondary">Canceled</span>',
}


def test_row_badge_is_the_order_status_badge(seller):
    """Manage Orders rows and the other order pages print the same badge: its colour by
    status, its label the status's name."""
    badge = engines["django"].from_string("{% load orders_tags %}{% order_status_badge order %}")
    for status, expected in BADGES.items():
        order = OrderFactory(seller=seller, status=status)
        (row,) = order_rows([order])
        assert row.status_badge == expected
        assert badge.render({"order": order}) == expected


def test_order_status_badge_in_the_buyers_language(seller):
    order = OrderFactory(seller=seller, status=OrderStatus.SHIPPED)
    badge = engines["django"].from_string("{% load orders_tags %}{% order_status_badge order %}")
    with translation.override("de"):
        assert badge.render({"order": order}) == (
            '<span class="badge rounded-pill text-bg-info">Versandt</span>'
        )


def test_row_urls_and_items(seller):
    mug = ProductFactory(seller=seller, title="Tea <mug>")
    pot = ProductFactory(seller=seller, title="Teapot")
    order = OrderFactory(seller=seller, items=[mug, pot])
    OrderItem.objects.filter(order=order, product=pot).update(quantity=3)
    empty = OrderFactory(seller=seller)
    empty.items.all().delete()
    rows = order_rows([order, empty])
    assert rows[0].url == reverse("orders:order_detail", args=[order.number])
    assert rows[0].contact_url == reverse("messaging:contact_buyer", args=[order.number])
    assert rows[0].items == [(1, "Tea <mug>"), (3, "Teapot")]
    assert rows[1].items == []


def test_item_lines_are_each_orders_quantities_and_titles_in_the_order_added(seller, other_seller):
    """order_item_lines reads plain rows: per order, (quantity, product title) of each item in
    the order the items were added; an order without items has none."""
    mug, pot, cup, jug = (
        ProductFactory(seller=seller, title=title) for title in ("Mug", "Pot", "Cup", "Jug")
    )
    one = OrderFactory(seller=seller, items=[pot])
    three = OrderFactory(seller=seller, items=[jug, mug, cup])  # added jug, mug, cup
    OrderItem.objects.filter(order=three, product=mug).update(quantity=5)
    empty = OrderFactory(seller=seller)
    empty.items.all().delete()
    theirs = OrderFactory(seller=other_seller)
    lines = selectors.order_item_lines([three.pk, empty.pk, one.pk])
    assert list(lines) == [three.pk, empty.pk, one.pk]
    assert lines[one.pk] == [(1, "Pot")]
    assert lines[three.pk] == [(1, "Jug"), (5, "Mug"), (1, "Cup")]
    assert lines[empty.pk] == []
    assert theirs.pk not in lines
    assert selectors.order_item_lines([]) == {}


def test_manage_orders_page_shows_what_the_rows_hold(seller, seller_client):
    placed = datetime(2026, 3, 9, 7, 5, tzinfo=UTC)
    product = ProductFactory(seller=seller, title="Tea <mug>")
    order = OrderFactory(
        seller=seller, status=OrderStatus.SHIPPED, placed_at=placed, items=[product]
    )
    order_set_delivered_recently = OrderFactory(
        seller=seller, status=OrderStatus.DELIVERED, placed_at=placed - timedelta(days=1)
    )
    Order.objects.filter(pk=order_set_delivered_recently.pk).update(delivered_at=timezone.now())
    html = seller_client.get(ORDERS_URL).text
    assert 'Mar 9, 2026<br><span class="text-secondary">07:05 UTC</span>' in html
    assert f'href="{reverse("orders:order_detail", args=[order.number])}"' in html
    assert "<div>1 × Tea &lt;mug&gt;</div>" in html
    assert '<span class="badge rounded-pill text-bg-info">Shipped</span>' in html
    contact = reverse("messaging:contact_buyer", args=[order_set_delivered_recently.number])
    assert f'<a class="link-secondary" href="{contact}">Contact Buyer</a>' in html


# ---- the alias search


def test_alias_search_with_an_at_finds_every_alias_holding_the_text(seller, other_seller):
    orders = OrderFactory.create_batch(4, seller=seller)
    OrderFactory(seller=other_seller)
    alias = orders[1].relationship.buyer_alias
    local, _, domain = alias.partition("@")
    queries = [
        alias,
        alias.upper(),
        f"{local[-5:]}@{domain[:4]}",
        f"{local[-2:]}@{domain}",  # too short before the '@' to narrow by: all of it
        f"@{domain}",
        f"{local}@nowhere.example",
        "a%b@c",
        "a_b@c",
    ]
    for query in queries:
        found = list(order_list_for_seller(seller=seller, query=query))
        expected = [
            o
            for o in Order.objects.filter(seller=seller)
            if query.lower() in o.relationship.buyer_alias.lower()
        ]
        assert found == expected, query
        page = order_page_for_seller(
            seller=seller, status="", query=query, page_number=None, per_page=25
        )
        assert page.object_list == expected, query


def test_alias_search_narrows_by_the_part_before_the_at(seller):
    """The LIKEs the trigram index serves hold a few trigrams covering the part before the '@'
    only (core.trigram.covering_trigrams; which index serves a table this small is the
    planner's choice); all of the alias is a filter."""
    order = OrderFactory(seller=seller)
    alias = order.relationship.buyer_alias
    with CaptureQueriesContext(connection) as queries:
        page = order_page_for_seller(
            seller=seller, status="", query=alias, page_number=None, per_page=25
        )
    (statement,) = [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {statement}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    local = alias.partition("@")[0].upper()
    for probe in covering_trigrams(local):
        assert f"'%{probe}%'" in plan
    assert f"'%{alias.upper()}%'" not in plan
    assert f"strpos(upper((buyer_alias)::text), '{alias.upper()}'" in plan
    assert page.object_list == [order]


# ---- the order report


# The report's products as its item columns show them (SKU, name, quantity, unit price, line
# total): text a spreadsheet would run as a formula starts with a quote; teapots go by three.
SHOWN = {
    "weird": ["'-SKU,1", 'Mug, "large"\nline two', "1", "19.99", "19.99"],
    "formula": ["'@x", "'=SUM(A1)", "1", "19.99", "19.99"],
    "teapot": ["POT", "Teapot", "3", "30.00", "90.00"],
}
# One order per MOMENTS, each in the next status and last updated index × 7 µs after it was
# placed: ship-to name and phone as typed, the products bought, and what the report writes of
# the two timestamps, the name and the phone.
REPORT_ORDERS = [
    ("=HYPERLINK()", "-5", ["weird"],
     "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", "'=HYPERLINK()", "'-5"),
    ('Ana, "Q" Buyer', "555", ["formula", "teapot"],
     "2026-03-09T07:05:03+00:00", "2026-03-09T07:05:03.000007+00:00", 'Ana, "Q" Buyer', "555"),
    ("Bo\r\nBuyer", "", ["teapot", "weird", "formula"],
     "2025-12-31T23:59:59.999999+00:00", "2026-01-01T00:00:00.000013+00:00", "Bo\r\nBuyer", ""),
    ("+1", "@1", ["weird"],
     "2024-02-29T12:30:00.120000+00:00", "2024-02-29T12:30:00.120021+00:00", "'+1", "'@1"),
    ("José", "\t9", ["formula", "teapot"],
     "2026-05-17T09:00:00.000001+00:00", "2026-05-17T09:00:00.000029+00:00", "José", "'\t9"),
    ("", "\r0", ["teapot", "weird", "formula"],
     "0999-07-04T18:45:00+00:00", "0999-07-04T18:45:00.000035+00:00", "", "'\r0"),
]  # fmt: skip


@pytest.fixture
def report_orders(seller, other_seller):
    """The seller's REPORT_ORDERS, one more order placed with the first but without items, and
    another seller's order. Returns the report's expected CSV: the orders newest first (the
    later one first on a tie), a line per item, one with empty item columns for no items."""
    products = {
        "weird": ProductFactory(seller=seller, title='Mug, "large"\nline two', sku="-SKU,1"),
        "formula": ProductFactory(seller=seller, title="=SUM(A1)", sku="@x"),
        "teapot": ProductFactory(seller=seller, title="Teapot", sku="POT", price=Decimal("30")),
    }
    statuses = list(OrderStatus)
    expected_lines = []  # (placed_at, id, the order's lines)
    for index, (name, phone, bought, placed, changed, name_shown, phone_shown) in enumerate(
        REPORT_ORDERS
    ):
        status = statuses[index % len(statuses)]
        order = OrderFactory(
            seller=seller,
            placed_at=MOMENTS[index],
            status_changed_at=MOMENTS[index] + timedelta(microseconds=index * 7),
            status=status,
            ship_name=name,
            ship_phone=phone,
            items=[products[key] for key in bought],
        )
        head = [order.number, placed, changed, status.label, order.relationship.buyer_alias]
        lines = [[*head, phone_shown, name_shown, *SHOWN[key]] for key in bought]
        if status != OrderStatus.PENDING:  # not posted to the report yet (R28)
            expected_lines.append((order.placed_at, order.pk, lines))
    empty = OrderFactory(seller=seller, placed_at=MOMENTS[0])
    empty.items.all().delete()
    head = [empty.number, REPORT_ORDERS[0][3], REPORT_ORDERS[0][3], OrderStatus.UNSHIPPED.label]
    head += [empty.relationship.buyer_alias, empty.ship_phone, empty.ship_name]
    expected_lines.append((empty.placed_at, empty.pk, [[*head, "", "", "", "", ""]]))
    OrderFactory(seller=other_seller)
    OrderItem.objects.filter(product=products["teapot"]).update(quantity=3)

    totals = ["19.99", "4.99", "24.98", "USD"]  # each order's, as the factory makes them
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_HEADER)
    for _, _, lines in sorted(expected_lines, key=lambda line: line[:2], reverse=True):
        writer.writerows([*line, *totals] for line in lines)
    return buffer.getvalue()


def test_report_lists_every_item_line_of_the_sellers_orders(seller, report_orders, monkeypatch):
    monkeypatch.setattr(report, "REPORT_CHUNK_SIZE", 4)  # several chunks, one part-filled
    chunks = list(order_report_rows(order_list_for_seller(seller=seller)))
    assert len(chunks) > 2
    assert all(chunks)
    assert "".join(chunks) == report_orders


def test_report_download_is_the_report(seller, report_orders, seller_client):
    response = seller_client.get(REPORT_URL)
    body = b"".join(response.streaming_content).decode()
    assert body == report_orders
    assert body.count("\r\n") > len(MOMENTS)


def test_isoformat_utc_is_pythons_isoformat(seller):
    order = OrderFactory(seller=seller)
    for moment in MOMENTS + [timezone.now()]:
        Order.objects.filter(pk=order.pk).update(placed_at=moment)
        stored = Order.objects.get(pk=order.pk).placed_at
        written = (
            Order.objects.filter(pk=order.pk)
            .annotate(iso=IsoformatUtc("placed_at"))
            .values_list("iso", flat=True)
            .get()
        )
        assert written == stored.isoformat() == moment.isoformat()


def test_report_of_no_orders_is_the_header(seller):
    assert list(order_report_rows(order_list_for_seller(seller=seller))) == [
        ",".join(REPORT_HEADER) + "\r\n"
    ]


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "pending"}, {"q": 'a"b<c & d', "status": ""}, {"status": "nonsense"}],
)
def test_the_filter_fields_are_what_the_form_would_render(params, seller_client):
    """Manage Orders writes its search box and Status select out in the template
    (components/search_input.html, select_input.html; issue 13), as the form renders them."""
    from orders.forms import OrderFilterForm

    def tidy(html: str) -> str:
        return re.sub(r">\s+<", "><", html.strip())

    page = seller_client.get(ORDERS_URL, params).text
    form = OrderFilterForm(params)
    form.is_valid()
    expected_select = str(form["status"].as_widget())
    # An invalid status is shown as no choice (the first); the page shows no error to point to.
    expected_select = expected_select.replace(
        ' aria-invalid="true" aria-describedby="id_status_error"', ""
    )
    select = re.search(r'<select name="status".*?</select>', page, re.S).group(0)
    search = re.search(r'<input type="search" name="q"[^>]*>', page).group(0)
    assert tidy(select) == tidy(expected_select)
    assert search == str(form["q"].as_widget())


def test_each_row_shows_the_order_as_a_seller_needs_it(seller, seller_client):
    """Every kind of row: pending (yellow, "do not ship"), with and without the Contact Buyer
    link, no items, text to escape in names and titles, the date and time placed in UTC."""
    placed = timezone.now() - timedelta(days=2)
    product = ProductFactory(seller=seller, title='Tea <mug> & "cup"', price=Decimal("1234.50"))
    pending = OrderFactory(
        seller=seller, status=OrderStatus.PENDING, placed_at=placed, items=[product]
    )
    shipped = OrderFactory(
        seller=seller, status=OrderStatus.SHIPPED, placed_at=placed - timedelta(hours=1)
    )
    Order.objects.filter(pk=shipped.pk).update(ship_name="O'Brien <b>&</b>")
    old = OrderFactory(
        seller=seller, status=OrderStatus.DELIVERED, placed_at=placed - timedelta(days=200)
    )
    Order.objects.filter(pk=old.pk).update(delivered_at=placed - timedelta(days=190))
    OrderItem.objects.filter(order=old).delete()

    page = seller_client.get(ORDERS_URL).text
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    rows = {
        number: row
        for row in re.findall(r"<tr .*?</tr>", body, re.S)
        for number in re.findall(r'class="order-id" href="[^"]+">([^<]+)</a>', row)
    }

    assert list(rows) == [pending.number, shipped.number, old.number]  # newest first
    first = rows[pending.number]
    assert 'class="order-row table-warning"' in first
    assert "Payment not cleared — do not ship" in first
    assert "1 × Tea &lt;mug&gt; &amp; &quot;cup&quot;" in first
    assert f"{placed:%H:%M} UTC" in first
    assert ">Pending</span>" in first
    assert f'href="/orders/{shipped.number}/contact-buyer/"' in rows[shipped.number]
    assert "O&#x27;Brien &lt;b&gt;&amp;&lt;/b&gt;" in rows[shipped.number]
    assert "table-warning" not in rows[shipped.number]
    assert "do not ship" not in rows[shipped.number]
    # Delivered 190 days ago: past every contact reason's window, and it has no items.
    assert "Contact Buyer" not in rows[old.number]
    assert re.search(r'<td class="small cell-items">\s*</td>', rows[old.number])
