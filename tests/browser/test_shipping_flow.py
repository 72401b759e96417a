"""Confirm a shipment from Manage Orders at phone width; the buyer sees carrier, tracking number
and ship date on their order page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import BuyerFactory, OrderFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_seller_confirms_shipment_and_buyer_sees_it_on_their_order(page):
    seller = SellerAccountFactory(business_name="Harbor Goods", slug="harbor")
    owner = seller_user(seller, user__full_name="Sam Shipper")
    buyer = BuyerFactory()
    order = OrderFactory(seller=seller, buyer=buyer)

    page.set_viewport_size(PHONE)
    sign_in(page, owner.email)
    page.goto(f"/orders/{order.number}/")
    page.get_by_role("link", name="Confirm shipment").click()
    expect(page.get_by_role("heading", name="Confirm shipment")).to_be_visible()
    assert page.evaluate(SIDEWAYS) == 0

    page.get_by_label("Carrier", exact=True).select_option("usps")
    page.get_by_label("Tracking number").fill("9400 1000 0000 0000 0000 00")
    page.get_by_label("Ship date").fill("2999-01-01")
    page.get_by_role("button", name="Confirm shipment").click()
    expect(page.locator("#ship_date-errors")).to_contain_text("cannot be in the future")
    assert page.evaluate(SIDEWAYS) == 0

    page.get_by_label("Ship date").fill(timezone.now().date().isoformat())
    page.get_by_role("button", name="Confirm shipment").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/$"))
    expect(page.locator("#shipment-carrier")).to_have_text("USPS")
    expect(page.locator("#shipment-tracking")).to_have_text("9400100000000000000000")
    expect(page.locator("#shipment-confirmed-by")).to_have_text("Sam Shipper")
    expect(page.get_by_text("by Sam Shipper")).to_be_visible()
    expect(page.locator("#order-actions")).not_to_contain_text("Confirm shipment")
    assert page.evaluate(SIDEWAYS) == 0

    page.context.clear_cookies()
    sign_in(page, buyer.email)
    page.goto(f"/buyer/orders/{order.number}/")
    expect(page.locator("#shipment-carrier")).to_have_text("USPS")
    expect(page.locator("#shipment-tracking")).to_have_text("9400100000000000000000")
    expect(page.locator("#shipment-date")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Sam Shipper")
    assert page.evaluate(SIDEWAYS) == 0
