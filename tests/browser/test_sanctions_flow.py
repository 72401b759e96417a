"""A staff limit in a real browser (R30, R36): staff add "Limit proactive messaging" in the admin;
the seller then sees the banner, Contact Buyer is off and says why, and a reply to a buyer still
goes through."""

import pytest
from playwright.sync_api import expect

from messaging.models import Sanction
from tests.browser.conftest import sign_in
from tests.factories import OrderFactory, SellerAccountFactory, StaffFactory, seller_user
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_staff_limit_turns_contact_buyer_off_while_a_reply_still_goes_through(
    browser, live_server
):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme-limit")
    owner = seller_user(seller)
    case = buyer_opens_case(
        order=OrderFactory(seller=seller), body="Where is my jacket?", subject="Jacket"
    ).case
    order = OrderFactory(seller=seller, ship_name="Emma Johnson")

    staff_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff_page, StaffFactory().email)
    staff_page.goto("/admin/messaging/sanction/add/")
    staff_page.locator(".field-seller .select2-selection").click()
    staff_page.locator(".select2-search__field").fill("Acme")
    staff_page.locator(".select2-results__option", has_text="Acme Outfitters").click()
    staff_page.get_by_label("Kind").select_option(label="Limit proactive messaging")
    staff_page.get_by_label("Reason").fill("Unsolicited offers to buyers.")
    staff_page.locator("input[name=_save]").click()
    expect(staff_page.locator(".messagelist")).to_contain_text("was added successfully")
    assert Sanction.objects.get().set_by.email != owner.email

    page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(page, owner.email)
    page.goto(f"/orders/{order.number}/")
    banner = page.locator(".sanction-banner")
    expect(banner).to_contain_text("Limit proactive messaging")
    expect(banner).to_contain_text("Unsolicited offers to buyers.")
    expect(banner).to_contain_text("Replies to buyers' messages still go through")
    expect(page.locator("#contact-buyer-link")).to_be_disabled()
    expect(page.locator("#contact-why-not")).to_contain_text("limited your proactive messaging")
    expect(page.locator("#request-review")).to_be_disabled()

    page.goto(f"/messages/{case.pk}/")
    page.get_by_label("Reply").fill("It left our warehouse this morning.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#message-list")).to_contain_text("It left our warehouse")
    expect(page.locator("#message-list")).not_to_contain_text("Not delivered")
