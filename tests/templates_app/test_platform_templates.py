"""R23 platform templates: one per Contact Buyer reason (R5) and the review request (R17), in five
languages; the buyer receives their preferred language, English when there is no translation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.refusals import MessageRefused
from messaging import policy
from messaging.contact_buyer.services import platform_draft_for_buyer, review_request_send
from messaging.sending import services
from orders.models import OrderStatus
from templates_app.content_rules import refuse_content
from templates_app.models import PlatformTemplate, PlatformTemplateTranslation
from templates_app.placeholders import PLACEHOLDERS, placeholders_in, refuse_unknown_placeholders
from templates_app.platform_defaults import PLATFORM_TEMPLATES, REVIEW_REQUEST_KEY
from templates_app.selectors import platform_text
from tests.factories import BuyerFactory, OrderFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "de", "fr", "es", "ja"]
REASON_KEYS = [rule.key for rule in policy.CONTACT_REASON_RULES]
# A word of each language's text of the review request, to tell which one the buyer got.
REVIEW_WORDS = {
    "en": "Please review",
    "de": "Bitte bewerten",
    "fr": "Merci d'évaluer",
    "es": "Valora",
    "ja": "レビューのお願い",
}


def _buyer(language):
    buyer = BuyerFactory()
    buyer.buyer_profile.preferred_language = language
    buyer.buyer_profile.save()
    return buyer


def _delivered_order(seller, buyer):
    return OrderFactory(
        seller=seller,
        buyer=buyer,
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - timedelta(days=10),
    )


# ---- what the marketplace supplies


def test_r23_every_contact_reason_and_the_review_request_has_a_platform_template():
    keys = set(PlatformTemplate.objects.values_list("key", flat=True))
    assert keys == {*REASON_KEYS, REVIEW_REQUEST_KEY}
    assert list(PLATFORM_TEMPLATES) == [*REASON_KEYS, REVIEW_REQUEST_KEY]


@pytest.mark.parametrize("key", [*REASON_KEYS, REVIEW_REQUEST_KEY])
def test_r23_each_platform_template_is_in_five_languages_that_differ(key):
    rows = PlatformTemplateTranslation.objects.filter(template__key=key)
    texts = {row.language: (row.subject, row.body) for row in rows}
    assert sorted(texts) == sorted(LANGUAGES)
    english_subject, english_body = texts["en"]
    for language, (subject, body) in texts.items():
        if language != "en":
            assert subject != english_subject, language
            assert body != english_body, language
        # The same placeholders in every language, none unknown.
        assert placeholders_in(body)
        assert set(placeholders_in(body)) <= set(PLACEHOLDERS)
        assert set(placeholders_in(body)) == set(placeholders_in(english_body)), language


@pytest.mark.parametrize("key", [*REASON_KEYS, REVIEW_REQUEST_KEY])
@pytest.mark.parametrize("language", LANGUAGES)
def test_r12_platform_texts_meet_the_content_rules(key, language):
    row = PlatformTemplateTranslation.objects.get(template__key=key, language=language)
    for text in (row.subject, row.body):
        assert refuse_unknown_placeholders(text) is None
        assert refuse_content(text=text) is None, (key, language)


# ---- the buyer's language


@pytest.mark.parametrize("language", LANGUAGES)
def test_r23_platform_text_is_chosen_in_the_buyers_language(language):
    text = platform_text(key="shipping_address", language=language)
    expected = PlatformTemplateTranslation.objects.get(
        template__key="shipping_address", language=language
    )
    assert (text.language, text.subject, text.body) == (
        language,
        expected.subject,
        expected.body,
    )


@pytest.mark.parametrize("language", ["de", "fr", "es", "ja"])
def test_r23_a_missing_translation_falls_back_to_english(language):
    PlatformTemplateTranslation.objects.filter(
        template__key="shipping_address", language=language
    ).delete()
    text = platform_text(key="shipping_address", language=language)
    assert text.language == "en"
    assert text.subject == "Please confirm your shipping address"


def test_r23_an_unknown_language_falls_back_to_english():
    assert platform_text(key="invoice", language="xx").language == "en"


@pytest.mark.parametrize("language", LANGUAGES)
def test_r17_review_request_is_sent_from_the_platform_template_in_the_buyers_language(
    seller, seller_owner, language
):
    order = _delivered_order(seller, _buyer(language))
    message = review_request_send(sender=seller_owner, order=order)
    row = PlatformTemplateTranslation.objects.get(template__key="review_request", language=language)
    assert REVIEW_WORDS[language] in message.subject
    assert order.number in message.subject
    assert message.body_text == row.body.format(
        order_number=order.number, business_name=seller.business_name
    )
    assert "{" not in message.body_text


@pytest.mark.parametrize("language", ["de", "fr", "es", "ja"])
def test_r23_review_request_falls_back_to_english_without_a_translation(
    seller, seller_owner, language
):
    PlatformTemplateTranslation.objects.filter(
        template__key="review_request", language=language
    ).delete()
    order = _delivered_order(seller, _buyer(language))
    message = review_request_send(sender=seller_owner, order=order)
    assert message.subject.startswith("Please review your recent order")


def test_r17_review_request_follows_what_staff_edited(seller, seller_owner):
    PlatformTemplateTranslation.objects.filter(
        template__key="review_request", language="de"
    ).update(subject="Wie war Ihre Bestellung {order_number}?", body="Danke! {business_name}")
    order = _delivered_order(seller, _buyer("de"))
    message = review_request_send(sender=seller_owner, order=order)
    assert message.subject.startswith(f"Wie war Ihre Bestellung {order.number}?")
    assert message.body_text == f"Danke! {seller.business_name}"


def test_r17_without_any_review_text_nothing_is_sent(seller, seller_owner):
    PlatformTemplate.objects.filter(key="review_request").delete()
    order = _delivered_order(seller, _buyer("en"))
    with pytest.raises(MessageRefused) as refused:
        review_request_send(sender=seller_owner, order=order)
    assert refused.value.refusal.rule == "R23"
    assert not order.messages.exists()


# ---- Contact Buyer: the seller sees English, the buyer receives their language


def _english(key, order):
    row = PlatformTemplateTranslation.objects.get(template__key=key, language="en")
    values = {
        "buyer_name": order.ship_name,
        "order_number": order.number,
        "business_name": order.seller.business_name,
        "product_name": order.items.get().product.title,
    }
    return row.subject.format(**values), row.body.format(**values)


@pytest.mark.parametrize("language", LANGUAGES)
def test_r23_contact_buyer_platform_text_sent_unchanged_reaches_the_buyer_in_their_language(
    seller, seller_owner, language
):
    order = OrderFactory(seller=seller, buyer=_buyer(language), status=OrderStatus.UNSHIPPED)
    subject, body = _english("shipping_address", order)
    draft = services.Draft(
        subject=subject,
        body_text=body.replace("\n", "\r\n") + "\r\n",  # as a browser posts it
        contact_reason="shipping_address",
        platform_template="shipping_address",
    )
    message = services.message_send(
        sender=seller_owner, order=order, draft=platform_draft_for_buyer(draft=draft, order=order)
    )
    row = PlatformTemplateTranslation.objects.get(
        template__key="shipping_address", language=language
    )
    assert message.body_text.startswith(row.body.split("{")[0])
    assert order.ship_name in message.body_text
    assert order.number in message.body_text
    assert row.subject in message.subject


def test_r23_a_platform_text_the_seller_edited_is_sent_as_written(seller, seller_owner):
    order = OrderFactory(seller=seller, buyer=_buyer("de"), status=OrderStatus.UNSHIPPED)
    subject, body = _english("shipping_address", order)
    draft = services.Draft(
        subject=subject,
        body_text=body + "\n\nThe carrier needs a door code too.",
        contact_reason="shipping_address",
        platform_template="shipping_address",
    )
    assert platform_draft_for_buyer(draft=draft, order=order) == draft


def test_r23_an_edited_subject_stays_while_the_unchanged_body_is_translated(seller):
    order = OrderFactory(seller=seller, buyer=_buyer("fr"), status=OrderStatus.UNSHIPPED)
    _, body = _english("shipping_address", order)
    draft = services.Draft(
        subject="Address check", body_text=body, platform_template="shipping_address"
    )
    sent = platform_draft_for_buyer(draft=draft, order=order)
    assert sent.subject == "Address check"
    assert sent.body_text.startswith(f"Bonjour {order.ship_name},")


def test_r23_a_placeholder_typed_into_a_template_message_is_refused(seller, seller_owner):
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)
    draft = services.Draft(
        subject="Address",
        body_text="Hello {buyer_name}, please confirm your address.",
        contact_reason="shipping_address",
        platform_template="shipping_address",
    )
    with pytest.raises(MessageRefused) as refused:
        services.message_send(sender=seller_owner, order=order, draft=draft)
    assert refused.value.refusal.rule == "R23"
    assert not order.messages.exists()
