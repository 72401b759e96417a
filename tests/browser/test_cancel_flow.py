"""Cancel an order with NoInventory from Manage Orders at phone width (the confirmation says what
it refunds), then send "Problem with Order" from its platform text; free text that does not
confirm the cancellation is refused in words with a link to the policy (R28, R31)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from messaging.models import Message, Outcome
from orders.adjustments.models import Refund
from orders.models import OrderStatus
from tests.browser.conftest import sign_in
from tests.factories import BuyerFactory, OrderFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_cancel_with_no_inventory_then_send_problem_with_order(page):
    seller = SellerAccountFactory(business_name="Harbor Goods", slug="harbor")
    member = seller_user(seller, role="member", user__full_name="Mia Member")
    buyer = BuyerFactory(profile__preferred_language="fr")
    order = OrderFactory(seller=seller, buyer=buyer, total=Decimal("24.98"), ship_name="Lea Roux")

    page.set_viewport_size(PHONE)
    sign_in(page, member.email)
    page.goto(f"/orders/{order.number}/")
    page.get_by_role("link", name="Cancel order").click()
    expect(page.get_by_role("heading", name="Cancel order")).to_be_visible()
    expect(page.locator("#cancel-refund-amount")).to_have_text("24.98 USD")
    assert page.evaluate(SIDEWAYS) == 0

    # No reason chosen: a field error in words, nothing changed.
    page.get_by_role("button", name="Cancel order").click()
    page.locator("#confirm-modal").get_by_role("button", name="Cancel and refund").click()
    expect(page.locator("#reason-errors")).to_have_text(
        "Choose the reason for canceling the order."
    )

    # The confirmation says what it refunds; dismissing it keeps the order.
    page.get_by_label("Reason for the adjustment").select_option("NoInventory")
    page.get_by_role("button", name="Cancel order").click()
    dialog = page.locator("#confirm-modal")
    expect(dialog).to_contain_text("refund 24.98 USD to the buyer? This cannot be undone.")
    dialog.get_by_role("button", name="Cancel", exact=True).click()
    expect(dialog).to_be_hidden()
    order.refresh_from_db()
    assert order.status == OrderStatus.UNSHIPPED

    page.get_by_role("button", name="Cancel order").click()
    dialog.get_by_role("button", name="Cancel and refund").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/$"))
    expect(page.locator("#refunds")).to_contain_text("24.98 USD")
    expect(page.locator("#refunds .refund-reason")).to_have_text("No inventory")
    expect(page.locator("#refunds")).to_contain_text("by Mia Member")
    expect(page.locator("#order-actions")).not_to_contain_text("Cancel order")
    assert page.evaluate(SIDEWAYS) == 0
    assert Refund.objects.get(order=order).amount == Decimal("24.98")

    # Contact Buyer now offers Problem with Order; free text that confirms nothing is refused.
    page.get_by_role("link", name="Contact Buyer: Lea Roux").click()
    page.get_by_label("Problem with Order").check()
    page.get_by_label("Subject").fill("Your order")
    page.get_by_label("Message").fill("Sorry for the trouble.")
    page.get_by_role("button", name="Send").click()
    refusal = page.locator("[data-rule='R31']").first
    expect(refusal).to_contain_text("must confirm that you canceled the order")
    expect(refusal.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"/help/messaging-policy/#problem-with-order$")
    )
    assert not Message.objects.exists()
    assert page.evaluate(SIDEWAYS) == 0

    # Started from AlphaDiscounters' text, it goes out in the buyer's language (French).
    page.get_by_label("Problem with Order").check()
    page.locator("#platform-texts").get_by_role("button", name="Start from this text").click()
    expect(page.get_by_label("Message")).to_have_value(re.compile("Reason: No inventory."))
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text("sent")
    message = Message.objects.get()
    assert message.outcome == Outcome.DELIVERED
    assert "Motif : Rupture de stock." in message.body_text
    assert page.evaluate(SIDEWAYS) == 0
