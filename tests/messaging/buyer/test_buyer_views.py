"""The buyer's pages over HTTP: message center, case page, reply, report, contact seller,
storefront "Ask a question" and communication settings."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import BuyerProfile, Relationship
from cases.models import Case, CaseStatus
from cases.policy import CASE_CLOSED_MSG
from cases.services import case_summaries_refresh, case_transition
from messaging.models import (
    Attachment,
    Message,
    MessageReport,
    Outcome,
    ResponseState,
)
from messaging.moderation.services.flags import ALREADY_REPORTED_MSG, CANNOT_REPORT_OWN_MSG
from messaging.moderation.views import REPORTED_NOTICE
from messaging.policy import NOT_ACCEPTING_MSG, SELLER_TO_SELLER_MSG
from tests.clients import signed_in_client
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    ProductFactory,
    SellerAccountFactory,
    seller_user,
)
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db

MESSAGE_CENTER = reverse("messaging:buyer_message_center")
SETTINGS = reverse("accounts:buyer_communication_settings")


def _case_url(case) -> str:
    return reverse("messaging:buyer_case_detail", args=[case.pk])


def _contact_url(order) -> str:
    return reverse("messaging:contact_seller", args=[order.number])


def _ask_url(seller) -> str:
    return reverse("messaging:store_ask", args=[seller.slug])


def _stored_counts() -> tuple[int, int, int]:
    return Case.objects.count(), Message.objects.count(), Attachment.objects.count()


# ---- contact seller about an order


class TestContactSeller:
    def test_page_shows_seller_name_alias_and_prefilled_subject(self, buyer, buyer_client, seller):
        order = OrderFactory(buyer=buyer, seller=seller)
        response = buyer_client.get(_contact_url(order) + "?reason=return_or_refund")
        assert response.status_code == HTTPStatus.OK
        assert "Acme Outfitters" in response.text
        assert order.relationship.seller_alias in response.text
        assert f"Return or refund — order {order.number}" in response.text

    def test_creates_case_and_message_that_needs_a_response(self, buyer, buyer_client, seller):
        order = OrderFactory(buyer=buyer, seller=seller)
        response = buyer_client.post(
            _contact_url(order),
            {
                "reason": "shipping_or_delivery",
                "subject": "Where is my parcel?",
                "body": "It has not arrived yet.\nCan you check?",
                "attachments": [_text_upload()],
            },
        )
        case = Case.objects.get()
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == _case_url(case)
        assert (case.order, case.buyer, case.seller) == (order, buyer, seller)
        assert case.started_by == Case.StartedBy.BUYER
        assert case.needs_response
        message = case.messages.get()
        assert message.response_state == ResponseState.NEEDED
        assert message.contact_reason == "shipping_or_delivery"
        assert message.subject == "Where is my parcel?"
        assert message.attachments.get().display_name == "tracking.txt"

        page = buyer_client.get(_case_url(case)).text
        assert "It has not arrived yet.<br>Can you check?" in page
        assert reverse("messaging:attachment_download", args=[message.attachments.get().pk]) in page

    def test_empty_subject_comes_from_reason_and_order_id(self, buyer, buyer_client, seller):
        order = OrderFactory(buyer=buyer, seller=seller)
        buyer_client.post(
            _contact_url(order), {"reason": "return_or_refund", "subject": "", "body": "Refund?"}
        )
        assert Case.objects.get().subject == f"Return or refund — order {order.number}"

    def test_missing_body_shows_errors_and_stores_nothing(self, buyer, buyer_client):
        order = OrderFactory(buyer=buyer)
        response = buyer_client.post(_contact_url(order), {"reason": "other", "body": ""})
        assert response.status_code == HTTPStatus.OK
        assert "This field is required." in response.text
        assert _stored_counts() == (0, 0, 0)

    def test_r13_refused_attachment_is_shown_and_nothing_stored(self, buyer, buyer_client):
        order = OrderFactory(buyer=buyer)
        fake_pdf = _upload("invoice.pdf", b"MZ\x90\x00 this is an executable, not a PDF")
        response = buyer_client.post(
            _contact_url(order), {"reason": "other", "body": "See file", "attachments": [fake_pdf]}
        )
        assert response.status_code == HTTPStatus.OK
        assert "invoice.pdf" in response.text
        assert "alert" in response.text
        assert _stored_counts() == (0, 0, 0)

    def test_another_buyers_order_is_404(self, buyer_client):
        order = OrderFactory()
        assert buyer_client.get(_contact_url(order)).status_code == HTTPStatus.NOT_FOUND
        response = buyer_client.post(_contact_url(order), {"reason": "other", "body": "Hi"})
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert _stored_counts() == (0, 0, 0)

    def test_seller_members_cannot_open_buyer_pages(self, seller_client, seller):
        order = OrderFactory(seller=seller)
        assert seller_client.get(_contact_url(order)).status_code == HTTPStatus.FORBIDDEN
        assert seller_client.get(MESSAGE_CENTER).status_code == HTTPStatus.FORBIDDEN

    def test_order_page_links_to_contact_seller(self, buyer, buyer_client):
        order = OrderFactory(buyer=buyer)
        text = buyer_client.get(reverse("orders:buyer_order_detail", args=[order.number])).text
        assert f'href="{_contact_url(order)}"' in text
        assert "Contact seller" in text


# ---- R18: a seller that stopped accepting buyer messages


class TestR18NotAccepting:
    def _stop_accepting(self, seller, at):
        seller.accepting_buyer_messages = False
        seller.accepting_changed_at = at
        seller.save()

    def test_r18_new_question_refused_when_seller_not_accepting(self, buyer, buyer_client, seller):
        self._stop_accepting(seller, timezone.now() - timedelta(days=1))
        refusal = NOT_ACCEPTING_MSG.format(business_name=seller.business_name)
        assert refusal in buyer_client.get(_ask_url(seller)).text
        response = buyer_client.post(_ask_url(seller), {"subject": "Size?", "body": "Hello"})
        assert response.status_code == HTTPStatus.OK
        assert refusal in response.text
        assert _stored_counts() == (0, 0, 0)
        assert not Relationship.objects.exists()

    def test_r18_buyer_who_ordered_before_the_stop_can_contact(self, buyer, buyer_client, seller):
        order = OrderFactory(
            buyer=buyer, seller=seller, placed_at=timezone.now() - timedelta(days=5)
        )
        self._stop_accepting(seller, timezone.now() - timedelta(days=1))
        response = buyer_client.post(_contact_url(order), {"reason": "other", "body": "Hello"})
        assert response.status_code == HTTPStatus.FOUND
        assert Case.objects.filter(order=order).count() == 1

    def test_r18_buyer_whose_first_order_came_after_the_stop_is_refused(
        self, buyer, buyer_client, seller
    ):
        self._stop_accepting(seller, timezone.now() - timedelta(days=5))
        order = OrderFactory(
            buyer=buyer, seller=seller, placed_at=timezone.now() - timedelta(days=1)
        )
        response = buyer_client.post(_contact_url(order), {"reason": "other", "body": "Hello"})
        assert response.status_code == HTTPStatus.OK
        assert NOT_ACCEPTING_MSG.format(business_name=seller.business_name) in response.text
        assert _stored_counts() == (0, 0, 0)


# ---- storefront and "Ask a question"


class TestStore:
    def test_storefront_is_public_and_lists_products(self, seller):
        ProductFactory(seller=seller, title="Trail Runner Rain Jacket")
        ProductFactory(title="Someone else's product")
        response = Client().get(reverse("messaging:store", args=[seller.slug]))
        assert response.status_code == HTTPStatus.OK
        assert "Acme Outfitters" in response.text
        assert "Trail Runner Rain Jacket" in response.text
        assert "Someone else" not in response.text
        assert "Ask a question" in response.text

    def test_unknown_store_is_404(self, db):
        assert Client().get(reverse("messaging:store", args=["nope"])).status_code == 404

    def test_ask_requires_sign_in(self, seller):
        response = Client().get(_ask_url(seller))
        assert response.status_code == HTTPStatus.FOUND
        assert reverse("accounts:login") in response["Location"]

    def test_r24_ask_a_question_opens_a_case_without_an_order(self, buyer, buyer_client, seller):
        product = ProductFactory(seller=seller, title="Solar Camping Lantern", sku="LANTERN-1")
        page = buyer_client.get(_ask_url(seller) + f"?product={product.pk}").text
        assert "Question about Solar Camping Lantern" in page
        response = buyer_client.post(
            _ask_url(seller),
            {"product": product.pk, "subject": "Battery life?", "body": "How long does it last?"},
        )
        case = Case.objects.get()
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == _case_url(case)
        assert case.order is None
        assert (case.buyer, case.seller) == (buyer, seller)
        assert case.contact_reason == "product_question"
        assert case.product == product
        message = case.messages.get()
        assert message.response_state == ResponseState.NEEDED
        assert message.body_text == "How long does it last?"
        assert Relationship.objects.filter(buyer=buyer, seller=seller).exists()
        # Both parties see what the question is about.
        buyer_page = buyer_client.get(_case_url(case)).text
        assert "Solar Camping Lantern</span> (SKU LANTERN-1)" in buyer_page
        seller_page = signed_in_client(seller_user(seller)).get(
            reverse("messaging:case_detail", args=[case.pk])
        )
        assert "Solar Camping Lantern</span> (SKU LANTERN-1)" in seller_page.text

    def test_r24_question_without_a_product_names_none(self, buyer_client, seller):
        buyer_client.post(_ask_url(seller), {"subject": "Gift cards?", "body": "Do you sell any?"})
        case = Case.objects.get()
        assert case.product is None
        assert 'id="case-product"' not in buyer_client.get(_case_url(case)).text

    def test_r24_product_of_another_seller_is_not_accepted(self, buyer_client, seller):
        alien = ProductFactory(title="Alien product")
        response = buyer_client.post(
            _ask_url(seller), {"product": alien.pk, "subject": "Hi", "body": "Hello"}
        )
        assert response.status_code == HTTPStatus.OK
        assert _stored_counts() == (0, 0, 0)

    def test_r20_seller_member_cannot_ask_another_seller(self, seller, other_seller):
        member = signed_in_client(seller_user(other_seller))
        page = member.get(_ask_url(seller)).text
        assert SELLER_TO_SELLER_MSG in page
        assert "<fieldset disabled" in page
        response = member.post(_ask_url(seller), {"subject": "Wholesale?", "body": "Hi"})
        assert response.status_code == HTTPStatus.OK
        assert SELLER_TO_SELLER_MSG in response.text
        assert _stored_counts() == (0, 0, 0)
        assert not Relationship.objects.exists()


# ---- the case page and replies


class TestCaseDetail:
    def test_shows_you_and_seller_name_never_real_emails_or_buyer_alias(
        self, buyer, buyer_client, seller, seller_owner
    ):
        message = buyer_opens_case(buyer=buyer, seller=seller, body="Is it shipped?")
        seller_replies(message.case, seller_owner, body="Yes, today.")
        text = buyer_client.get(_case_url(message.case)).text
        assert "<strong>You</strong>" in text
        assert "<strong>Acme Outfitters</strong>" in text
        assert "Yes, today." in text
        assert message.case.relationship.seller_alias in text
        assert seller_owner.email not in text
        assert seller_owner.get_full_name() not in text
        assert message.case.buyer_alias not in text

    def test_blocked_seller_message_is_never_shown(self, buyer, buyer_client, seller, seller_owner):
        case = buyer_opens_case(buyer=buyer, seller=seller, body="First").case
        blocked = seller_replies(case, seller_owner, body="Secret blocked offer")
        Message.objects.filter(pk=blocked.pk).update(outcome=Outcome.BLOCKED, outcome_rule="R2")
        case_summaries_refresh([case.pk])
        assert "Secret blocked offer" not in buyer_client.get(_case_url(case)).text
        assert "Secret blocked offer" not in buyer_client.get(MESSAGE_CENTER).text
        report_url = reverse("messaging:buyer_message_report", args=[blocked.pk])
        assert buyer_client.get(report_url).status_code == HTTPStatus.NOT_FOUND

    def test_body_is_escaped(self, buyer, buyer_client):
        case = buyer_opens_case(buyer=buyer, body="<script>alert(1)</script>").case
        text = buyer_client.get(_case_url(case)).text
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text

    def test_reply_adds_a_message_and_redirects(self, buyer, buyer_client):
        case = buyer_opens_case(buyer=buyer).case
        url = reverse("messaging:buyer_case_reply", args=[case.pk])
        response = buyer_client.post(url, {"body": "Any news?"})
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == _case_url(case)
        assert case.messages.count() == 2
        assert case.messages.last().body_text == "Any news?"

    def test_htmx_reply_renders_only_the_message_list(self, buyer, buyer_client):
        case = buyer_opens_case(buyer=buyer).case
        url = reverse("messaging:buyer_case_reply", args=[case.pk])
        response = buyer_client.post(url, {"body": "Any news?"}, headers={"HX-Request": "true"})
        assert response.status_code == HTTPStatus.OK
        assert response.text.lstrip().startswith('<div id="message-list">')
        assert "Any news?" in response.text
        assert "<html" not in response.text

    def test_buyer_reply_reopens_resolved_case(self, buyer, buyer_client, seller, seller_owner):
        case = buyer_opens_case(buyer=buyer, seller=seller).case
        seller_replies(case, seller_owner)
        case_transition(
            case=case, to_status=CaseStatus.RESOLVED, actor=seller_owner, cause="seller"
        )
        url = reverse("messaging:buyer_case_reply", args=[case.pk])
        assert buyer_client.post(url, {"body": "Not solved yet"}).status_code == HTTPStatus.FOUND
        case.refresh_from_db()
        assert case.status == CaseStatus.OPENED
        assert case.needs_response

    def test_r9_reply_on_closed_case_is_refused_and_nothing_stored(self, buyer, buyer_client):
        case = buyer_opens_case(buyer=buyer).case
        case_transition(case=case, to_status=CaseStatus.CLOSED, actor=None, cause="test")
        url = reverse("messaging:buyer_case_reply", args=[case.pk])
        response = buyer_client.post(url, {"body": "Hello?"})
        assert response.status_code == HTTPStatus.OK
        assert CASE_CLOSED_MSG in response.text
        assert case.messages.count() == 1

    def test_r9_closed_case_page_has_no_reply_box_and_links_to_new_contact(
        self, buyer, buyer_client
    ):
        case = buyer_opens_case(buyer=buyer).case
        case_transition(case=case, to_status=CaseStatus.CLOSED, actor=None, cause="test")
        text = buyer_client.get(_case_url(case)).text
        assert CASE_CLOSED_MSG in text
        assert 'id="reply-box"' not in text
        assert _contact_url(case.order) in text

    def test_r9_closed_question_links_to_ask_again(self, buyer, buyer_client, seller):
        buyer_client.post(_ask_url(seller), {"subject": "Q", "body": "Hello"})
        case = Case.objects.get()
        case_transition(case=case, to_status=CaseStatus.CLOSED, actor=None, cause="test")
        assert _ask_url(seller) in buyer_client.get(_case_url(case)).text


# ---- R16 report


class TestReport:
    def test_r16_buyer_reports_a_seller_message(self, buyer, buyer_client, seller, seller_owner):
        case = buyer_opens_case(buyer=buyer, seller=seller).case
        reply = seller_replies(case, seller_owner, body="Buy our other stuff!")
        case_page = buyer_client.get(_case_url(case)).text
        report_url = reverse("messaging:buyer_message_report", args=[reply.pk])
        assert report_url in case_page
        assert buyer_client.get(report_url).status_code == HTTPStatus.OK

        response = buyer_client.post(report_url, {"reason": "spam", "details": "Ad"}, follow=True)
        assert response.redirect_chain[-1][0] == _case_url(case)
        assert REPORTED_NOTICE in response.text
        report = MessageReport.objects.get()
        assert (report.message, report.reporter, report.reason) == (reply, buyer, "spam")
        assert report_url not in response.text
        assert "Reported" in response.text

    def test_r16_twice_is_refused(self, buyer, buyer_client, seller, seller_owner):
        case = buyer_opens_case(buyer=buyer, seller=seller).case
        reply = seller_replies(case, seller_owner)
        report_url = reverse("messaging:buyer_message_report", args=[reply.pk])
        buyer_client.post(report_url, {"reason": "spam"})
        response = buyer_client.post(report_url, {"reason": "abusive"})
        assert response.status_code == HTTPStatus.OK
        assert ALREADY_REPORTED_MSG in response.text
        assert MessageReport.objects.count() == 1

    def test_r16_own_message_cannot_be_reported(self, buyer, buyer_client):
        message = buyer_opens_case(buyer=buyer)
        report_url = reverse("messaging:buyer_message_report", args=[message.pk])
        assert report_url not in buyer_client.get(_case_url(message.case)).text
        response = buyer_client.post(report_url, {"reason": "spam"})
        assert CANNOT_REPORT_OWN_MSG in response.text
        assert not MessageReport.objects.exists()


# ---- another buyer's things are not there


class TestIsolation:
    def test_another_buyers_case_message_and_reply_are_404(
        self, buyer_client, seller, seller_owner
    ):
        theirs = buyer_opens_case(seller=seller)
        reply = seller_replies(theirs.case, seller_owner)
        for url in (
            _case_url(theirs.case),
            reverse("messaging:buyer_message_report", args=[reply.pk]),
        ):
            assert buyer_client.get(url).status_code == HTTPStatus.NOT_FOUND, url
        reply_url = reverse("messaging:buyer_case_reply", args=[theirs.case.pk])
        assert buyer_client.post(reply_url, {"body": "hi"}).status_code == HTTPStatus.NOT_FOUND
        report_url = reverse("messaging:buyer_message_report", args=[reply.pk])
        assert buyer_client.post(report_url, {"reason": "spam"}).status_code == 404
        assert Message.objects.count() == 2
        assert not MessageReport.objects.exists()

    def test_message_center_lists_only_own_cases(self, buyer, buyer_client):
        mine = buyer_opens_case(buyer=buyer, subject="My parcel").case
        theirs = buyer_opens_case(subject="Their parcel").case
        text = buyer_client.get(MESSAGE_CENTER).text
        assert f'data-case-id="{mine.pk}"' in text
        assert f'data-case-id="{theirs.pk}"' not in text
        assert "Their parcel" not in text


# ---- message center


class TestMessageCenter:
    def test_rows_show_seller_subject_order_status_and_latest_snippet(
        self, buyer, buyer_client, seller, seller_owner
    ):
        case = buyer_opens_case(buyer=buyer, seller=seller, subject="Late parcel").case
        seller_replies(case, seller_owner, body="It ships tomorrow morning.")
        buyer_client.post(_ask_url(seller), {"subject": "Colours?", "body": "Red available?"})
        text = buyer_client.get(MESSAGE_CENTER).text
        assert "Acme Outfitters" in text
        assert "Late parcel" in text
        assert case.order_number in text
        assert "Opened" in text
        assert "It ships tomorrow morning." in text
        assert "Question (no order)" in text
        assert "Colours?" in text

    def test_latest_activity_first(self, buyer, buyer_client):
        first = buyer_opens_case(buyer=buyer).case
        second = buyer_opens_case(buyer=buyer).case
        buyer_replies(first, body="bump")
        text = buyer_client.get(MESSAGE_CENTER).text
        assert text.index(f'data-case-id="{first.pk}"') < text.index(f'data-case-id="{second.pk}"')

    @pytest.mark.parametrize("cases", [2, 12])
    def test_query_count_does_not_grow_with_rows(
        self, cases, buyer, buyer_client, django_assert_max_num_queries
    ):
        for _ in range(cases):
            buyer_opens_case(buyer=buyer)
        # ATOMIC_REQUESTS savepoint and its release (2), the session, the user, the seller
        # membership that decides the role (buyer_required; cached for the navbar), the
        # paginator's count, one page of cases joined to their sellers, and the buyer's
        # warnings from staff (R16): 8 for any number.
        with django_assert_max_num_queries(8):
            response = buyer_client.get(MESSAGE_CENTER)
        assert response.text.count("data-case-id=") == cases

    def test_paginates_by_20(self, buyer, buyer_client):
        for _ in range(21):
            buyer_opens_case(buyer=buyer)
        assert buyer_client.get(MESSAGE_CENTER).text.count("data-case-id=") == 20
        assert buyer_client.get(MESSAGE_CENTER + "?page=2").text.count("data-case-id=") == 1


# ---- R2 communication settings


class TestCommunicationSettings:
    def test_r2_buyer_can_opt_out_and_opted_out_at_is_set(self, buyer, buyer_client):
        page = buyer_client.get(SETTINGS).text
        assert "shipping address" in page
        response = buyer_client.post(
            SETTINGS, {"preferred_language": "de", "opted_out_of_unsolicited": "on"}
        )
        assert response.status_code == HTTPStatus.FOUND
        profile = BuyerProfile.objects.get(user=buyer)
        assert profile.opted_out_of_unsolicited
        assert profile.opted_out_at is not None
        assert profile.preferred_language == "de"
        # The page is in German from now on (issue 8 item 13): "Sie haben … abbestellt".
        assert "Sie haben unaufgeforderte Nachrichten am" in buyer_client.get(SETTINGS).text

    def test_r2_opting_out_again_keeps_the_first_time(self, buyer, buyer_client):
        buyer_client.post(SETTINGS, {"preferred_language": "en", "opted_out_of_unsolicited": "on"})
        first = BuyerProfile.objects.get(user=buyer).opted_out_at
        buyer_client.post(SETTINGS, {"preferred_language": "fr", "opted_out_of_unsolicited": "on"})
        assert BuyerProfile.objects.get(user=buyer).opted_out_at == first

    def test_r2_opting_back_in_clears_opted_out_at(self, buyer, buyer_client):
        buyer_client.post(SETTINGS, {"preferred_language": "en", "opted_out_of_unsolicited": "on"})
        buyer_client.post(SETTINGS, {"preferred_language": "en"})
        profile = BuyerProfile.objects.get(user=buyer)
        assert not profile.opted_out_of_unsolicited
        assert profile.opted_out_at is None

    def test_settings_and_messages_are_in_the_buyer_navbar(self, buyer_client):
        text = buyer_client.get(SETTINGS).text
        assert f'href="{MESSAGE_CENTER}"' in text
        assert f'href="{SETTINGS}"' in text

    def test_buyer_without_profile_gets_one(self, buyer_client, buyer):
        BuyerProfile.objects.filter(user=buyer).delete()
        other = BuyerFactory()
        assert buyer_client.get(SETTINGS).status_code == HTTPStatus.OK
        assert BuyerProfile.objects.filter(user=buyer).exists()
        assert BuyerProfile.objects.filter(user=other).count() == 1


# ---- uploads


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _text_upload():
    return _upload("tracking.txt", b"Tracking number 1Z999\n")


def test_staff_cannot_ask_a_question_as_a_buyer(staff):
    seller = SellerAccountFactory(slug="staff-ask")
    client = Client()
    client.force_login(staff)
    url = reverse("messaging:store_ask", args=[seller.slug])
    assert client.get(url).status_code == 403
    response = client.post(url, {"subject": "Hi", "body": "Question"})
    assert response.status_code == 403
    assert not Case.objects.exists()
