"""A return from request to partial refund (R29) at phone width: the buyer requests it with a
photo on Your Orders, the seller's member finds it in Manage Returns by the buyer alias,
authorizes it, marks it received and refunds part of the order (each with a confirmation), and
the buyer sees the status and the refund on their order page."""

import io
import re
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect

from orders.adjustments.models import Refund
from orders.models import OrderStatus
from tests.browser.conftest import sign_in
from tests.factories import BuyerFactory, OrderFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _png(tmp_path):
    path = tmp_path / "dented.png"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _confirm(page, button_id: str, confirm_name: str) -> None:
    page.locator(f"#{button_id}").click()
    page.get_by_role("dialog").get_by_role("button", name=confirm_name).click()


def test_r29_a_return_from_request_to_partial_refund(page, tmp_path):
    seller = SellerAccountFactory(business_name="Harbor Goods", slug="harbor")
    member = seller_user(seller, role="member")
    buyer = BuyerFactory()
    order = OrderFactory(
        seller=seller, buyer=buyer, status=OrderStatus.DELIVERED, total=Decimal("40.00")
    )

    page.set_viewport_size(PHONE)
    sign_in(page, buyer.email)
    page.goto(f"/buyer/orders/{order.number}/")
    page.locator("#request-return").click()
    expect(page.get_by_role("heading", name="Request a return")).to_be_visible()
    assert page.evaluate(SIDEWAYS) == 0
    page.get_by_role("button", name="Request a return").click()
    expect(page.locator("#reason-errors")).to_be_visible()
    page.get_by_label("Why are you returning this item?").select_option("damaged")
    page.get_by_label("Comments (optional)").fill("The corner is dented.")
    page.get_by_label("Photo (optional)").set_input_files(_png(tmp_path))
    page.get_by_role("button", name="Request a return").click()
    expect(page).to_have_url(re.compile(rf"/buyer/orders/{order.number}/$"))
    expect(page.locator("#order-returns")).to_contain_text("Requested")
    expect(page.locator("#request-return")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page, member.email)
    page.goto("/returns/")
    expect(page.get_by_role("heading", name="Manage Returns")).to_be_visible()
    page.get_by_label("Search by order ID or buyer alias").fill(order.relationship.buyer_alias)
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".return-row")).to_have_count(1)
    assert page.evaluate(SIDEWAYS) == 0
    page.get_by_role("link", name=order.number).click()
    expect(page.locator("#return-comment")).to_have_text("The corner is dented.")
    expect(page.locator("#return-photo-link img")).to_be_visible()
    assert page.evaluate(SIDEWAYS) == 0

    _confirm(page, "return-authorize", "Authorize return")
    expect(page.locator("#return-status")).to_have_text("Authorized")
    _confirm(page, "return-receive", "Mark received")
    expect(page.locator("#return-status")).to_have_text("Received")
    expect(page.locator("#propose-partial-refund")).to_have_attribute(
        "href", f"/orders/{order.number}/contact-buyer/?platform=return_question"
    )

    page.get_by_label("Amount (USD)").fill("50")
    _confirm(page, "return-refund", "Refund")
    expect(page.locator("#amount-errors")).to_contain_text("Only 40.00 USD is left")
    page.get_by_label("Amount (USD)").fill("15.50")
    _confirm(page, "return-refund", "Refund")
    expect(page.locator("#return-status")).to_have_text("Refunded")
    expect(page.locator("#refund-left")).to_contain_text("24.50 USD")
    expect(page.locator("#return-history")).to_contain_text("15.50 USD")
    assert page.evaluate(SIDEWAYS) == 0
    assert Refund.objects.get(order=order).amount == Decimal("15.50")

    page.context.clear_cookies()
    sign_in(page, buyer.email)
    page.goto(f"/buyer/orders/{order.number}/")
    expect(page.locator("#order-returns")).to_contain_text("Refunded")
    expect(page.locator("#order-returns .refund-entry")).to_contain_text("15.50 USD")
    assert page.evaluate(SIDEWAYS) == 0
