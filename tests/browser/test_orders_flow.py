import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import BuyerFactory, OrderFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_seller_searches_manage_orders_by_buyer_alias_and_sees_only_own_order(page):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    mine = OrderFactory(seller=seller, buyer=buyer)
    OrderFactory.create_batch(3, seller=seller)
    # The same buyer at another seller: a different alias and an order that must never show.
    theirs = OrderFactory(seller=SellerAccountFactory(), buyer=buyer)

    sign_in(page, owner.email)
    page.get_by_role("link", name="Manage Orders").click()
    expect(page).to_have_url(re.compile(r"/orders/$"))
    expect(page.get_by_role("heading", name="Manage Orders")).to_be_visible()
    expect(page.locator("#order-results .order-id")).to_have_count(4)

    page.get_by_label("Search by order ID or buyer alias").fill(mine.relationship.buyer_alias)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#order-results .order-id")).to_have_count(1)
    expect(page.locator("#order-results")).to_contain_text(mine.number)
    expect(page).to_have_url(re.compile(r"q=" + re.escape(mine.relationship.buyer_alias[:12])))

    page.get_by_label("Search by order ID or buyer alias").fill(theirs.relationship.buyer_alias)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#order-results")).to_contain_text("No orders match")
    expect(page.locator("body")).not_to_contain_text(theirs.number)
    expect(page.locator("body")).not_to_contain_text(buyer.email)

    page.go_back()
    expect(page.locator("#order-results")).to_contain_text(mine.number)


def test_pending_order_is_flagged_in_the_list_and_details(page):
    seller = SellerAccountFactory(slug="pending-shop")
    owner = seller_user(seller)
    order = OrderFactory(seller=seller, status="pending")
    sign_in(page, owner.email)
    page.goto("/orders/")
    expect(page.locator("#order-results")).to_contain_text("Payment not cleared — do not ship")
    page.get_by_role("link", name=order.number).click()
    expect(page.locator("#pending-warning")).to_contain_text("do not ship")


def test_buyer_cannot_open_seller_pages(page):
    buyer = BuyerFactory()
    order = OrderFactory(buyer=buyer)
    sign_in(page, buyer.email)
    expect(page).to_have_url(re.compile(r"/buyer/orders/$"))
    expect(page.get_by_role("heading", name="Your Orders")).to_be_visible()
    expect(page.locator("nav")).not_to_contain_text("Manage Orders")
    for path in ("/orders/", f"/orders/{order.number}/", "/orders/report.csv"):
        response = page.goto(path)
        assert response.status == 403, path
        expect(page.get_by_role("heading")).to_contain_text("not available")


def test_buyer_sees_seller_name_and_alias_on_order_details(page):
    seller = SellerAccountFactory(business_name="Kyoto Handmade", slug="kyoto")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    order = OrderFactory(buyer=buyer, seller=seller)
    sign_in(page, buyer.email)
    page.get_by_role("link", name=order.number).first.click()
    expect(page.locator("#seller-name")).to_have_text("Kyoto Handmade")
    expect(page.locator("#seller-alias")).to_have_text(order.relationship.seller_alias)
    expect(page.locator("body")).not_to_contain_text(owner.email)
