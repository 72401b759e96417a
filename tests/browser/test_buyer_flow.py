"""A buyer contacts a seller from an order, and asks a question from a storefront (R24)."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.browser.conftest import sign_in
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    ProductFactory,
    SellerAccountFactory,
    seller_user,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_buyer_contacts_seller_from_order_and_sees_message_on_case_page(page):
    seller = SellerAccountFactory(business_name="Kyoto Handmade", slug="kyoto")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    order = OrderFactory(buyer=buyer, seller=seller)

    sign_in(page, buyer.email)
    page.get_by_role("link", name=order.number).first.click()
    page.get_by_role("link", name="Contact seller").click()
    expect(page).to_have_url(re.compile(rf"/buyer/orders/{order.number}/contact-seller/$"))
    expect(page.locator("#seller-name")).to_have_text("Kyoto Handmade")
    expect(page.locator("#seller-alias")).to_have_text(order.relationship.seller_alias)

    page.get_by_label("Contact reason").select_option(label="Shipping or delivery")
    page.get_by_label("Subject").fill("Parcel not here yet")
    page.get_by_label("Message").fill("Hello,\nmy parcel has not arrived. Can you check?")
    page.get_by_role("button", name="Send").click()

    expect(page).to_have_url(re.compile(r"/buyer/messages/\d+/$"))
    case = Case.objects.get(order=order)
    assert page.url.endswith(f"/buyer/messages/{case.pk}/")
    expect(page.get_by_role("heading", name="Parcel not here yet")).to_be_visible()
    expect(page.locator("#message-list")).to_contain_text("my parcel has not arrived")
    expect(page.locator("#message-list .message-sender").first).to_have_text("You")
    expect(page.locator("body")).not_to_contain_text(owner.email)

    # A follow-up through the htmx reply box lands in the same list without a page load.
    page.get_by_label("Reply").fill("Any news?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#message-list article.message")).to_have_count(2)
    expect(page.get_by_label("Reply")).to_have_value("")

    page.get_by_role("link", name="Messages", exact=True).click()
    expect(page.locator(f'[data-case-id="{case.pk}"]')).to_contain_text("Parcel not here yet")


def test_buyer_asks_a_question_from_the_storefront(page):
    seller = SellerAccountFactory(business_name="Nordic Home Furnishings", slug="nordic-home")
    ProductFactory(seller=seller, title="Oak Dining Table")
    buyer = BuyerFactory()

    sign_in(page, buyer.email)
    page.goto("/store/nordic-home/")
    expect(page.get_by_role("heading", name="Nordic Home Furnishings")).to_be_visible()
    expect(page.locator("#store-products")).to_contain_text("Oak Dining Table")
    page.get_by_role("link", name="Ask a question").click()

    page.get_by_label("Product (optional)").select_option(label="Oak Dining Table")
    page.get_by_label("Subject").fill("Does it extend?")
    page.get_by_label("Message").fill("Can the table seat eight people?")
    page.get_by_role("button", name="Send").click()

    expect(page).to_have_url(re.compile(r"/buyer/messages/\d+/$"))
    case = Case.objects.get(seller=seller)
    assert case.order is None
    assert page.url.endswith(f"/buyer/messages/{case.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("sent to Nordic Home Furnishings")
    expect(page.locator("#message-list")).to_contain_text("Can the table seat eight people?")
    expect(page.locator("main")).to_contain_text("Question without an order")
    # The product is part of the case (R24), not pasted into the message.
    expect(page.locator("#case-product")).to_have_text("Oak Dining Table")
    assert case.product.title == "Oak Dining Table"
