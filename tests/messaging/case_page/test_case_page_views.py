"""The seller's case page over HTTP, and another party's ids answering 404 on every case,
message, attachment and order URL."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from cases.services import case_change_state_by_seller
from messaging.attachments import IncomingAttachment
from messaging.models import Message, MessageReport, ResponseState
from messaging.sending import services
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")


def _case_ids(response) -> list[int]:
    import re

    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', response.text)]


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
