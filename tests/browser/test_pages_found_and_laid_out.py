"""In Chromium: from an order to its conversations, order IDs
typed without dashes and "Search all cases", buyers reaching a storefront and anonymous visitors
signing in from it, a German buyer's pages, and the layouts at phone and desktop widths
(Manage Orders at 390 px, the staff reports queue at 1280 px).

Each test saves a screenshot under SHOTS_DIR when that variable is set (to look at the pages).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import BuyerProfile
from messaging.moderation.services.flags import message_report
from orders.models import OrderStatus
from tests.browser.conftest import sign_in
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    ProductFactory,
    SellerAccountFactory,
    StaffFactory,
    seller_user,
)
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NUMBER = "970-1446448-9377198"


def _shot(page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _settle(page) -> None:
    """No request in flight when the test ends: the live server must not be answering one
    while the test database is flushed."""
    page.wait_for_load_state("networkidle")


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def _inside_viewport(page, locator) -> None:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= width, (box, width)


def test_order_pages_link_to_their_conversations(page):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    order = OrderFactory(seller=seller, buyer=buyer)
    message = buyer_opens_case(order=order, subject="Where is my parcel?")
    seller_replies(message.case, owner, body="It left the warehouse today.")

    sign_in(page, owner.email)
    page.goto(f"/orders/{order.number}/")
    section = page.locator("#order-conversations")
    expect(section).to_contain_text("Where is my parcel?")
    expect(section).to_contain_text("You: It left the warehouse today.")
    _shot(page, "seller-order-1280")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    _shot(page, "seller-order-390")
    page.set_viewport_size(DESKTOP)
    section.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/messages/{message.case_id}/$"))

    page.context.clear_cookies()
    sign_in(page, buyer.email)
    page.goto(f"/buyer/orders/{order.number}/")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    _shot(page, "buyer-order-390")
    page.locator("#order-conversations").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/buyer/messages/{message.case_id}/$"))
    expect(page.locator("#message-list")).to_contain_text("It left the warehouse today.")
    _settle(page)


def test_inbox_finds_an_order_id_typed_without_dashes_and_offers_search_all(page):
    seller = SellerAccountFactory(slug="dashes")
    owner = seller_user(seller)
    order = OrderFactory(seller=seller, number=NUMBER)
    case = buyer_opens_case(order=order, subject="Broken lid").case
    seller_replies(case, owner)  # no longer under Response Needed

    sign_in(page, owner.email)
    page.goto("/messages/")
    page.get_by_label("Search by buyer alias, order ID or text").fill("97014464489377198")
    page.get_by_role("button", name="Search").click()
    empty = page.locator("#case-list-empty")
    expect(empty).to_contain_text("No cases under “Response Needed” match “97014464489377198”.")
    _shot(page, "inbox-no-match-1280")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    _shot(page, "inbox-no-match-390")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Search all cases").click()
    expect(page).to_have_url(re.compile(r"filter=all"))
    expect(page.locator(f'[data-case-id="{case.pk}"]')).to_contain_text("Broken lid")
    expect(page.locator("#id_filter")).to_have_value("all")
    expect(page.locator("#case-list-query")).to_contain_text("matching “97014464489377198”")

    page.goto("/orders/")
    page.get_by_label("Search by order ID or buyer alias").fill("64489377")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#order-results .order-id")).to_have_count(1)
    expect(page.locator("#order-results")).to_contain_text(NUMBER)
    _settle(page)


def test_buyer_reaches_the_storefront_and_anonymous_visitors_sign_in_from_it(page):
    seller = SellerAccountFactory(business_name="Kyoto Handmade", slug="kyoto")
    ProductFactory(seller=seller, title="Tea bowl")
    buyer = BuyerFactory()
    order = OrderFactory(seller=seller, buyer=buyer)

    sign_in(page, buyer.email)
    page.locator(".seller-store-link", has_text="Kyoto Handmade").first.click()
    expect(page).to_have_url(re.compile(r"/store/kyoto/$"))
    page.goto(f"/buyer/orders/{order.number}/")
    page.locator("#seller-name").get_by_role("link", name="Kyoto Handmade").click()
    expect(page).to_have_url(re.compile(r"/store/kyoto/$"))
    page.get_by_role("link", name="Ask a question").click()
    expect(page).to_have_url(re.compile(r"/store/kyoto/ask/$"))
    page.goto(f"/buyer/orders/{order.number}/contact-seller/")
    page.locator("#seller-name").get_by_role("link", name="Kyoto Handmade").click()
    expect(page).to_have_url(re.compile(r"/store/kyoto/$"))
    case = buyer_opens_case(order=order, subject="Glaze colour")
    page.goto(f"/buyer/messages/{case.case_id}/")
    page.locator("#case-seller-name").click()
    expect(page).to_have_url(re.compile(r"/store/kyoto/$"))
    page.goto("/buyer/orders/")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    _shot(page, "buyer-orders-390")
    page.set_viewport_size(DESKTOP)

    page.context.clear_cookies()
    page.goto("/store/kyoto/")
    _shot(page, "store-anonymous-1280")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    _shot(page, "store-anonymous-390")
    page.get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/store/kyoto/$"))
    page.get_by_label("Email").fill(buyer.email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/store/kyoto/$"))
    expect(page.locator("#store-sign-in")).to_have_count(0)
    _settle(page)


def test_a_german_buyer_browses_in_german(page):
    seller = SellerAccountFactory(business_name="Nordic Home", slug="nordic")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    BuyerProfile.objects.filter(user=buyer).update(preferred_language="de")
    order = OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.SHIPPED)
    case = buyer_opens_case(order=order, subject="Lieferung").case
    seller_replies(case, owner, body="It ships today.")

    sign_in(page, buyer.email)
    expect(page.get_by_role("heading", name="Ihre Bestellungen")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    _shot(page, "de-orders-1280")
    page.get_by_role("link", name="Bestelldetails anzeigen").click()
    expect(page.locator("#order-conversations")).to_contain_text("Nachrichten zu dieser Bestellung")
    _shot(page, "de-order-1280")
    page.get_by_role("link", name="Verkäufer kontaktieren").first.click()
    expect(page.get_by_label("Kontaktgrund")).to_be_visible()
    page.get_by_label("Kontaktgrund").select_option(label="Versand oder Lieferung")
    page.get_by_label("Nachricht").fill("Wann kommt das Paket?")
    page.get_by_role("button", name="Senden").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Ihre Nachricht wurde an Nordic Home gesendet."
    )
    expect(page.locator("#reply-box")).to_contain_text("Antwort an Nordic Home")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    _shot(page, "de-case-390")
    _settle(page)


def test_manage_orders_at_390px_keeps_status_and_do_not_ship_in_view(page):
    seller = SellerAccountFactory(slug="phone-shop")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    OrderFactory(
        seller=seller,
        buyer=buyer,
        status=OrderStatus.PENDING,
        items=[ProductFactory(seller=seller, title="A very long product title for a phone")],
    )
    OrderFactory.create_batch(2, seller=seller, status=OrderStatus.SHIPPED)

    page.set_viewport_size(PHONE)
    sign_in(page, owner.email)
    page.goto("/orders/")
    _no_sideways_scroll(page)
    results = page.locator("#order-results .table-responsive")
    assert results.evaluate("element => element.scrollWidth <= element.clientWidth")
    pending_row = page.locator("#order-results tr.table-warning")
    _inside_viewport(page, pending_row.locator(".badge"))
    do_not_ship = pending_row.get_by_text("Payment not cleared — do not ship")
    expect(do_not_ship).to_be_visible()
    _inside_viewport(page, do_not_ship)
    for badge in page.locator("#order-results .cell-status .badge").all():
        _inside_viewport(page, badge)
    _shot(page, "manage-orders-390")

    page.set_viewport_size(DESKTOP)
    expect(page.locator("#order-results thead")).to_be_visible()
    _shot(page, "manage-orders-1280")
    _settle(page)


def test_staff_reports_queue_at_1280px_shows_the_message(page):
    staff = StaffFactory()
    seller = SellerAccountFactory(slug="report-shop")
    owner = seller_user(seller)
    long_text = (
        "Dear customer, this is a very long message about an offer that someone reported "
        "to the marketplace staff because it looked like spam to them at the time "
    ) * 3
    for _ in range(3):
        message = buyer_opens_case(
            seller=seller,
            subject="An unusually long subject line for a reported message " * 2,
            body=long_text,
        )
        message_report(message=message, reporter=owner, reason="spam", details="")

    page.set_viewport_size(DESKTOP)
    sign_in(page, staff.email)
    page.goto("/admin/messaging/messagereport/")
    _no_sideways_scroll(page)
    # The message is the second column, in view and wide enough to read; the trailing columns
    # (who reviewed it, when, the warning) scroll inside the list when there is no room.
    cell = page.locator("#result_list td.field-message_excerpt").first
    expect(cell).to_be_visible()
    expect(cell).to_contain_text("An unusually long subject line")
    _inside_viewport(page, cell)
    box = cell.bounding_box()
    assert box is not None
    assert box["width"] >= 280, box
    assert box["height"] <= 200, box  # not squeezed into a column one word wide
    _shot(page, "admin-reports-1280")
    _settle(page)
