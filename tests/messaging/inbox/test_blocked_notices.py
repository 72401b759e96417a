"""R2/R3/R4: seller messages to opted-out buyers, and the "not delivered" notices in the inbox."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import notification_preferences_update
from messaging.inbox import selectors
from messaging.inbox.services import blocked_notice_dismiss, blocked_notices_dismiss_all
from messaging.models import BlockedMessageNotice, Outcome
from messaging.policy import OPTED_OUT_BLOCK_MSG
from messaging.sending import services
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")
NOTICES = reverse("messaging:blocked_notices")


def _opted_out_buyer():
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    return buyer


def _proactive(seller, sender, buyer, *, reason="additional_information", subject="Update"):
    return services.message_send(
        sender=sender,
        order=OrderFactory(seller=seller, buyer=buyer, status="unshipped"),
        draft=services.Draft(
            body_text="Your order is on its way", subject=subject, contact_reason=reason
        ),
    )


def _dismiss_url(notice) -> str:
    return reverse("messaging:blocked_notice_dismiss", args=[notice.pk])


def test_r4_blocked_message_creates_an_inbox_notice(seller, seller_owner, seller_client):
    message = _proactive(seller, seller_owner, _opted_out_buyer())
    assert message.outcome == Outcome.BLOCKED
    assert message.outcome_rule == "R2"
    assert message.outcome_reason == OPTED_OUT_BLOCK_MSG
    notice = BlockedMessageNotice.objects.get(message=message)
    assert notice.seller_id == seller.pk

    # The inbox counts it in one line (issue 8); the list of them has the details.
    inbox = seller_client.get(INBOX).text
    assert "1 message not delivered" in inbox
    assert NOTICES in inbox
    text = seller_client.get(NOTICES).text
    assert f'id="notice-{notice.pk}"' in text
    assert message.subject in text
    assert message.case.buyer_alias in text
    assert message.case.order_number in text
    assert "not delivered because the buyers opted out of unsolicited messages" in text
    assert "with a critical contact reason" in text  # how to send a critical message
    assert reverse("messaging:case_detail", args=[message.case_id]) in text
    assert _dismiss_url(notice) in text
    # The line sits above the filters, outside the htmx-swapped case list.
    assert inbox.index('id="blocked-notices"') < inbox.index('id="inbox-filters"')
    partial = seller_client.get(INBOX, headers={"HX-Request": "true"}).text
    assert "blocked-notices" not in partial


def test_r4_no_notice_when_buyer_opt_out_notifications_are_off(seller, seller_owner, seller_client):
    notification_preferences_update(
        seller=seller,
        buyer_message_copies=False,
        buyer_message_copies_email="",
        opt_out_bounces=False,
    )
    message = _proactive(seller, seller_owner, _opted_out_buyer())
    assert message.outcome == Outcome.BLOCKED  # still blocked, only nothing confirms it
    assert not BlockedMessageNotice.objects.exists()
    assert 'id="blocked-notices"' not in seller_client.get(INBOX).text


def test_r3_critical_reason_is_delivered_to_opted_out_buyer(seller, seller_owner):
    message = _proactive(seller, seller_owner, _opted_out_buyer(), reason="shipping_address")
    assert message.outcome == Outcome.DELIVERED
    assert message.is_critical
    assert message.subject.startswith("[Important]")
    assert not BlockedMessageNotice.objects.exists()


def test_r2_reply_on_buyer_started_case_is_delivered_to_opted_out_buyer(seller, seller_owner):
    buyer = _opted_out_buyer()
    case = buyer_opens_case(seller=seller, buyer=buyer).case
    reply = services.message_send(
        sender=seller_owner, case=case, draft=services.Draft(body_text="It ships today.")
    )
    assert reply.outcome == Outcome.DELIVERED
    assert not BlockedMessageNotice.objects.exists()


def test_r2_message_to_buyer_who_did_not_opt_out_is_delivered(seller, seller_owner):
    message = _proactive(seller, seller_owner, BuyerFactory())
    assert message.outcome == Outcome.DELIVERED
    assert not BlockedMessageNotice.objects.exists()


class TestSelector:
    def test_lists_undismissed_newest_first_up_to_the_limit(
        self, seller, seller_owner, other_seller
    ):
        buyer = _opted_out_buyer()
        messages = [_proactive(seller, seller_owner, buyer, subject=f"Note {i}") for i in range(4)]
        _proactive(other_seller, seller_user(other_seller), buyer)
        blocked_notice_dismiss(notice=messages[0].notice, actor=seller_owner)
        notices, more = selectors.blocked_notices_for_seller(seller=seller, limit=2)
        assert [n.message_id for n in notices] == [messages[3].pk, messages[2].pk]
        assert more == 1
        all_open, more = selectors.blocked_notices_for_seller(seller=seller)
        assert [n.message_id for n in all_open] == [m.pk for m in reversed(messages[1:])]
        assert more == 0

    def test_one_query_with_message_and_case(self, seller, seller_owner, django_assert_num_queries):
        buyer = _opted_out_buyer()
        for _ in range(3):
            _proactive(seller, seller_owner, buyer)
        with django_assert_num_queries(1):
            aliases = [
                n.message.case.buyer_alias
                for n in selectors.blocked_notices_for_seller(seller=seller)[0]
            ]
        assert len(aliases) == 3


class TestDismiss:
    def test_htmx_dismiss_answers_the_list_without_the_notice(
        self, seller, seller_owner, seller_client
    ):
        notice = _proactive(seller, seller_owner, _opted_out_buyer()).notice
        response = seller_client.post(_dismiss_url(notice), headers={"HX-Request": "true"})
        assert response.status_code == HTTPStatus.OK
        assert "<html" not in response.text
        assert 'id="notices-region"' in response.text
        assert 'id="blocked-notices-empty"' in response.text  # that was the last one
        assert "Notice dismissed." in response.text  # out of band (live_notices.html)
        notice.refresh_from_db()
        assert notice.dismissed_at is not None
        assert f'id="notice-{notice.pk}"' not in seller_client.get(NOTICES).text

    def test_dismiss_without_htmx_goes_back_to_the_list(self, seller, seller_owner, seller_client):
        message = _proactive(seller, seller_owner, _opted_out_buyer())
        response = seller_client.post(_dismiss_url(message.notice))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == NOTICES
        message.notice.refresh_from_db()
        assert message.notice.dismissed_at is not None
        # The blocked message itself stays on its case with its outcome (R25).
        page = seller_client.get(reverse("messaging:case_detail", args=[message.case_id])).text
        assert OPTED_OUT_BLOCK_MSG[:40] in page

    def test_dismissing_twice_keeps_the_first_time(self, seller, seller_owner):
        notice = _proactive(seller, seller_owner, _opted_out_buyer()).notice
        first = blocked_notice_dismiss(notice=notice, actor=seller_owner).dismissed_at
        again = blocked_notice_dismiss(notice=notice, actor=seller_owner).dismissed_at
        assert again == first

    def test_another_sellers_notice_is_404(self, seller_client, other_seller):
        notice = _proactive(other_seller, seller_user(other_seller), _opted_out_buyer()).notice
        response = seller_client.post(_dismiss_url(notice))
        assert response.status_code == HTTPStatus.NOT_FOUND
        notice.refresh_from_db()
        assert notice.dismissed_at is None

    def test_service_refuses_a_member_of_another_seller(self, seller, seller_owner, other_seller):
        notice = _proactive(seller, seller_owner, _opted_out_buyer()).notice
        with pytest.raises(PermissionError):
            blocked_notice_dismiss(notice=notice, actor=seller_user(other_seller))
        with pytest.raises(PermissionError):
            blocked_notice_dismiss(notice=notice, actor=BuyerFactory())

    def test_get_is_not_allowed_and_buyers_get_403(
        self, seller, seller_owner, seller_client, buyer_client
    ):
        notice = _proactive(seller, seller_owner, _opted_out_buyer()).notice
        assert seller_client.get(_dismiss_url(notice)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert buyer_client.post(_dismiss_url(notice)).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("notices", [1, 6])
def test_inbox_query_count_does_not_grow_with_notices(
    seller, seller_owner, seller_client, django_assert_max_num_queries, notices
):
    buyer = _opted_out_buyer()
    for _ in range(notices):
        _proactive(seller, seller_owner, buyer)
    # An inbox without notices plus one query counting them (one line, issue 8).
    with django_assert_max_num_queries(9):
        text = seller_client.get(INBOX, {"filter": "all"}).text
    assert text.count('id="blocked-notices"') == 1
    assert f"{notices} message{'s' if notices > 1 else ''} not delivered" in text


def test_r4_notices_page_query_count_does_not_grow_with_notices(
    seller, seller_owner, seller_client, django_assert_max_num_queries
):
    buyer = _opted_out_buyer()
    for _ in range(7):
        _proactive(seller, seller_owner, buyer)
    with django_assert_max_num_queries(9):
        text = seller_client.get(NOTICES).text
    assert text.count('class="list-group-item d-flex') == 7
    assert "Dismiss all" in text


class TestDismissAll:
    URL = reverse("messaging:blocked_notices_dismiss_all")

    def test_r4_dismiss_all_puts_away_only_this_sellers_notices(
        self, seller, seller_owner, seller_client, other_seller
    ):
        buyer = _opted_out_buyer()
        for _ in range(3):
            _proactive(seller, seller_owner, buyer)
        theirs = _proactive(other_seller, seller_user(other_seller), buyer).notice
        response = seller_client.post(self.URL, follow=True)
        assert response.redirect_chain == [(INBOX, HTTPStatus.FOUND)]
        assert "3 notices dismissed" in response.text
        assert 'id="blocked-notices"' not in response.text
        assert not BlockedMessageNotice.objects.filter(
            seller=seller, dismissed_at__isnull=True
        ).exists()
        theirs.refresh_from_db()
        assert theirs.dismissed_at is None
        # The blocked messages stay (R25) and stay listed under Sent.
        sent = seller_client.get(INBOX, {"filter": "sent"}).text
        assert sent.count(" case-row ") == 3

    def test_htmx_dismiss_all_answers_empty(self, seller, seller_owner, seller_client):
        _proactive(seller, seller_owner, _opted_out_buyer())
        response = seller_client.post(self.URL, headers={"HX-Request": "true"})
        assert response.status_code == HTTPStatus.OK
        assert response.content == b""
        assert 'id="blocked-notices"' not in seller_client.get(INBOX).text

    def test_buyers_get_403_and_get_is_not_allowed(self, seller_client, buyer_client):
        assert seller_client.get(self.URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED
        assert buyer_client.post(self.URL).status_code == HTTPStatus.FORBIDDEN

    def test_service_refuses_a_member_of_another_seller(self, seller, other_seller):
        with pytest.raises(PermissionError):
            blocked_notices_dismiss_all(seller=seller, actor=seller_user(other_seller))


def test_r2_blocked_message_is_marked_not_delivered_under_sent(seller, seller_owner, seller_client):
    blocked = _proactive(seller, seller_owner, _opted_out_buyer(), subject="Colour")
    _proactive(seller, seller_owner, BuyerFactory(), subject="Gift card")
    page = seller_client.get(INBOX, {"filter": "sent"}).text
    assert page.count(" case-row ") == 2
    assert page.count('data-rule="R2">Not delivered</span>') == 1
    row = page[page.index(f'data-case-id="{blocked.case_id}"') :]
    assert 'data-rule="R2">Not delivered</span>' in row[: row.index("</a>")]


def test_r2_badge_goes_once_the_latest_message_is_delivered(seller, seller_owner):
    """The badge follows the latest message (here the buyer writes on the case, then the
    seller's reply to them goes through, R2)."""
    blocked = _proactive(seller, seller_owner, _opted_out_buyer())
    assert blocked.case.latest_blocked_rule == "R2"
    buyer_replies(blocked.case, body="What was that about?")
    services.message_send(
        sender=seller_owner, case=blocked.case, draft=services.Draft(body_text="Your colour.")
    )
    blocked.case.refresh_from_db()
    assert blocked.case.latest_blocked_rule == ""


def test_htmx_case_list_swap_does_not_read_the_notices(seller, seller_owner, seller_client):
    """Filter and search swap only the case list, on every keystroke: no notice queries."""
    _proactive(seller, seller_owner, _opted_out_buyer())
    with CaptureQueriesContext(connection) as queries:
        response = seller_client.get(INBOX, {"filter": "sent"}, headers={"HX-Request": "true"})
    assert response.status_code == HTTPStatus.OK
    assert 'id="case-list"' in response.text
    assert not [q for q in queries if "blockedmessagenotice" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        seller_client.get(INBOX, {"filter": "sent"})
    assert [q for q in queries if "blockedmessagenotice" in q["sql"]]
