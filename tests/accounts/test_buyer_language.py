"""Issue 8 item 13: buyer pages in the buyer's preferred language (Django i18n), English as the
fallback; sellers, staff and anonymous visitors stay in English.

The catalogs are locale/<lang>/LC_MESSAGES/django.po (committed); the setup step compiles them
(`make setup` runs `compilemessages`), and the first test says so when the .mo files are missing.
"""

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import BuyerProfile
from cases.models import CaseStatus
from cases.policy import CASE_CLOSED_MSG
from cases.services import case_change_state_by_seller
from core.refusals import Refusal
from messaging.policy import NOT_ACCEPTING_MSG, SELLER_TO_SELLER_MSG
from messaging.presentation import refusal_text_for_buyer
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ("de", "fr", "es", "ja")


def _buyer(language: str):
    buyer = BuyerFactory()
    BuyerProfile.objects.filter(user=buyer).update(preferred_language=language)
    return buyer


@pytest.fixture
def story(seller, seller_owner):
    """A German buyer with an order, a case with a seller reply, and the seller's store."""
    buyer = _buyer("de")
    order = OrderFactory(seller=seller, buyer=buyer)
    message = buyer_opens_case(order=order, subject="Lieferung", body="Wo ist mein Paket?")
    reply = seller_replies(message.case, seller_owner, body="It ships today.")
    return {"buyer": buyer, "order": order, "case": message.case, "reply": reply}


def _buyer_pages(story, seller) -> dict[str, str]:
    order, case = story["order"], story["case"]
    return {
        "orders": reverse("orders:buyer_order_list"),
        "order": reverse("orders:buyer_order_detail", args=[order.number]),
        "contact": reverse("messaging:contact_seller", args=[order.number]),
        "messages": reverse("messaging:buyer_message_center"),
        "case": reverse("messaging:buyer_case_detail", args=[case.pk]),
        "report": reverse("messaging:buyer_message_report", args=[story["reply"].pk]),
        "store": reverse("messaging:store", args=[seller.slug]),
        "ask": reverse("messaging:store_ask", args=[seller.slug]),
        "settings": reverse("accounts:buyer_communication_settings"),
    }


# What each buyer page says in German, and the English it replaces.
GERMAN = {
    "orders": ("Ihre Bestellungen", "Your Orders"),
    "order": ("Bestelldetails", "Order details"),
    "contact": ("Verkäufer kontaktieren", "Contact seller"),
    "messages": ("Ihre Nachrichten", "Your Messages"),
    "case": ("Antwort an", "Reply to"),
    "report": ("Eine Nachricht melden", "Report a message"),
    "store": ("Eine Frage stellen", "Ask a question"),
    "ask": ("Stellen Sie", "Ask <strong>"),
    "settings": ("Kommunikationseinstellungen", "Communication settings"),
}


def test_the_catalogs_are_compiled():
    for language in TRANSLATED:
        po = LOCALE / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert po.exists(), po
        hint = f"{mo} is missing or older than its .po: run `make setup` (compilemessages)"
        assert mo.exists(), hint
        assert mo.stat().st_mtime >= po.stat().st_mtime, hint


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first entry is the header
    assert len(entries) > 100
    assert "#, fuzzy" not in text
    for entry in entries:
        if entry.startswith("#~"):
            continue
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', entry, re.M)
        assert msgstrs, entry
        assert all(msgstrs), f"untranslated in {language}: {entry}"


@pytest.mark.parametrize("page", list(GERMAN))
def test_a_german_buyer_sees_german_on_each_buyer_page(story, seller, page):
    client = signed_in_client(story["buyer"])
    response = client.get(_buyer_pages(story, seller)[page])
    assert response.status_code == HTTPStatus.OK
    german, english = GERMAN[page]
    assert german in response.text
    assert english not in response.text
    assert '<html lang="de"' in response.text
    assert response["Content-Language"] == "de"
    # the shared navigation and footer too
    assert "Abmelden" in response.text  # Sign out
    assert "Anonymisierte" in response.text or "anonymisierte" in response.text


@pytest.mark.parametrize(
    ("language", "your_orders"),
    [("fr", "Vos commandes"), ("es", "Sus pedidos"), ("ja", "注文履歴"), ("en", "Your Orders")],
)
def test_each_language_and_english(language, your_orders):
    buyer = _buyer(language)
    OrderFactory(buyer=buyer)
    text = signed_in_client(buyer).get(reverse("orders:buyer_order_list")).text
    assert your_orders in text
    assert f'<html lang="{language}"' in text


@pytest.mark.parametrize("page", list(GERMAN))
def test_english_buyer_sees_english(seller, seller_owner, page):
    buyer = _buyer("en")
    order = OrderFactory(seller=seller, buyer=buyer)
    message = buyer_opens_case(order=order)
    reply = seller_replies(message.case, seller_owner)
    story = {"buyer": buyer, "order": order, "case": message.case, "reply": reply}
    text = signed_in_client(buyer).get(_buyer_pages(story, seller)[page]).text
    assert GERMAN[page][1] in text
    assert GERMAN[page][0] not in text
    assert '<html lang="en"' in text


def test_sellers_staff_and_anonymous_visitors_stay_in_english(story, seller, seller_client, staff):
    order = story["order"]
    detail = seller_client.get(reverse("orders:order_detail", args=[order.number]))
    assert "Messages about this order" in detail.text
    assert '<html lang="en"' in detail.text
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="de").get(
        reverse("messaging:store", args=[seller.slug])
    )
    assert "Ask a question" in anonymous.text
    assert "Anmelden" not in anonymous.text
    staff_client = signed_in_client(staff)
    assert "Ask a question" in staff_client.get(reverse("messaging:store", args=[seller.slug])).text


def test_the_language_does_not_leak_into_the_next_request_or_the_test(story, seller_client):
    signed_in_client(story["buyer"]).get(reverse("orders:buyer_order_list"))
    assert translation.get_language() in ("en", "en-us")
    assert "Manage Orders" in seller_client.get(reverse("orders:order_list")).text


def test_changing_the_language_applies_to_the_next_page():
    buyer = _buyer("en")
    client = signed_in_client(buyer)
    url = reverse("accounts:buyer_communication_settings")
    response = client.post(url, {"preferred_language": "fr"}, follow=True)
    assert "Paramètres de communication" in response.text
    assert "Vos paramètres de communication ont été enregistrés." in response.text


def test_form_labels_errors_and_notices_are_translated(story):
    client = signed_in_client(story["buyer"])
    url = reverse("messaging:contact_seller", args=[story["order"].number])
    assert "Kontaktgrund" in client.get(url).text  # "Contact reason"
    empty = client.post(url, {"reason": "", "body": ""})
    assert "Dieses Feld ist zwingend erforderlich." in empty.text  # Django's own catalog
    sent = client.post(
        url, {"reason": "shipping_or_delivery", "body": "Bitte schnell."}, follow=True
    )
    assert "Ihre Nachricht wurde an Acme Outfitters gesendet." in sent.text


def test_r9_refusal_and_closed_notice_in_the_buyers_language(story, seller_owner):
    case = story["case"]
    case_change_state_by_seller(case=case, actor=seller_owner, to_status=CaseStatus.CLOSED)
    client = signed_in_client(story["buyer"])
    url = reverse("messaging:buyer_case_detail", args=[case.pk])
    with translation.override("de"):
        closed_de = refusal_text_for_buyer(
            Refusal(rule="R9", message=CASE_CLOSED_MSG), business_name=""
        )
    assert closed_de != CASE_CLOSED_MSG
    assert closed_de in client.get(url).text
    reply = client.post(reverse("messaging:buyer_case_reply", args=[case.pk]), {"body": "Hallo"})
    assert closed_de in reply.text


def test_r18_refusal_in_the_buyers_language(seller):
    seller.accepting_buyer_messages = False
    seller.save()
    buyer = _buyer("es")
    text = signed_in_client(buyer).get(reverse("messaging:store_ask", args=[seller.slug])).text
    assert "Acme Outfitters no acepta mensajes de compradores nuevos en este momento." in text


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize(
    ("rule", "message"),
    [("R9", CASE_CLOSED_MSG), ("R18", NOT_ACCEPTING_MSG), ("R20", SELLER_TO_SELLER_MSG)],
)
def test_buyer_facing_refusals_have_translations(language, rule, message):
    refusal = Refusal(rule=rule, message=message.format(business_name="Acme"))
    english = refusal_text_for_buyer(refusal, business_name="Acme")
    assert english == refusal.message
    with translation.override(language):
        translated = refusal_text_for_buyer(refusal, business_name="Acme")
    assert translated != english
    if rule == "R18":
        assert "Acme" in translated


def test_a_seller_member_browsing_a_store_stays_in_english(seller, other_seller):
    member = signed_in_client(seller_user(other_seller))
    text = member.get(reverse("messaging:store_ask", args=[seller.slug])).text
    assert SELLER_TO_SELLER_MSG in text


@pytest.mark.parametrize("rows", [2, 8])
def test_language_costs_no_query_per_request(django_assert_max_num_queries, rows):
    buyer = _buyer("de")
    for _ in range(rows):
        OrderFactory(buyer=buyer)
    client = signed_in_client(buyer)
    # as tests/orders/test_orders.py counts the page: the language comes with the session
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orders:buyer_order_list"))
    assert "Ihre Bestellungen" in response.text
