"""Feedback sellers and buyers would otherwise miss (issue 8, item 12): a notice after every
action htmx answers, the buyer's contact reason shown to the seller, "Resolved" explained to
the buyer, and labels instead of codes in the admin."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from cases.services import case_change_state_by_seller
from tests.clients import signed_in_client
from tests.factories import StaffFactory
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _live_notice(html: str) -> str:
    found = re.search(
        r'<div id="live-notices"[^>]*hx-swap-oob="true"[^>]*>(.*?)</div>\s*$', html, re.S
    )
    assert found, "the htmx answer carries the notice out of band"
    return found.group(1)


def test_seller_reply_with_javascript_shows_the_sent_notice(seller, seller_client):
    case = buyer_opens_case(seller=seller).case
    response = seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]), {"body": "It ships today."}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert "Your reply was sent." in _live_notice(response.text)


def test_r15_no_response_needed_with_javascript_shows_the_notice(seller, seller_client):
    message = buyer_opens_case(seller=seller)
    response = seller_client.post(
        reverse("messaging:message_no_response_needed", args=[message.pk]), headers=HTMX
    )
    assert "Marked “No Response Needed”" in _live_notice(response.text)
    response = seller_client.post(
        reverse("messaging:message_no_response_needed_undo", args=[message.pk]), headers=HTMX
    )
    assert "“No Response Needed” undone." in _live_notice(response.text)


def test_case_state_change_with_javascript_shows_the_notice(seller, seller_client):
    case = buyer_opens_case(seller=seller).case
    response = seller_client.post(
        reverse("messaging:case_change_state", args=[case.pk]), {"action": "resolve"}, headers=HTMX
    )
    assert "Case marked resolved" in _live_notice(response.text)


def test_the_notice_is_shown_once_not_again_on_the_next_page(seller, seller_client):
    case = buyer_opens_case(seller=seller).case
    seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]), {"body": "It ships today."}, headers=HTMX
    )
    page = seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert "Your reply was sent." not in page


def test_buyer_reply_with_javascript_shows_the_sent_notice(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    seller_replies(case, seller_owner)
    response = signed_in_client(case.buyer).post(
        reverse("messaging:buyer_case_reply", args=[case.pk]), {"body": "Thanks!"}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert "Your reply was sent." in _live_notice(response.text)


def test_the_seller_sees_the_buyers_contact_reason(seller, seller_client):
    case = buyer_opens_case(seller=seller).case  # "shipping_or_delivery"
    html = seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert re.search(r'class="[^"]*contact-reason[^"]*"[^>]*>\s*Shipping or delivery', html)
    assert "shipping_or_delivery" not in re.sub(r"<[^>]*>", "", html)


def test_resolved_is_explained_to_the_buyer(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    seller_replies(case, seller_owner)
    case_change_state_by_seller(case=case, actor=seller_owner, to_status=CaseStatus.RESOLVED)
    html = (
        signed_in_client(case.buyer)
        .get(reverse("messaging:buyer_case_detail", args=[case.pk]))
        .text
    )
    notice = re.search(r'id="case-resolved-notice".*?</div>', html, re.S)
    assert notice
    assert "marked this conversation resolved" in notice.group(0)
    assert "reply below" in notice.group(0)
    assert "closes" in notice.group(0)


def test_admin_shows_contact_reason_labels_not_codes(seller):
    message = buyer_opens_case(seller=seller)
    client = signed_in_client(StaffFactory())
    for url in (
        reverse("admin:messaging_message_change", args=[message.pk]),
        reverse("admin:cases_case_change", args=[message.case_id]),
    ):
        html = client.get(url).text
        assert "Shipping or delivery" in html, url
        assert "shipping_or_delivery" not in html, url
