"""The response-time dashboard in Chromium (R21): the figures for seeded data and a chart that
renders under the Content Security Policy (the `page` fixture fails on any CSP violation)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from messaging.performance.services import response_metrics_compute
from messaging.sending import services
from tests.browser.conftest import sign_in
from tests.factories import OrderFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db(transaction=True)


def _conversation(seller, member, *, answered_after_hours: float) -> None:
    at = timezone.now() - timedelta(days=3)
    order = OrderFactory(seller=seller, placed_at=at - timedelta(days=1))
    draft = services.Draft(body_text="Where is it?", subject="Parcel", contact_reason="other")
    case = services.message_send(sender=order.buyer, order=order, draft=draft, now=at).case
    services.message_send(
        sender=member,
        case=case,
        draft=services.Draft(body_text="On its way."),
        now=at + timedelta(hours=answered_after_hours),
    )


def test_r21_dashboard_shows_the_seeded_figures_and_the_chart(page):
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    owner = seller_user(seller)
    for hours in (1, 3, 5, 40):
        _conversation(seller, owner, answered_after_hours=hours)
    response_metrics_compute()

    sign_in(page, owner.email)
    page.get_by_role("link", name="Response time").click()
    expect(page.get_by_role("heading", name="Response time")).to_be_visible()
    expect(page.locator('[data-figure="within-7"]')).to_have_text("75%")
    expect(page.locator('[data-figure="later-7"]')).to_have_text("25%")
    expect(page.locator('[data-figure="average-7"]')).to_have_text(
        "12.3 h"
    )  # (1 + 3 + 5 + 40) / 4 = 12.25
    chart = page.locator("#response-chart")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100
    expect(page.locator("#response-chart circle")).to_have_count(1)
    expect(page.locator("#late-messages tbody tr")).to_have_count(1)
    page.screenshot(path="var/test-artifacts/response-time.png", full_page=True)
