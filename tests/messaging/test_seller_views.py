"""The seller inbox and case page over HTTP."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from cases.services import case_change_state_by_seller
from messaging.attachments import IncomingAttachment
from messaging.models import Message, MessageReport, ResponseState
from messaging.moderation.services.flags import message_mark_no_response_needed, message_report
from messaging.sending import services
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")


def _case_ids(response) -> list[int]:
    import re

    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', response.text)]


class TestInbox:
    def test_opens_on_response_needed_oldest_waiting_first(self, seller, seller_client):
        newer = buyer_opens_case(seller=seller).case
        older = buyer_opens_case(seller=seller).case
        Case.objects.filter(pk=older.pk).update(waiting_since=timezone.now() - timedelta(hours=30))
        response = seller_client.get(INBOX)
        assert response.status_code == HTTPStatus.OK
        assert "Buyer-Seller Messages" in response.text
        assert _case_ids(response) == [older.pk, newer.pk]
        assert 'id="case-list-title">Response Needed' in response.text

    def test_rows_show_alias_order_subject_snippet_and_deadline(self, seller, seller_client):
        message = buyer_opens_case(seller=seller, body="Can you ship it faster please?")
        case = message.case
        Case.objects.filter(pk=case.pk).update(waiting_since=timezone.now() - timedelta(hours=27))
        text = seller_client.get(INBOX).text
        assert case.buyer_alias in text
        assert case.order_number in text
        assert case.subject in text
        assert "Can you ship it faster please?" in text
        assert "overdue by 3 h" in text

    def test_deadline_shows_time_left_under_24_hours(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        Case.objects.filter(pk=case.pk).update(waiting_since=timezone.now() - timedelta(hours=19))
        assert "4 h left" in seller_client.get(INBOX).text

    def test_replied_case_leaves_response_needed_and_shows_under_responded(
        self, seller, seller_owner, seller_client
    ):
        case = buyer_opens_case(seller=seller).case
        seller_replies(case, seller_owner)
        assert case.pk not in _case_ids(seller_client.get(INBOX))
        assert case.pk in _case_ids(seller_client.get(INBOX, {"filter": "responded"}))
        assert case.pk in _case_ids(seller_client.get(INBOX, {"filter": "sent"}))
        assert case.pk in _case_ids(seller_client.get(INBOX, {"filter": "all"}))

    @pytest.mark.parametrize(
        ("filter_key", "expected"),
        [
            ("no-response-needed", "nrn"),
            ("reported", "reported"),
            ("opened", "waiting"),
            ("resolved", "resolved"),
            ("closed", "closed"),
        ],
    )
    def test_filters(self, seller, seller_owner, seller_client, filter_key, expected):
        cases = {name: buyer_opens_case(seller=seller).case for name in
                 ("waiting", "nrn", "reported", "resolved", "closed")}  # fmt: skip
        message_mark_no_response_needed(message=cases["nrn"].messages.get(), actor=seller_owner)
        message_report(
            message=cases["reported"].messages.get(), reporter=seller_owner, reason="spam"
        )
        case_change_state_by_seller(
            case=cases["resolved"], actor=seller_owner, to_status=CaseStatus.RESOLVED
        )
        case_change_state_by_seller(
            case=cases["closed"], actor=seller_owner, to_status=CaseStatus.CLOSED
        )
        ids = _case_ids(seller_client.get(INBOX, {"filter": filter_key}))
        assert cases[expected].pk in ids
        if filter_key in ("no-response-needed", "reported", "resolved", "closed"):
            assert ids == [cases[expected].pk]

    @pytest.mark.parametrize("field", ["alias", "order", "subject", "text"])
    def test_search(self, seller, seller_client, field):
        wanted = buyer_opens_case(
            seller=seller, body="The zipper of the jacket broke", subject="Broken zip"
        ).case
        other = buyer_opens_case(seller=seller, body="Where is my parcel").case
        query = {
            "alias": wanted.buyer_alias[:8],
            "order": wanted.order_number,
            "subject": "broken ZIP",
            "text": "ZIPPER",
        }[field]
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": query}))
        assert ids == [wanted.pk]
        assert other.pk not in ids

    def test_search_keeps_the_filter_and_ignores_other_sellers_messages(
        self, seller, other_seller, seller_owner, seller_client
    ):
        waiting = buyer_opens_case(seller=seller, body="My zipper broke").case
        answered = buyer_opens_case(seller=seller, body="The zipper is stuck").case
        seller_replies(answered, sender=seller_owner)
        buyer_opens_case(seller=other_seller, body="A zipper question elsewhere")
        assert _case_ids(seller_client.get(INBOX, {"q": "zipper"})) == [waiting.pk]
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": "zipper"}))
        assert sorted(ids) == sorted([waiting.pk, answered.pk])

    def test_only_own_cases(self, seller, other_seller, seller_client):
        mine = buyer_opens_case(seller=seller).case
        theirs = buyer_opens_case(seller=other_seller).case
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all"}))
        assert mine.pk in ids
        assert theirs.pk not in ids
        searched = seller_client.get(INBOX, {"filter": "all", "q": theirs.buyer_alias})
        assert _case_ids(searched) == []

    def test_unknown_filter_falls_back_to_response_needed(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        assert _case_ids(seller_client.get(INBOX, {"filter": "nonsense"})) == [case.pk]

    def test_htmx_gets_only_the_case_list(self, seller, seller_client):
        buyer_opens_case(seller=seller)
        response = seller_client.get(INBOX, {"filter": "all"}, HTTP_HX_REQUEST="true")
        assert 'id="case-list"' in response.text
        assert "<html" not in response.text


@pytest.mark.parametrize("rows", [3, 15])
def test_inbox_query_count_does_not_grow_with_rows(
    seller, seller_owner, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        buyer_opens_case(seller=seller)
    client = signed_in_client(seller_owner)
    # savepoint + release (ATOMIC_REQUESTS), session, user, membership with seller,
    # count for the paginator, one page of cases (summary columns only),
    # R4 "not delivered" notices with their message and case, R16 warnings from staff
    with django_assert_max_num_queries(9):
        response = client.get(INBOX)
    assert len(_case_ids(response)) == rows


@pytest.mark.parametrize("messages", [1, 12])
def test_case_page_query_count_does_not_grow_with_messages(
    seller, seller_owner, django_assert_max_num_queries, messages
):
    case = buyer_opens_case(seller=seller).case
    for index in range(messages - 1):
        services.message_send(
            sender=seller_owner,
            case=case,
            draft=services.Draft(
                body_text=f"Reply {index}",
                attachments=[IncomingAttachment(name="note.txt", content=b"hello")],
            ),
        )
    client = signed_in_client(seller_owner)
    # savepoint + release, session, user, membership with seller, the case with order and
    # relationship, R8 allowance (orders in 30 days, messages sent today), messages with
    # senders, their attachments, their reports, the team's members (issue 14: Assign) and,
    # on a case assigned to the viewer (a reply assigns it), how it came to them
    with django_assert_max_num_queries(13):
        response = client.get(reverse("messaging:case_detail", args=[case.pk]))
    assert response.text.count('class="card shadow-sm message ') == messages


class TestCasePage:
    def test_shows_messages_actions_and_reply_box(self, seller, seller_client):
        message = buyer_opens_case(seller=seller, body="Line one\nLine two <b>bold</b>")
        text = seller_client.get(reverse("messaging:case_detail", args=[message.case_id])).text
        assert "Line one<br>Line two &lt;b&gt;bold&lt;/b&gt;" in text
        assert "No Response Needed" in text
        assert "Report Message" in text
        assert 'id="reply-box"' in text
        assert "of 600 messages left today" in text
        assert "Resolve" in text
        assert message.case.buyer.email not in text

    def test_reply_leaves_response_needed(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        response = seller_client.post(
            reverse("messaging:case_reply", args=[case.pk]), {"body": "It ships today."}
        )
        assert response.status_code == HTTPStatus.FOUND
        case.refresh_from_db()
        assert not case.needs_response
        assert case.messages.last().body_text == "It ships today."

    def test_htmx_reply_returns_the_conversation_with_the_new_message(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        response = seller_client.post(
            reverse("messaging:case_reply", args=[case.pk]),
            {"body": "On its way."},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == HTTPStatus.OK
        assert 'id="case-conversation"' in response.text
        assert "On its way." in response.text
        assert "<html" not in response.text

    def test_empty_reply_shows_a_field_error_and_stores_nothing(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        response = seller_client.post(
            reverse("messaging:case_reply", args=[case.pk]), {"body": "  "}, HTTP_HX_REQUEST="true"
        )
        assert "This field is required." in response.text
        assert case.messages.count() == 1

    def test_r13_refused_attachment_shows_the_reason_and_stores_nothing(
        self, seller, seller_client
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        case = buyer_opens_case(seller=seller).case
        upload = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        response = seller_client.post(
            reverse("messaging:case_reply", args=[case.pk]),
            {"body": "See attached", "attachments": [upload]},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == HTTPStatus.OK
        assert "tool.pdf" in response.text
        assert case.messages.count() == 1

    def test_r9_closed_case_shows_why_and_has_no_reply_box(
        self, seller, seller_owner, seller_client
    ):
        case = buyer_opens_case(seller=seller).case
        case_change_state_by_seller(case=case, actor=seller_owner, to_status=CaseStatus.CLOSED)
        text = seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
        assert "This case is closed." in text
        assert reverse("messaging:contact_buyer", args=[case.order.number]) in text
        assert 'id="reply-box"' not in text
        response = seller_client.post(
            reverse("messaging:case_reply", args=[case.pk]), {"body": "Hello?"}
        )
        assert "closed" in response.text
        assert case.messages.count() == 1

    def test_r15_no_response_needed_and_undo_buttons(self, seller, seller_client):
        message = buyer_opens_case(seller=seller)
        url = reverse("messaging:message_no_response_needed", args=[message.pk])
        seller_client.post(url)
        message.refresh_from_db()
        assert message.response_state == ResponseState.NO_RESPONSE_NEEDED
        assert message.case_id not in _case_ids(seller_client.get(INBOX))
        seller_client.post(reverse("messaging:message_no_response_needed_undo", args=[message.pk]))
        message.refresh_from_db()
        assert message.response_state == ResponseState.NEEDED
        assert message.case_id in _case_ids(seller_client.get(INBOX))

    def test_r16_report_form(self, seller, seller_client):
        message = buyer_opens_case(seller=seller)
        url = reverse("messaging:message_report", args=[message.pk])
        assert "Report Message" in seller_client.get(url).text
        response = seller_client.post(url, {"reason": "abusive", "details": "Threats"})
        assert response.status_code == HTTPStatus.FOUND
        report = MessageReport.objects.get()
        assert (report.reason, report.details) == ("abusive", "Threats")
        assert message.case_id in _case_ids(seller_client.get(INBOX, {"filter": "reported"}))

    @pytest.mark.parametrize(("action", "status"), [("resolve", "resolved"), ("close", "closed")])
    def test_state_buttons(self, seller, seller_client, action, status):
        case = buyer_opens_case(seller=seller).case
        seller_client.post(
            reverse("messaging:case_change_state", args=[case.pk]), {"action": action}
        )
        case.refresh_from_db()
        assert case.status == status

    def test_unknown_state_action_is_refused(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        url = reverse("messaging:case_change_state", args=[case.pk])
        assert seller_client.post(url, {"action": "delete"}).status_code == 400
        case.refresh_from_db()
        assert case.status == CaseStatus.OPENED


# ---- isolation: another party's ids give 404 everywhere


@pytest.fixture
def foreign_case(db):
    """A case between a stranger buyer and a stranger seller, with an attachment both ways."""
    order = OrderFactory()
    message = buyer_opens_case(
        order=order,
        body="Private",
        subject="Private",
        attachments=[IncomingAttachment(name="a.txt", content=b"secret")],
    )
    reply = seller_replies(
        message.case,
        seller_user(order.seller),
        body="Private reply",
        attachments=[IncomingAttachment(name="b.txt", content=b"x")],
    )
    return message.case, message, reply


SELLER_URLS = [
    ("GET", "messaging:case_detail", "case"),
    ("POST", "messaging:case_reply", "case"),
    ("POST", "messaging:case_change_state", "case"),
    ("POST", "messaging:message_no_response_needed", "buyer_message"),
    ("POST", "messaging:message_no_response_needed_undo", "buyer_message"),
    ("GET", "messaging:message_report", "buyer_message"),
    ("POST", "messaging:message_report", "buyer_message"),
    ("GET", "messaging:attachment_download", "buyer_attachment"),
    ("GET", "messaging:attachment_download", "seller_attachment"),
    ("GET", "orders:order_detail", "order"),
]
BUYER_URLS = [
    ("GET", "messaging:buyer_case_detail", "case"),
    ("POST", "messaging:buyer_case_reply", "case"),
    ("GET", "messaging:buyer_message_report", "seller_message"),
    ("POST", "messaging:buyer_message_report", "seller_message"),
    ("GET", "messaging:attachment_download", "buyer_attachment"),
    ("GET", "messaging:attachment_download", "seller_attachment"),
    ("GET", "orders:buyer_order_detail", "order"),
    ("GET", "messaging:contact_seller", "order"),
    ("POST", "messaging:contact_seller", "order"),
]


def _arg(foreign_case, kind):
    case, buyer_message, seller_message = foreign_case
    return {
        "case": case.pk,
        "buyer_message": buyer_message.pk,
        "seller_message": seller_message.pk,
        "buyer_attachment": buyer_message.attachments.get().pk,
        "seller_attachment": seller_message.attachments.get().pk,
        "order": case.order.number,
    }[kind]


@pytest.mark.parametrize(
    ("role", "method", "url_name", "kind"),
    [("seller", *u) for u in SELLER_URLS] + [("buyer", *u) for u in BUYER_URLS],
)
def test_another_partys_ids_give_404(foreign_case, seller, role, method, url_name, kind):
    user = seller_user(seller) if role == "seller" else BuyerFactory()
    client = signed_in_client(user)
    url = reverse(url_name, args=[_arg(foreign_case, kind)])
    data = {"body": "x", "action": "close", "reason": "spam", "subject": "x"}
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == HTTPStatus.NOT_FOUND, url
    case = foreign_case[0]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED
    assert Message.objects.filter(case=case).count() == 2
    assert not MessageReport.objects.exists()


def test_inbox_pages_hold_25_cases_with_next_and_previous(seller, seller_client):
    for _ in range(27):
        buyer_opens_case(seller=seller)
    first = seller_client.get(INBOX)
    assert len(_case_ids(first)) == 25
    assert "27 cases" in first.text
    assert "page=2" in first.text
    second = seller_client.get(INBOX, {"page": 2})
    assert len(_case_ids(second)) == 2
    assert not set(_case_ids(first)) & set(_case_ids(second))
