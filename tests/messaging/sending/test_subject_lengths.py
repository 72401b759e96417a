"""Finding 2 of issue 22: a subject of any length, from every channel, is stored: cut at a word
with "…" to what the column holds after every prefix we add ("Re: ", " (Order: …)",
"[Important]"), or refused by the form with a field error; never a 500. Each channel is tried
at its boundary − 1, = and + 1 on PostgreSQL (which, unlike SQLite, enforces the length)."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseSearchText
from core.text import ELLIPSIS, text_fit
from messaging.contact_buyer.forms import CONTACT_BUYER_SUBJECT_MAX_LENGTH
from messaging.contact_buyer.services import review_request_send
from messaging.models import SUBJECT_MAX_LENGTH, Attachment, Message
from messaging.sending import services
from messaging.sending.services.subjects import REPLY_PREFIX, subject_reply
from orders.models import OrderStatus
from templates_app.models import PlatformTemplateTranslation
from templates_app.platform_defaults import REVIEW_REQUEST_KEY
from tests.clients import signed_in_client
from tests.factories import OrderFactory
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db

ROOM_AFTER_RE = SUBJECT_MAX_LENGTH - len(REPLY_PREFIX)


def _words(length: int) -> str:
    """Words of five letters and a space, exactly `length` characters, no space at either end."""
    text = ("abcde " * (length // 6 + 2))[:length]
    return text[:-1] + "z" if text.endswith(" ") else text


# ---- the helper


@pytest.mark.parametrize("length", [SUBJECT_MAX_LENGTH - 1, SUBJECT_MAX_LENGTH])
def test_text_fit_keeps_a_subject_that_fits_whole(length):
    assert text_fit(_words(length), SUBJECT_MAX_LENGTH) == _words(length)


def test_text_fit_cuts_a_longer_subject_at_a_word_with_an_ellipsis():
    subject = _words(SUBJECT_MAX_LENGTH + 1)
    fitted = text_fit(subject, SUBJECT_MAX_LENGTH)
    assert len(fitted) <= SUBJECT_MAX_LENGTH
    assert fitted.endswith(ELLIPSIS)
    kept = fitted.removesuffix(ELLIPSIS)
    assert subject.startswith(kept)
    assert subject[len(kept)] == " "


def test_text_fit_cuts_one_very_long_word_inside_it_never_between_a_letter_and_its_accent():
    word = "e\u0301" * 150  # "é" written as e + combining acute accent: 300 code points
    fitted = text_fit(word, SUBJECT_MAX_LENGTH)
    assert len(fitted) <= SUBJECT_MAX_LENGTH
    assert fitted.endswith(ELLIPSIS)
    assert fitted.removesuffix(ELLIPSIS).endswith("e\u0301")


def test_text_fit_makes_line_breaks_and_control_characters_spaces():
    assert text_fit("Where is\r\n my\tparcel\x00?", 50) == "Where is my parcel ?"


def test_subject_reply_never_leaves_a_dangling_prefix():
    assert subject_reply("") == "Re:"
    assert subject_reply(_words(ROOM_AFTER_RE)) == REPLY_PREFIX + _words(ROOM_AFTER_RE)
    assert len(subject_reply(_words(SUBJECT_MAX_LENGTH))) <= SUBJECT_MAX_LENGTH


# ---- the buyer's web form: contact the seller about an order


@pytest.mark.parametrize("length", [SUBJECT_MAX_LENGTH - 1, SUBJECT_MAX_LENGTH])
def test_subject_the_buyer_form_stores_a_subject_up_to_the_column_whole(
    buyer, buyer_client, seller, length
):
    order = OrderFactory(buyer=buyer, seller=seller)
    subject = _words(length)
    response = buyer_client.post(
        reverse("messaging:contact_seller", args=[order.number]),
        {"reason": "shipping_or_delivery", "subject": subject, "body": "Where is it?"},
    )
    assert response.status_code == HTTPStatus.FOUND
    message = Message.objects.get()
    assert message.subject == subject
    assert message.case.subject == subject


def test_subject_the_buyer_form_refuses_one_character_more_with_a_field_error(
    buyer, buyer_client, seller
):
    order = OrderFactory(buyer=buyer, seller=seller)
    response = buyer_client.post(
        reverse("messaging:contact_seller", args=[order.number]),
        {
            "reason": "shipping_or_delivery",
            "subject": _words(SUBJECT_MAX_LENGTH + 1),
            "body": "Where is it?",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "at most 200 characters" in response.text
    assert not Message.objects.exists()


# ---- replies: "Re: " and the case's subject


def _seller_reply(seller, seller_client, length: int):
    case = buyer_opens_case(seller=seller, subject=_words(length)).case
    response = seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]), {"body": "It ships today."}
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    reply = case.messages.order_by("-id").first()
    assert reply.body_text == "It ships today."
    assert reply.subject.startswith(REPLY_PREFIX)
    assert len(reply.subject) <= SUBJECT_MAX_LENGTH
    return reply


@pytest.mark.parametrize("length", [ROOM_AFTER_RE - 1, ROOM_AFTER_RE])
def test_subject_a_reply_that_fits_keeps_the_case_subject_whole(seller, seller_client, length):
    assert _seller_reply(seller, seller_client, length).subject == REPLY_PREFIX + _words(length)


@pytest.mark.parametrize("length", [ROOM_AFTER_RE + 1, SUBJECT_MAX_LENGTH])
def test_finding2_a_seller_reply_to_a_long_subject_is_stored(seller, seller_client, length):
    reply = _seller_reply(seller, seller_client, length)
    assert reply.subject.endswith(ELLIPSIS)


@pytest.mark.parametrize("length", [ROOM_AFTER_RE + 1, SUBJECT_MAX_LENGTH])
def test_finding2_a_buyer_reply_to_a_long_subject_is_stored(seller, length):
    case = buyer_opens_case(seller=seller, subject=_words(length)).case
    response = signed_in_client(case.buyer).post(
        reverse("messaging:buyer_case_reply", args=[case.pk]), {"body": "Any news?"}
    )
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.FOUND)
    reply = case.messages.order_by("-id").first()
    assert reply.body_text == "Any news?"
    assert len(reply.subject) <= SUBJECT_MAX_LENGTH


# ---- Contact Buyer: " (Order: …)" and "[Important]" are added


def _contact_buyer(seller_client, order, *, subject, reason="additional_information"):
    return seller_client.post(
        reverse("messaging:contact_buyer", args=[order.number]),
        {"reason": reason, "subject": subject, "body": "Please confirm your size."},
    )


@pytest.mark.parametrize(
    "length", [CONTACT_BUYER_SUBJECT_MAX_LENGTH - 1, CONTACT_BUYER_SUBJECT_MAX_LENGTH]
)
@pytest.mark.parametrize("reason", ["additional_information", "shipping_address"])
def test_subject_contact_buyer_keeps_what_its_form_accepts_whole(
    seller, seller_client, length, reason
):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)
    response = _contact_buyer(seller_client, order, subject=_words(length), reason=reason)
    assert response.status_code == HTTPStatus.FOUND
    message = Message.objects.get()
    assert _words(length) in message.subject
    assert message.subject.endswith(f" (Order: {order.number})")
    assert len(message.subject) <= SUBJECT_MAX_LENGTH


@pytest.mark.parametrize("length", [CONTACT_BUYER_SUBJECT_MAX_LENGTH + 1, 172, 200])
def test_finding2_contact_buyer_refuses_a_longer_subject_with_a_field_error(
    seller, seller_client, length
):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)
    response = _contact_buyer(seller_client, order, subject=_words(length))
    assert response.status_code == HTTPStatus.OK
    assert f"at most {CONTACT_BUYER_SUBJECT_MAX_LENGTH} characters" in response.text
    assert not Message.objects.exists()


def test_subject_171_characters_and_the_order_id_fill_the_column_exactly(seller, seller_owner):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)
    draft = services.Draft(
        body_text="Hello.", subject=_words(171), contact_reason="additional_information"
    )
    message = services.message_send(sender=seller_owner, order=order, draft=draft)
    assert message.subject == f"{_words(171)} (Order: {order.number})"
    assert len(message.subject) == SUBJECT_MAX_LENGTH


@pytest.mark.parametrize("length", [172, 200, 500])
@pytest.mark.parametrize("reason", ["additional_information", "shipping_address"])
def test_finding2_the_funnel_fits_any_contact_buyer_subject_keeping_the_order_id(
    seller, seller_owner, length, reason
):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)
    draft = services.Draft(body_text="Hello.", subject=_words(length), contact_reason=reason)
    message = services.message_send(sender=seller_owner, order=order, draft=draft)
    assert len(message.subject) <= SUBJECT_MAX_LENGTH
    assert message.subject.endswith(f"{ELLIPSIS} (Order: {order.number})")
    assert message.subject.startswith("[Important] ") == (reason == "shipping_address")
    assert message.case.subject == message.subject


def test_finding2_a_long_platform_review_request_subject_is_fitted(seller, seller_owner):
    PlatformTemplateTranslation.objects.filter(
        template__key=REVIEW_REQUEST_KEY, language="en"
    ).update(subject=_words(SUBJECT_MAX_LENGTH))
    order = OrderFactory(
        seller=seller,
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - timedelta(days=10),
    )
    message = review_request_send(sender=seller_owner, order=order)
    assert len(message.subject) <= SUBJECT_MAX_LENGTH
    assert message.subject.endswith(f" (Order: {order.number})")


def test_subject_columns_of_a_case_and_of_its_messages_hold_as_much():
    for model in (Case, CaseSearchText, Message):
        assert model._meta.get_field("subject").max_length == SUBJECT_MAX_LENGTH


# ---- Ask a question (R24): the buyer's subject opens the case


@pytest.mark.parametrize("length", [SUBJECT_MAX_LENGTH - 1, SUBJECT_MAX_LENGTH])
def test_subject_ask_a_question_stores_a_subject_up_to_the_column_whole(
    seller, buyer_client, length
):
    response = buyer_client.post(
        reverse("messaging:store_ask", args=[seller.slug]),
        {"subject": _words(length), "body": "Do you ship to Norway?"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Message.objects.get().case.subject == _words(length)


def test_subject_ask_a_question_refuses_one_character_more_with_a_field_error(seller, buyer_client):
    response = buyer_client.post(
        reverse("messaging:store_ask", args=[seller.slug]),
        {"subject": _words(SUBJECT_MAX_LENGTH + 1), "body": "Do you ship to Norway?"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "at most 200 characters" in response.text
    assert not Message.objects.exists()


# ---- an attachment's name: its column holds what the check keeps


def test_subject_an_attachment_name_of_any_length_is_stored_shortened(buyer, buyer_client, seller):
    order = OrderFactory(buyer=buyer, seller=seller)
    upload = SimpleUploadedFile("n" * 300 + ".txt", b"Packing list", content_type="text/plain")
    response = buyer_client.post(
        reverse("messaging:contact_seller", args=[order.number]),
        {"reason": "shipping_or_delivery", "body": "See the list.", "attachments": [upload]},
    )
    assert response.status_code == HTTPStatus.FOUND
    (attachment,) = Message.objects.get().attachments.all()
    assert attachment.display_name.endswith(".txt")
    assert len(attachment.display_name) <= Attachment._meta.get_field("display_name").max_length
