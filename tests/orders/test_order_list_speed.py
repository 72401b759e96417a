"""Manage Orders and the order report: the list rows are worked out once in Python (dates,
URLs, badge) and read the same as the template wrote them; an alias search asks the trigram
index for the part before the '@'; the report's timestamps come written out from the database
and its lines leave in chunks. Each is checked against what it replaced."""

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


def test_item_lines_are_what_the_orm_reads_in_the_order_items_were_added(seller, other_seller):
    """order_item_lines reads plain rows: the same (quantity, title) per order, in the order of
    the items' ids, as the ORM query of the items with their products."""
    products = ProductFactory.create_batch(4, seller=seller)
    orders = [OrderFactory(seller=seller, items=products[: n + 1]) for n in range(4)]
    OrderItem.objects.filter(order=orders[3], product=products[0]).update(quantity=5)
    empty = OrderFactory(seller=seller)
    empty.items.all().delete()
    theirs = OrderFactory(seller=other_seller)
    ids = [order.pk for order in [*orders, empty]]
    lines = selectors.order_item_lines(ids)
    assert list(lines) == ids
    for order_id in ids:
        assert lines[order_id] == [
            (item.quantity, item.product.title)
            for item in OrderItem.objects.filter(order_id=order_id).order_by("id")
        ]
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


def test_alias_search_with_an_at_finds_what_icontains_found(seller, other_seller):
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


def _reference_report(orders) -> str:
    """The report as it was written before (model objects, Python's isoformat), to compare."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_HEADER)
    labels = {value: str(label) for value, label in OrderStatus.choices}
    cell = report._cell
    for order in orders.order_by("-placed_at", "-id"):
        items = list(order.items.select_related("product").order_by("id"))
        item_columns = [
            [cell(i.product.sku), cell(i.product.title), i.quantity, i.unit_price, i.line_total]
            for i in items
        ] or [["", "", "", "", ""]]
        for columns in item_columns:
            writer.writerow(
                [
                    order.number,
                    order.placed_at.isoformat(),
                    order.status_changed_at.isoformat(),
                    labels[order.status],
                    order.relationship.buyer_alias,
                    cell(order.ship_phone),
                    cell(order.ship_name),
                    *columns,
                    order.items_total,
                    order.shipping_total,
                    order.total,
                    order.currency,
                ]
            )
    return buffer.getvalue()


@pytest.fixture
def report_orders(seller, other_seller):
    weird = ProductFactory(seller=seller, title='Mug, "large"\nline two', sku="-SKU,1")
    formula = ProductFactory(seller=seller, title="=SUM(A1)", sku="@x")
    plain = ProductFactory(seller=seller, title="Teapot", sku="POT", price=Decimal("30.00"))
    for index, moment in enumerate(MOMENTS):
        OrderFactory(
            seller=seller,
            placed_at=moment,
            status_changed_at=moment + timedelta(microseconds=index * 7),
            status=OrderStatus.values[index % len(OrderStatus.values)],
            ship_name=["=HYPERLINK()", 'Ana, "Q" Buyer', "Bo\r\nBuyer", "+1", "José", ""][index],
            ship_phone=["-5", "555", "", "@1", "\t9", "\r0"][index],
            items=[[weird], [formula, plain], [plain, weird, formula]][index % 3],
        )
    empty = OrderFactory(seller=seller, placed_at=MOMENTS[0])
    empty.items.all().delete()
    OrderFactory(seller=other_seller)
    OrderItem.objects.filter(product=plain).update(quantity=3)


def test_report_is_byte_identical_to_the_reference(seller, report_orders, monkeypatch):
    monkeypatch.setattr(report, "REPORT_CHUNK_SIZE", 4)  # several chunks, one part-filled
    orders = order_list_for_seller(seller=seller)
    chunks = list(order_report_rows(orders))
    assert len(chunks) > 2
    assert all(chunks)
    assert "".join(chunks) == _reference_report(orders)


def test_report_download_is_byte_identical_to_the_reference(seller, report_orders, seller_client):
    response = seller_client.get(REPORT_URL)
    body = b"".join(response.streaming_content).decode()
    assert body == _reference_report(order_list_for_seller(seller=seller))
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
