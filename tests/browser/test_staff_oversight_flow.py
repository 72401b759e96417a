"""Staff oversight in a real browser, under the Content Security Policy (issue 11): a member of
the "Dispute Resolution" group opens an order's dispute file from the order page (R25), then
warns the seller from the reports queue, and the warning shows in the seller's inbox until a
member dismisses it (R16).

With SHOTS_DIR set, full-page screenshots of the dispute file, the reports queue and the inbox
warning are saved there (at the 1280 px viewport of the `page` fixture)."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from messaging.models import MessageReport, StaffWarning
from messaging.moderation.services.flags import message_report
from messaging.moderation.staff_groups import DISPUTE_RESOLUTION_GROUP
from tests.browser.conftest import sign_in
from tests.factories import SellerAccountFactory, UserFactory, migration_data_install, seller_user
from tests.messaging.helpers import seller_replies
from tests.messaging.moderation.test_staff_oversight import Story

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page, name: str) -> None:
    if directory := os.environ.get("SHOTS_DIR"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


def test_r25_r16_a_dispute_resolution_member_reads_the_file_and_warns_the_seller(page):
    migration_data_install()  # transactional tests flush what the data migrations put in
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme-outfitters")
    member = seller_user(seller)
    story = Story(seller, member)
    rude = seller_replies(story.case, member, body="Stop bothering us about this parcel.")
    report = message_report(message=rude, reporter=story.buyer, reason="abusive")
    resolver = UserFactory(email="resolver@alphadiscounters.example", is_staff=True)
    resolver.groups.add(Group.objects.get(name=DISPUTE_RESOLUTION_GROUP))

    sign_in(page, resolver.email)
    page.goto(f"/admin/orders/order/{story.order.pk}/change/")
    page.get_by_role("link", name="Dispute file").click()
    expect(page.locator("h1")).to_contain_text(f"Dispute file: order {story.order.number}")
    cases = page.locator(".dispute-case")
    expect(cases).to_have_count(2)
    expect(page.locator(".dispute-message.outcome-blocked")).to_contain_text("Blocked (R2)")
    expect(page.get_by_role("link", name="photo.png")).to_be_visible()
    expect(page.get_by_role("link", name="invoice.pdf")).to_be_visible()
    expect(page.locator("#dispute-parties")).to_contain_text(story.relationship.buyer_alias)
    _shot(page, "dispute-file")

    page.goto("/admin/messaging/messagereport/")
    page.locator(f'input[name="_selected_action"][value="{report.pk}"]').check()
    page.locator('select[name="action"]').select_option("warn_seller")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("The seller was warned on 1 report(s)")
    _shot(page, "reports-queue")
    report.refresh_from_db()
    assert report.status == MessageReport.Status.ACTION_TAKEN

    page.context.clear_cookies()
    sign_in(page, member.email)
    page.goto("/messages/")
    warning = page.locator(".staff-warning")
    expect(warning).to_contain_text("Warning from AlphaDiscounters staff")
    _shot(page, "inbox-warning")
    warning.get_by_role("button", name="Dismiss").click()
    expect(page.locator(".staff-warning")).to_have_count(0)
    assert StaffWarning.objects.get(report=report).dismissed_by == member
