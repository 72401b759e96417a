"""R2/R4: a blocked message is explained once, where it matters (issue 8, item 6).

The explanation (why, and how to send a critical message instead) is on the message itself. The
inbox keeps one line for every undelivered message, with the count and a link to the list of
them; the flash after sending says it in one sentence. A case the seller started whose replies
would be blocked again says so instead of offering a reply box.
"""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from messaging.models import BlockedMessageNotice
from messaging.policy import OPTED_OUT_BLOCK_MSG
from messaging.sending import services
from orders.models import OrderStatus
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")
NOTICES = reverse("messaging:blocked_notices")
EXPLANATION = OPTED_OUT_BLOCK_MSG[:60]


def _opted_out_buyer():
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    return buyer


def _proactive(seller, sender, buyer, *, subject="Update"):
    return services.message_send(
        sender=sender,
        order=OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.UNSHIPPED),
        draft=services.Draft(
            body_text="Your order is on its way",
            subject=subject,
            contact_reason="additional_information",
        ),
    )


def _notice_line(html: str) -> str:
    found = re.search(r'<div[^>]*id="blocked-notices".*?</form>\s*</div>', html, re.S)
    assert found, "the inbox shows the not-delivered line"
    return found.group(0)


def test_r4_inbox_shows_one_line_with_the_count_and_a_link_to_the_list(
    seller, seller_owner, seller_client
):
    buyer = _opted_out_buyer()
    messages = [_proactive(seller, seller_owner, buyer, subject=f"Note {i}") for i in range(3)]
    html = seller_client.get(INBOX).text
    line = _notice_line(html)
    assert "3 messages not delivered" in line
    assert f'href="{NOTICES}"' in line
    assert 'data-rule="R2"' in line
    assert EXPLANATION not in html  # explained on the messages, not again in the inbox
    for message in messages:
        assert f'id="notice-{message.notice.pk}"' not in html
    assert len(re.findall(r'class="[^"]*\bblocked-notice\b', html)) == 0


def test_r4_inbox_line_costs_the_same_for_one_or_many_notices(
    seller, seller_owner, seller_client, django_assert_max_num_queries
):
    buyer = _opted_out_buyer()
    _proactive(seller, seller_owner, buyer)
    with django_assert_max_num_queries(12) as one:
        seller_client.get(INBOX)
    for i in range(8):
        _proactive(seller, seller_owner, buyer, subject=f"More {i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "9 messages not delivered" in seller_client.get(INBOX).text


def test_r4_one_undelivered_message_reads_in_the_singular(seller, seller_owner, seller_client):
    _proactive(seller, seller_owner, _opted_out_buyer())
    assert "1 message not delivered" in _notice_line(seller_client.get(INBOX).text)


def test_r4_no_line_without_notices(seller, seller_client):
    assert 'id="blocked-notices"' not in seller_client.get(INBOX).text


def test_r4_notices_page_lists_each_message_with_its_case_and_dismiss(
    seller, seller_owner, seller_client, other_seller, django_assert_max_num_queries
):
    buyer = _opted_out_buyer()
    messages = [_proactive(seller, seller_owner, buyer, subject=f"Note {i}") for i in range(3)]
    hidden = _proactive(other_seller, seller_user(other_seller), buyer, subject="Not yours")
    with django_assert_max_num_queries(12):
        response = seller_client.get(NOTICES)
    assert response.status_code == HTTPStatus.OK
    html = response.text
    for message in messages:
        assert f'id="notice-{message.notice.pk}"' in html
        assert message.subject in html
        assert reverse("messaging:case_detail", args=[message.case_id]) in html
        assert reverse("messaging:blocked_notice_dismiss", args=[message.notice.pk]) in html
    assert hidden.subject not in html
    # Why they were not delivered is said once for the list, with the policy link.
    assert html.count("opted out of unsolicited messages") == 1
    assert 'data-rule="R2"' in html
    assert reverse("messaging:blocked_notices_dismiss_all") in html


def test_r4_dismissing_from_the_list_without_javascript_comes_back_to_it(
    seller, seller_owner, seller_client
):
    message = _proactive(seller, seller_owner, _opted_out_buyer())
    response = seller_client.post(
        reverse("messaging:blocked_notice_dismiss", args=[message.notice.pk])
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == NOTICES
    assert BlockedMessageNotice.objects.get(pk=message.notice.pk).dismissed_at is not None


def test_r4_blocked_send_explains_it_once_on_the_case_page(seller, seller_owner, seller_client):
    order = OrderFactory(seller=seller, buyer=_opted_out_buyer(), status=OrderStatus.UNSHIPPED)
    response = seller_client.post(
        reverse("messaging:contact_buyer", args=[order.number]),
        {"reason": "additional_information", "subject": "Size", "body": "Which size?"},
        follow=True,
    )
    html = response.text
    assert html.count(EXPLANATION) == 1  # on the message, not again in the flash
    assert re.search(r'class="alert alert-warning[^"]*"[^>]*>\s*Not delivered', html)


def test_r2_seller_started_blocked_case_says_replies_would_be_blocked_too(
    seller, seller_owner, seller_client
):
    message = _proactive(seller, seller_owner, _opted_out_buyer())
    url = reverse("messaging:case_detail", args=[message.case_id])
    html = seller_client.get(url).text
    assert 'id="reply-box"' not in html
    assert 'id="reply-blocked"' in html
    assert 'data-rule="R2"' in html
    assert reverse("messaging:contact_buyer", args=[message.case.order_number]) in html

    # Once the buyer accepts messages again, the reply box is back.
    profile = message.case.buyer.buyer_profile
    profile.opted_out_of_unsolicited = False
    profile.save()
    html = seller_client.get(url).text
    assert 'id="reply-box"' in html
    assert 'id="reply-blocked"' not in html


def test_r2_buyer_started_case_keeps_the_reply_box_for_an_opted_out_buyer(seller, seller_client):
    case = buyer_opens_case(seller=seller, buyer=_opted_out_buyer()).case
    html = seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert 'id="reply-box"' in html
    assert 'id="reply-blocked"' not in html
