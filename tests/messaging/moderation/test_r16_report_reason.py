"""R16 Report Message: the reason is the reporter's choice, never a default, and it is shown
wherever the report is (issue 8, item 4)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from messaging.models import MessageReport, ReportReason
from messaging.moderation.forms import ReportForm
from tests.clients import signed_in_client
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db


def _selected_reason(html: str) -> str | None:
    select = re.search(r'<select name="reason".*?</select>', html, re.S)
    assert select, "the report page has a reason select"
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return chosen.group(1) if chosen else None


def test_r16_report_form_has_no_reason_until_one_is_chosen():
    form = ReportForm()
    assert form.fields["reason"].required
    assert form.fields["reason"].choices[0][0] == ""
    assert not ReportForm({"reason": "", "details": ""}).is_valid()


def test_r16_seller_report_page_preselects_no_reason(seller, seller_client):
    message = buyer_opens_case(seller=seller)
    response = seller_client.get(reverse("messaging:message_report", args=[message.pk]))
    assert response.status_code == HTTPStatus.OK
    assert _selected_reason(response.text) in (None, "")
    assert "Choose a reason" in response.text


def test_r16_seller_submitting_without_a_reason_files_nothing(seller, seller_client):
    message = buyer_opens_case(seller=seller)
    response = seller_client.post(
        reverse("messaging:message_report", args=[message.pk]), {"details": ""}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Choose why you are reporting this message." in response.text
    assert not MessageReport.objects.exists()


def test_r16_buyer_submitting_without_a_reason_files_nothing(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    reply = seller_replies(case, seller_owner)
    client = signed_in_client(case.buyer)
    response = client.post(reverse("messaging:buyer_message_report", args=[reply.pk]), {})
    assert response.status_code == HTTPStatus.OK
    assert "Choose why you are reporting this message." in response.text
    assert not MessageReport.objects.exists()


def test_r16_seller_case_page_shows_the_chosen_reason(seller, seller_client):
    message = buyer_opens_case(seller=seller)
    seller_client.post(
        reverse("messaging:message_report", args=[message.pk]),
        {"reason": ReportReason.ABUSIVE, "details": "Insults"},
    )
    response = seller_client.get(reverse("messaging:case_detail", args=[message.case_id]))
    assert re.search(r'class="badge[^"]*report-reason[^"]*">Reported: Abusive<', response.text)


def test_r16_buyer_case_page_shows_the_chosen_reason(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    reply = seller_replies(case, seller_owner)
    client = signed_in_client(case.buyer)
    client.post(
        reverse("messaging:buyer_message_report", args=[reply.pk]),
        {"reason": ReportReason.PHISHING, "details": ""},
    )
    response = client.get(reverse("messaging:buyer_case_detail", args=[case.pk]))
    assert re.search(r'class="badge[^"]*report-reason[^"]*">Reported: Phishing<', response.text)
