"""Notification Preferences › Messaging in a real browser (R4 warning) and the inbox notice."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import NotificationPreferences
from messaging.models import BlockedMessageNotice
from messaging.sending import services
from tests.browser.conftest import sign_in
from tests.factories import BuyerFactory, OrderFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_r4_seller_clears_buyer_opt_out_and_sees_the_warning(page):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    owner = seller_user(seller)

    sign_in(page, owner.email)
    # The Settings dropdown in the navbar (Bootstrap's JS), on one line at 1280px.
    navbar = page.locator("nav.app-navbar")
    assert navbar.bounding_box()["height"] < 70
    navbar.get_by_role("button", name="Settings").click()
    navbar.get_by_role("link", name="Notification Preferences").click()
    expect(page).to_have_url(re.compile(r"/settings/notifications/$"))
    expect(page.get_by_role("heading", name="Notification Preferences")).to_be_visible()

    section = page.locator("#messaging-section")
    expect(section.get_by_role("heading", name="Messaging")).to_be_visible()
    expect(page.locator("#opt-out-bounces-warning")).to_have_count(0)
    # Edit swaps the section in place (htmx) and keeps a URL that works without JavaScript.
    section.get_by_role("link", name="Edit").click()
    expect(page).to_have_url(re.compile(r"/settings/notifications/\?edit=messaging$"))
    checkbox = page.get_by_label("Buyer Opt-out")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/settings/notifications/$"))
    expect(page.get_by_role("alert").filter(has_text="preferences were saved")).to_be_visible()
    warning = page.locator("#opt-out-bounces-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Blocked messages can no longer be confirmed")
    expect(warning).to_contain_text("you will not know when a message was not delivered")
    assert NotificationPreferences.objects.get(seller=seller).opt_out_bounces is False


def test_r4_seller_dismisses_a_not_delivered_notice_in_the_inbox(page):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    message = services.message_send(
        sender=owner,
        order=OrderFactory(seller=seller, buyer=buyer, status="unshipped"),
        draft=services.Draft(
            body_text="Your order is on its way",
            subject="Update",
            contact_reason="additional_information",
        ),
    )

    sign_in(page, owner.email)
    expect(page.locator("#blocked-notices")).to_contain_text("1 message not delivered")
    page.get_by_role("link", name="See it").click()
    expect(page).to_have_url(re.compile(r"/messages/notices/$"))
    notice = page.locator(f"#notice-{message.notice.pk}")
    expect(notice).to_contain_text("Update")
    expect(notice).to_contain_text(message.case.buyer_alias)
    notice.get_by_role("button", name="Dismiss").click()
    expect(notice).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/messages/notices/$"))  # no page load: htmx removed it
    assert BlockedMessageNotice.objects.get(pk=message.notice.pk).dismissed_at is not None


def test_r4_seller_dismisses_all_notices_and_finds_the_messages_under_sent(page):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    owner = seller_user(seller)
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    for subject in ("Colour", "Gift wrap"):
        services.message_send(
            sender=owner,
            order=OrderFactory(seller=seller, buyer=buyer, status="unshipped"),
            draft=services.Draft(
                body_text="A question about your order",
                subject=subject,
                contact_reason="additional_information",
            ),
        )

    sign_in(page, owner.email)
    notices = page.locator("#blocked-notices")
    expect(notices).to_contain_text("2 messages not delivered")
    notices.get_by_role("button", name="Dismiss all").click()
    expect(notices).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/messages/$"))  # htmx removed them in place
    assert not BlockedMessageNotice.objects.filter(dismissed_at__isnull=True).exists()

    page.get_by_label("Show").select_option("sent")
    expect(page.locator(".case-row")).to_have_count(2)
    expect(page.locator(".case-row .not-delivered")).to_have_count(2)
    expect(page.locator(".case-row").first.locator("[data-rule='R2']")).to_have_text(
        "Not delivered"
    )
