"""Contact Buyer and the reply box while fixing a message (issue 8, item 9): required fields are
marked, the live check stays after a failed submit, and a refusal names every problem at once,
each pointing at its text (R12)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from messaging.models import Message
from tests.factories import OrderFactory
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db

SEVERAL_PROBLEMS = "Visit shop.example.com 😀 and use the coupon code SAVE10"


def _compliance(html: str) -> str:
    found = re.search(
        r'<div id="compliance".*?</div>\s*</div>|<div id="compliance"[^>]*>\s*</div>', html, re.S
    )
    assert found, "the page has the live check"
    return found.group(0)


def _problems(html: str) -> list[str]:
    listed = re.search(r'<ul class="refusal-problems[^"]*">(.*?)</ul>', html, re.S)
    assert listed, "the refusal lists its problems"
    return [
        re.sub(r"\s+", " ", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    ]


def test_contact_buyer_marks_its_required_fields(seller, seller_client):
    order = OrderFactory(seller=seller)
    html = seller_client.get(reverse("messaging:contact_buyer", args=[order.number])).text
    subject_input = re.search(r'<input type="text" name="subject"[^>]*>', html).group(0)
    assert 'aria-required="true"' in subject_input
    body = re.search(r'<textarea name="body"[^>]*>', html).group(0)
    assert 'aria-required="true"' in body
    for label in (
        r'<label[^>]*for="id_subject"[^>]*>\s*Subject\s*<span class="required-mark"',
        r'<label[^>]*for="id_body"[^>]*>\s*Message\s*<span class="required-mark"',
        r"<legend[^>]*>\s*Contact reason\s*<span class=\"required-mark\"",
    ):
        assert re.search(label, html), label
    assert "required" in html
    assert 'class="visually-hidden">(required)' in html


def test_r12_live_check_stays_after_a_failed_submit(seller, seller_client):
    order = OrderFactory(seller=seller)
    response = seller_client.post(
        reverse("messaging:contact_buyer", args=[order.number]),
        {"reason": "shipping_address", "subject": "", "body": "See shop.example.com"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in response.text  # the subject
    compliance = _compliance(response.text)
    assert "shop.example.com" in compliance
    assert 'data-rule="R12"' in compliance
    assert not Message.objects.exists()


def test_live_check_says_all_clear_after_a_failed_submit_with_a_clean_text(seller, seller_client):
    order = OrderFactory(seller=seller)
    response = seller_client.post(
        reverse("messaging:contact_buyer", args=[order.number]),
        {"reason": "shipping_address", "subject": "", "body": "Which door should we use?"},
    )
    assert "No problems found" in _compliance(response.text)


def test_r12_contact_buyer_refusal_names_every_problem_with_its_text(seller, seller_client):
    order = OrderFactory(seller=seller)
    response = seller_client.post(
        reverse("messaging:contact_buyer", args=[order.number]),
        {"reason": "shipping_address", "subject": "See www.acme.example", "body": SEVERAL_PROBLEMS},
    )
    problems = _problems(response.text)
    assert len(problems) == 4
    assert problems[0].startswith("In the subject: Remove the link “www.acme.example”")
    assert any("“shop.example.com”" in p for p in problems)
    assert any("“😀”" in p for p in problems)
    assert any("“coupon code”" in p for p in problems)
    assert "more problem" not in response.text
    # Said once, next to the text: in the live check's place, not again at the top of the form.
    assert response.text.count("“shop.example.com”") == 1
    assert not Message.objects.exists()


def test_r12_reply_box_refusal_names_every_problem(seller, seller_client):
    case = buyer_opens_case(seller=seller).case
    for headers in ({}, {"HX-Request": "true"}):
        response = seller_client.post(
            reverse("messaging:case_reply", args=[case.pk]),
            {"body": SEVERAL_PROBLEMS},
            headers=headers,
        )
        assert response.status_code == HTTPStatus.OK
        problems = _problems(response.text)
        assert len(problems) == 3
        assert "There is 1 more problem" not in response.text
        assert "more problems to fix" not in response.text
        assert 'data-rule="R12"' in response.text
        # The draft stays in the box to be fixed.
        assert "coupon code SAVE10</textarea>" in response.text
    assert case.messages.count() == 1


def test_r12_live_check_names_every_problem_while_typing(seller, seller_client):
    case = buyer_opens_case(seller=seller).case
    response = seller_client.post(
        reverse("messaging:case_reply_check", args=[case.pk]), {"body": SEVERAL_PROBLEMS}
    )
    assert len(_problems(response.text)) == 3
