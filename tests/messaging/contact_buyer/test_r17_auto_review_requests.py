"""R17 automatic review requests: sellers who switch them on get the platform request sent for
each delivered order after their delay, once per order, through the send funnel (R8 counts it),
skipping opted-out buyers; a blocked request does not use up the order's one request."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerMembership
from accounts.services import seller_set_auto_review_requests
from messaging import policy
from messaging.contact_buyer import selectors
from messaging.contact_buyer.services import review_request_send, review_requests_auto_send
from messaging.models import Channel, Message, Outcome
from orders.models import OrderStatus
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user

REVIEW = policy.REVIEW_REQUEST_REASON


def _delivered(seller, days_ago: float, **kw):
    return OrderFactory(
        seller=seller,
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - timedelta(days=days_ago),
        **kw,
    )


@pytest.fixture
def auto_on(seller, seller_owner):
    return seller_set_auto_review_requests(
        seller=seller, actor=seller_owner, enabled=True, delay_days=7
    )


def test_r17_due_orders_get_one_automatic_request_as_a_system_message(seller, auto_on):
    due = _delivered(seller, 8)
    too_early = _delivered(seller, 6)
    too_late = _delivered(seller, 31)
    assert review_requests_auto_send() == 1
    assert review_requests_auto_send() == 0  # never twice per order
    message = Message.objects.get(order=due, contact_reason=REVIEW)
    assert message.sender is None
    assert message.channel == Channel.SYSTEM
    assert message.outcome == Outcome.DELIVERED
    assert not Message.objects.filter(order__in=[too_early, too_late]).exists()


def test_r17_nothing_is_sent_for_sellers_who_did_not_switch_it_on(seller):
    _delivered(seller, 8)
    assert review_requests_auto_send() == 0


def test_r17_opted_out_buyers_are_skipped(seller, auto_on):
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    _delivered(seller, 8, buyer=buyer)
    assert review_requests_auto_send() == 0
    assert not Message.objects.exists()


def test_r17_a_blocked_request_does_not_use_up_the_orders_one_request(seller, seller_owner):
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    order = _delivered(seller, 10, buyer=buyer)
    blocked = review_request_send(sender=seller_owner, order=order)
    assert blocked.outcome == Outcome.BLOCKED
    assert selectors.review_request_refusal(order) is None  # the button is still offered
    buyer.buyer_profile.opted_out_of_unsolicited = False
    buyer.buyer_profile.save()
    delivered = review_request_send(sender=seller_owner, order=order)
    assert delivered.outcome == Outcome.DELIVERED
    assert selectors.review_request_refusal(order).rule == "R17"


def test_r17_automatic_requests_count_against_the_daily_limit(seller, auto_on, monkeypatch):
    _delivered(seller, 8)
    monkeypatch.setattr(policy.seller_limits, "DAILY_LIMIT_BASE", 0)
    assert review_requests_auto_send() == 0  # refused by R8, tried again next run
    monkeypatch.setattr(policy.seller_limits, "DAILY_LIMIT_BASE", 600)
    assert review_requests_auto_send() == 1


def test_r17_only_owners_switch_automatic_requests(seller):
    member = seller_user(seller, role=SellerMembership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        seller_set_auto_review_requests(seller=seller, actor=member, enabled=True, delay_days=7)
    seller.refresh_from_db()
    assert not seller.auto_review_requests


def test_r17_the_delay_is_5_to_30_days(seller, seller_owner):
    for days in (4, 31):
        with pytest.raises(ValueError, match="5 to 30"):
            seller_set_auto_review_requests(
                seller=seller, actor=seller_owner, enabled=True, delay_days=days
            )


def test_r17_the_owner_switches_it_on_in_settings_and_members_read_it(seller, seller_owner):
    url = reverse("accounts:messaging_settings")
    response = signed_in_client(seller_owner).post(
        url, {"section": "reviews", "auto_review_requests": "on", "auto_review_delay_days": "9"}
    )
    assert response.status_code == 302
    seller.refresh_from_db()
    assert (seller.auto_review_requests, seller.auto_review_delay_days) == (True, 9)
    bad = signed_in_client(seller_owner).post(
        url, {"section": "reviews", "auto_review_requests": "on", "auto_review_delay_days": "3"}
    )
    assert bad.status_code == 200
    assert "greater than or equal to 5" in bad.text
    member = seller_user(seller, role=SellerMembership.Role.MEMBER)
    page = signed_in_client(member).get(url)
    assert "9 days after delivery" in page.text
    assert 'id="auto-review-form"' not in page.text
    denied = signed_in_client(member).post(
        url, {"section": "reviews", "auto_review_delay_days": "5"}
    )
    assert denied.status_code == 403
