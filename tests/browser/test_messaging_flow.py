"""Main messaging flows in a real browser (issue: inbox, replies, NRN, reports)."""

import re

import pytest
from playwright.sync_api import expect

from messaging.models import MessageReport
from tests.browser.conftest import sign_in
from tests.factories import OrderFactory, SellerAccountFactory, seller_user
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_buyer_contacts_seller_who_replies_from_response_needed(browser, live_server):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    owner = seller_user(seller)
    order = OrderFactory(seller=seller)
    buyer = order.buyer

    buyer_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(buyer_page, buyer.email)
    buyer_page.goto(f"/buyer/orders/{order.number}/")
    buyer_page.get_by_role("link", name="Contact seller").click()
    buyer_page.get_by_label("Contact reason").select_option(label="Shipping or delivery")
    buyer_page.get_by_label("Subject").fill("Where is my jacket?")
    buyer_page.get_by_label("Message").fill("Hello, it has been a week. Any news?")
    buyer_page.get_by_role("button", name="Send").click()
    expect(buyer_page).to_have_url(re.compile(r"/buyer/messages/\d+/$"))
    expect(buyer_page.locator("#message-list")).to_contain_text("Hello, it has been a week.")

    seller_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(seller_page, owner.email)
    expect(seller_page).to_have_url(re.compile(r"/messages/$"))
    expect(seller_page.locator("#case-list-title")).to_have_text("Response Needed")
    row = seller_page.locator(".case-row", has_text="Where is my jacket?")
    expect(row).to_contain_text(order.number)
    expect(row).to_contain_text(order.relationship.buyer_alias)
    expect(row.locator(".deadline")).to_contain_text("left")
    row.click()

    seller_page.get_by_label("Reply").fill("It left our warehouse this morning.")
    seller_page.get_by_role("button", name="Send").click()
    # htmx swaps the conversation in place: the reply appears, the buyer message is answered.
    expect(seller_page.locator("#message-list")).to_contain_text("It left our warehouse")
    expect(seller_page.locator("#message-list .badge", has_text="Responded")).to_be_visible()
    seller_page.get_by_role("link", name="Buyer-Seller Messages").first.click()
    expect(seller_page.locator("#case-list-title")).to_have_text("Response Needed")
    expect(seller_page.locator("#case-list")).not_to_contain_text("Where is my jacket?")
    seller_page.get_by_label("Show").select_option("responded")
    expect(seller_page.locator("#case-list")).to_contain_text("Where is my jacket?")
    expect(seller_page).to_have_url(re.compile(r"filter=responded"))

    buyer_page.reload()
    expect(buyer_page.locator("body")).to_contain_text("It left our warehouse this morning.")
    expect(buyer_page.locator("body")).not_to_contain_text(owner.email)


def test_seller_marks_no_response_needed_and_undoes_it(page):
    seller = SellerAccountFactory(slug="nrn-shop")
    owner = seller_user(seller)
    case = buyer_opens_case(seller=seller, body="Thanks, all good!", subject="Thank you").case
    other = buyer_opens_case(seller=seller, subject="Still waiting").case

    sign_in(page, owner.email)
    expect(page.locator(".case-row")).to_have_count(2)
    page.locator(".case-row", has_text="Thank you").click()
    page.get_by_role("button", name="No Response Needed").click()
    expect(page.locator("#message-list")).to_contain_text("No response needed")
    page.goto("/messages/")
    expect(page.locator(".case-row")).to_have_count(1)
    expect(page.locator("#case-list")).to_contain_text(other.subject)
    page.get_by_label("Show").select_option("no-response-needed")
    expect(page.locator(".case-row", has_text="Thank you")).to_be_visible()

    page.goto(f"/messages/{case.pk}/")
    page.get_by_role("button", name="Undo").click()
    # has_text is a case-insensitive substring match, and "No response needed" contains
    # "response needed": wait for the old badge to go before leaving the page.
    expect(page.locator("#message-list")).not_to_contain_text("No response needed")
    expect(
        page.locator("#message-list .badge", has_text=re.compile(r"^Response needed$"))
    ).to_be_visible()
    page.goto("/messages/")
    expect(page.locator(".case-row")).to_have_count(2)


def test_seller_reports_a_message_which_stays_in_the_inbox(page):
    seller = SellerAccountFactory(slug="report-shop")
    owner = seller_user(seller)
    buyer_opens_case(seller=seller, body="Send me your bank details now", subject="Urgent")

    sign_in(page, owner.email)
    page.locator(".case-row", has_text="Urgent").click()
    page.get_by_role("link", name="Report Message").click()
    page.get_by_label("Reason").select_option("phishing")
    page.get_by_label("Details (optional)").fill("Asks for bank details")
    page.get_by_role("button", name="Report Message").click()
    expect(page.locator(".alert-success")).to_contain_text("reported")
    expect(page.locator("#message-list .badge", has_text="Reported")).to_be_visible()
    assert MessageReport.objects.get().reason == "phishing"

    page.goto("/messages/")
    expect(page.locator("#case-list")).not_to_contain_text("Urgent")
    page.get_by_label("Show").select_option("reported")
    expect(page.locator(".case-row", has_text="Urgent")).to_be_visible()
