"""Contact Buyer in a real browser: opt-out blocks (R2, R4), critical reasons go through (R3),
Pending orders offer nothing (R5), the live compliance check (R12)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import BuyerFactory, OrderFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db(transaction=True)


def _contact(page, order, reason_label, subject, body):
    page.goto(f"/orders/{order.number}/")
    page.get_by_role("link", name=f"Contact Buyer: {order.ship_name}").click()
    page.get_by_label(reason_label).check()
    page.get_by_label("Subject").fill(subject)
    page.get_by_label("Message").fill(body)
    page.get_by_role("button", name="Send").click()


def test_opted_out_buyer_blocks_non_critical_but_gets_shipping_address_issue(browser, live_server):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    order = OrderFactory(seller=seller, buyer=buyer, status="unshipped", ship_name="Emma Johnson")

    page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(page, owner.email)
    _contact(page, order, "Additional information required", "Gift wrap", "Shall we gift wrap it?")
    expect(page.locator(".alert-warning").first).to_contain_text("Not delivered")
    expect(page.locator("#message-list [data-rule='R2']")).to_contain_text("Not delivered")
    page.goto("/messages/")
    expect(page.locator("#blocked-notices")).to_contain_text("1 message not delivered")
    page.locator("#blocked-notices").get_by_role("link", name="See it").click()
    expect(page.locator("#blocked-notice-list")).to_contain_text("Gift wrap")
    expect(page.locator("#blocked-notice-list")).to_contain_text(order.relationship.buyer_alias)

    _contact(page, order, "Shipping address issue", "Your address", "Is the flat number 4B?")
    expect(page.locator(".alert-success")).to_contain_text("sent")
    expect(page.locator("h1")).to_contain_text("[Important] Your address")

    buyer_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(buyer_page, buyer.email)
    buyer_page.goto("/buyer/messages/")
    expect(buyer_page.locator("body")).to_contain_text("[Important] Your address")
    expect(buyer_page.locator("body")).not_to_contain_text("Gift wrap")


def test_pending_order_offers_no_reasons_and_says_why(page):
    seller = SellerAccountFactory(slug="pending")
    owner = seller_user(seller)
    order = OrderFactory(seller=seller, status="pending")
    sign_in(page, owner.email)
    page.goto(f"/orders/{order.number}/contact-buyer/")
    expect(page.locator("#no-reasons")).to_contain_text("Payment for this order has not cleared")
    expect(page.locator("#contact-buyer-form")).to_have_count(0)


def test_live_compliance_check_names_the_rule_before_sending(page):
    seller = SellerAccountFactory(slug="live")
    owner = seller_user(seller)
    order = OrderFactory(seller=seller, status="shipped")
    sign_in(page, owner.email)
    page.goto(f"/orders/{order.number}/contact-buyer/")
    expect(page.get_by_label("Return-related question")).to_be_disabled()
    expect(page.locator("#contact-reasons")).to_contain_text("available after delivery")
    page.get_by_label("Message").press_sequentially("Our new range is at shop.example.com")
    expect(page.locator("#compliance")).to_contain_text("shop.example.com")
    expect(page.locator("#compliance [data-rule='R12']")).to_contain_text("Messaging policy")
    page.get_by_label("Message").fill("")
    page.get_by_label("Message").press_sequentially("Your parcel left today.")
    expect(page.locator("#compliance")).to_contain_text("No problems found")


def test_r6_contact_buyer_is_closed_30_days_after_delivery(page):
    seller = SellerAccountFactory(slug="late")
    owner = seller_user(seller)
    order = OrderFactory(
        seller=seller,
        status="delivered",
        delivered_at=timezone.now() - timedelta(days=31),
        ship_name="Emma Johnson",
    )
    sign_in(page, owner.email)
    page.goto(f"/orders/{order.number}/")
    expect(page.get_by_role("button", name="Contact Buyer: Emma Johnson")).to_be_disabled()
    expect(page.locator("#contact-why-not")).to_contain_text("more than 30 days ago")
    expect(page.locator("#contact-why-not[data-rule='R6']")).to_be_visible()


def test_r3_important_typed_into_the_subject_is_refused(page):
    seller = SellerAccountFactory(slug="mark")
    owner = seller_user(seller)
    order = OrderFactory(seller=seller, status="shipped", ship_name="Emma Johnson")
    sign_in(page, owner.email)
    _contact(page, order, "Invoice", "[Important] Your invoice", "Your invoice is attached.")
    expect(page.locator("#send-refusal")).to_contain_text("marks critical messages only")
    expect(page.locator("#send-refusal[data-rule='R3']")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/contact-buyer/$"))
