"""Issue 8 in a real browser: confirmations before final actions (item 1), the inbox filter on
Back/Forward (item 2) and the notices htmx answers show (item 12)."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseStatus
from cases.services import case_change_state_by_seller
from tests.browser.conftest import sign_in
from tests.factories import SellerAccountFactory, seller_user
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_r9_close_asks_first_cancel_keeps_the_case_open_confirm_closes_it(page):
    seller = SellerAccountFactory(slug="close-shop")
    owner = seller_user(seller)
    case = buyer_opens_case(seller=seller, subject="Wrong colour").case

    sign_in(page, owner.email)
    page.goto(f"/messages/{case.pk}/")
    page.get_by_role("button", name="Close", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("A closed case takes no more messages")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(300)  # a submit that slipped through would have answered by now
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED
    expect(page.locator("#case-status")).to_contain_text("Opened")
    expect(page.locator("#reply-box")).to_be_visible()

    page.get_by_role("button", name="Close", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Close case").click()
    expect(page.locator("#case-closed-notice")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_inbox_filter_follows_back_and_forward_without_csp_violations(page):
    """The "Show" select and the list agree with the address after Back and Forward, and no
    history restore injects an inline style (the page fixture fails on CSP violations)."""
    seller = SellerAccountFactory(slug="history-shop")
    owner = seller_user(seller)
    closed = buyer_opens_case(seller=seller, subject="Closed one").case
    case_change_state_by_seller(case=closed, actor=owner, to_status=CaseStatus.CLOSED)
    buyer_opens_case(seller=seller, subject="Waiting one")

    sign_in(page, owner.email)
    page.goto("/messages/")
    show = page.get_by_label("Show")
    expect(show).to_have_value("response-needed")
    show.select_option("closed")
    expect(page).to_have_url(re.compile(r"filter=closed"))
    expect(page.locator("#case-list-title")).to_have_text("Closed")
    show.select_option("reported")
    expect(page).to_have_url(re.compile(r"filter=reported"))
    expect(page.locator("#case-list-title")).to_have_text("Reported")

    page.go_back()
    expect(page).to_have_url(re.compile(r"filter=closed"))
    expect(page.locator("#case-list-title")).to_have_text("Closed")
    expect(page.get_by_label("Show")).to_have_value("closed")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/messages/$"))
    expect(page.locator("#case-list-title")).to_have_text("Response Needed")
    expect(page.get_by_label("Show")).to_have_value("response-needed")

    page.go_forward()
    expect(page.locator("#case-list-title")).to_have_text("Closed")
    expect(page.get_by_label("Show")).to_have_value("closed")
    page.go_forward()
    expect(page.locator("#case-list-title")).to_have_text("Reported")
    expect(page.get_by_label("Show")).to_have_value("reported")


def test_reply_and_no_response_needed_with_javascript_show_a_notice_in_view(page):
    """Issue 8 item 12: htmx answers in place, and the notice comes with the answer, in a corner
    of the window whatever the scroll position."""
    seller = SellerAccountFactory(slug="notice-shop")
    owner = seller_user(seller)
    case = buyer_opens_case(seller=seller, subject="Parcel").case
    waiting = buyer_opens_case(seller=seller, subject="Thanks").case

    sign_in(page, owner.email)
    page.goto(f"/messages/{case.pk}/")
    page.get_by_label("Reply").fill("It left our warehouse this morning.")
    # As when the seller drags the box bigger: the swap must not copy that style attribute
    # onto the new box (an inline style the CSP refuses; the page fixture fails on it).
    page.get_by_label("Reply").evaluate("box => { box.style.height = '240px'; }")
    page.get_by_role("button", name="Send").click()
    notice = page.locator("#live-notices .alert")
    expect(notice).to_contain_text("Your reply was sent.")
    expect(notice).to_be_in_viewport()
    expect(page).to_have_url(re.compile(rf"/messages/{case.pk}/$"))  # no page load
    notice.get_by_role("button", name="Close").click()
    expect(notice).to_have_count(0)

    page.goto(f"/messages/{waiting.pk}/")
    page.get_by_role("button", name="No Response Needed").click()
    expect(page.locator("#live-notices .alert")).to_contain_text("No Response Needed")
    # It closes by itself after a few seconds, and the next page does not repeat it.
    expect(page.locator("#live-notices .alert")).to_have_count(0, timeout=10_000)
    page.reload()
    expect(page.locator(".alert", has_text="No Response Needed”. You can undo")).to_have_count(0)
