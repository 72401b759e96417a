"""Sellers read refusals in words, never rule ids (issue 8, item 5).

Each refusal a seller meets says what the rule is and what to do, links to the section of our
messaging policy that explains it (`/help/messaging-policy/#…`), and the element showing it
carries `data-rule="R…"`; the id itself appears in no visible text.
"""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus
from cases.services import case_change_state_by_seller
from messaging import policy
from messaging.moderation.services.flags import message_report
from messaging.policy_page import SECTIONS, policy_section
from messaging.sending import services
from orders.models import OrderStatus
from templates_app import content_rules
from tests.factories import BuyerFactory, OrderFactory
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db

POLICY = reverse("messaging:policy")
RULE_ID = re.compile(r"\bR\d{1,2}\b")


def visible_text(html: str) -> str:
    """What a person reads: the page without its tags (attributes included) and scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]*>", " ", html)


def assert_no_rule_ids(html: str) -> None:
    found = RULE_ID.findall(visible_text(html))
    assert not found, f"rule ids in the visible text: {found}"


def assert_refusal_shown(html: str, rule: str) -> None:
    """An element with data-rule, and a link to the policy section of that rule."""
    assert f'data-rule="{rule}"' in html
    section = policy_section(rule)
    assert section is not None
    assert f'href="{POLICY}#{section.anchor}"' in html


def _opted_out_buyer():
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    return buyer


def _blocked_message(seller, sender):
    order = OrderFactory(seller=seller, buyer=_opted_out_buyer(), status=OrderStatus.UNSHIPPED)
    return services.message_send(
        sender=sender,
        order=order,
        draft=services.Draft(
            body_text="Your order is on its way.",
            subject="Update",
            contact_reason="additional_information",
        ),
    )


# ---- the texts themselves


CONTENT_MESSAGES = [
    value
    for name, value in vars(content_rules).items()
    if name.endswith("_MSG") and isinstance(value, str)
]
POLICY_MESSAGES = [
    value
    for name, value in vars(policy).items()
    if name.endswith("_MSG") and isinstance(value, str)
]


@pytest.mark.parametrize("text", CONTENT_MESSAGES + POLICY_MESSAGES)
def test_r12_rule_texts_carry_no_rule_ids(text):
    assert not RULE_ID.search(text), text


def test_r12_refusal_text_has_no_rule_id():
    refusal = content_rules.refuse_content(text="Visit shop.example.com 😀")
    assert refusal is not None
    assert refusal.rule == "R12"
    assert not RULE_ID.search(refusal.message)
    assert all(not RULE_ID.search(problem) for problem in refusal.problems)


def test_the_rule_id_stays_for_logs_and_the_admin():
    refusal = policy.refuse_daily_limit(sent_today=600, limit=600)
    assert refusal is not None
    assert refusal.for_log.endswith("[R8]")
    assert not hasattr(refusal, "with_rule")


# ---- the policy page


def test_the_messaging_policy_page_is_public_with_a_section_per_rule():
    response = Client().get(POLICY)
    assert response.status_code == HTTPStatus.OK
    html = response.text
    assert POLICY == "/help/messaging-policy/"
    for number in range(1, 26):
        section = policy_section(f"R{number}")
        assert section is not None, f"R{number}"
        assert f'id="{section.anchor}"' in html
        assert f'data-rule="R{number}"' in html
        assert section.title in html
        assert not RULE_ID.search(section.anchor)
    assert len({section.anchor for section in SECTIONS}) == len(SECTIONS)
    assert_no_rule_ids(html)


# ---- seller pages


def test_r12_contact_buyer_refusal_in_words_with_the_policy_link(seller, seller_client):
    order = OrderFactory(seller=seller)
    response = seller_client.post(
        reverse("messaging:contact_buyer", args=[order.number]),
        {"reason": "shipping_address", "subject": "Address", "body": "See www.example.com"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Remove the link “www.example.com”" in response.text
    assert_refusal_shown(response.text, "R12")
    assert_no_rule_ids(response.text)


def test_r12_live_check_in_words_with_the_policy_link(seller, seller_client):
    order = OrderFactory(seller=seller)
    response = seller_client.post(
        reverse("messaging:contact_buyer_check", args=[order.number]),
        {"subject": "Hi", "body": "Visit https://x.io"},
    )
    assert "https://x.io" in response.text
    assert_refusal_shown(response.text, "R12")
    assert_no_rule_ids(response.text)


def test_r3_contact_buyer_refusal_in_words(seller, seller_client):
    order = OrderFactory(seller=seller, status=OrderStatus.SHIPPED)
    response = seller_client.post(
        reverse("messaging:contact_buyer", args=[order.number]),
        {"reason": "invoice", "subject": "[Important] Invoice", "body": "Attached."},
    )
    assert policy.IMPORTANT_MARK_MISUSED_MSG in response.text
    assert_refusal_shown(response.text, "R3")
    assert_no_rule_ids(response.text)


def test_r5_pending_order_says_why_in_words(seller, seller_client):
    order = OrderFactory(seller=seller, status=OrderStatus.PENDING)
    for name in ("messaging:contact_buyer", "orders:order_detail"):
        response = seller_client.get(reverse(name, args=[order.number]))
        assert policy.NO_REASONS_PENDING_MSG in response.text
        assert_refusal_shown(response.text, "R5")
        assert_no_rule_ids(response.text)


def test_r2_blocked_message_in_words_on_the_case_and_in_the_inbox(
    seller, seller_owner, seller_client
):
    message = _blocked_message(seller, seller_owner)
    case_page = seller_client.get(reverse("messaging:case_detail", args=[message.case_id])).text
    assert "Not delivered" in case_page
    assert "opted out of unsolicited messages" in case_page
    assert_refusal_shown(case_page, "R2")
    assert_no_rule_ids(case_page)

    inbox = seller_client.get(reverse("messaging:inbox") + "?filter=sent").text
    assert re.search(r'<span class="badge[^"]*not-delivered[^"]*"[^>]*data-rule="R2"', inbox)
    assert_no_rule_ids(inbox)


def test_r8_reply_refused_in_words(seller, seller_owner, seller_client, settings, monkeypatch):
    case = buyer_opens_case(seller=seller).case
    monkeypatch.setattr(policy.seller_limits, "DAILY_LIMIT_BASE", 0)
    response = seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]), {"body": "Thanks, it ships today."}
    )
    assert response.status_code == HTTPStatus.OK
    assert "your daily limit" in response.text
    assert_refusal_shown(response.text, "R8")
    assert_no_rule_ids(response.text)


def test_r9_state_change_refused_in_words(seller, seller_owner, seller_client):
    case = buyer_opens_case(seller=seller).case
    response = seller_client.post(
        reverse("messaging:case_change_state", args=[case.pk]), {"action": "reopen"}
    )
    assert 'id="case-error"' in response.text
    assert "A case cannot go from Opened to Opened." in response.text
    # The case state machine (SPEC section 3) is explained with the closed-case rule.
    assert_refusal_shown(response.text, "CASE")
    assert policy_section("CASE") is policy_section("R9")
    assert_no_rule_ids(response.text)


def test_r15_undo_refused_in_words(seller, seller_owner, seller_client):
    message = buyer_opens_case(seller=seller)
    response = seller_client.post(
        reverse("messaging:message_no_response_needed_undo", args=[message.pk])
    )
    assert "not marked “No Response Needed”" in response.text
    assert_refusal_shown(response.text, "R15")
    assert_no_rule_ids(response.text)


def test_r16_report_refused_in_words(seller, seller_owner, seller_client):
    message = buyer_opens_case(seller=seller)
    message_report(message=message, reporter=seller_owner, reason="spam")
    response = seller_client.post(
        reverse("messaging:message_report", args=[message.pk]), {"reason": "abusive"}
    )
    assert "already reported" in response.text
    assert_refusal_shown(response.text, "R16")
    assert_no_rule_ids(response.text)


def test_r17_review_request_refused_in_words(seller, seller_client):
    order = OrderFactory(
        seller=seller, status=OrderStatus.DELIVERED, status_changed_at=timezone.now()
    )
    order.delivered_at = timezone.now() - timedelta(days=1)
    order.save()
    response = seller_client.post(
        reverse("messaging:review_request", args=[order.number]), follow=True
    )
    assert "You can request a review from" in response.text
    assert_refusal_shown(response.text, "R17")
    assert_no_rule_ids(response.text)


def test_r9_closed_case_state_buttons_are_gone_and_words_explain(
    seller, seller_owner, seller_client
):
    case = buyer_opens_case(seller=seller).case
    case_change_state_by_seller(case=case, actor=seller_owner, to_status=CaseStatus.CLOSED)
    page = seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert "This case is closed" in page
    assert_no_rule_ids(page)
