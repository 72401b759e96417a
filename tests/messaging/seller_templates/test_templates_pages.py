"""Manage Templates (/templates/) and Insert Template over HTTP (R23): the seller's own templates
only, search and tag filter with and without htmx, create / edit / duplicate / delete with the
checks of sending, the panel on the case page and Contact Buyer, and constant query counts."""

import re
from collections import Counter
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.refusals import MessageRefused
from messaging.models import Message
from messaging.sending import services
from orders.models import OrderStatus
from templates_app.models import PlatformTemplateTranslation, SellerTemplate, TemplateTag
from tests.clients import signed_in_client
from tests.factories import (
    BuyerFactory,
    OrderFactory,
    ProductFactory,
    SellerTemplateFactory,
    seller_user,
)
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db

TEMPLATES = reverse("messaging:templates")
PICKER = reverse("messaging:template_picker")
HTMX = {"HX-Request": "true"}


def _names(response) -> list[str]:
    return [
        escape_back(name) for name in re.findall(r'data-template-name="([^"]*)"', response.text)
    ]


def escape_back(value: str) -> str:
    return value.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"')


def _queries(client, url, **kwargs) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == HTTPStatus.OK
    return [query["sql"] for query in captured.captured_queries]


def _more(fewer: list[str], more: list[str]) -> str:
    """The queries the second request made that the first did not, literals elided."""
    literals = re.compile(r"'(?:[^']|'')*'|\d+")
    extra = Counter(literals.sub("?", sql) for sql in more)
    extra.subtract(literals.sub("?", sql) for sql in fewer)
    return "\n".join(f"{n} more × {sql}" for sql, n in extra.items() if n > 0)


def _ask_case(seller, product=None):
    """An "Ask a question" case (R24): no order."""
    return services.message_send(
        sender=BuyerFactory(),
        seller=seller,
        product=product,
        draft=services.Draft(subject="Sizes", body_text="Does it come in size L?"),
    ).case


# ---- Manage Templates


class TestManageTemplates:
    def test_lists_the_sellers_templates_by_name_and_says_who_may_use_them(
        self, seller, seller_client, other_seller
    ):
        SellerTemplateFactory(seller=seller, name="Shipping delay")
        SellerTemplateFactory(seller=seller, name="Address check")
        SellerTemplateFactory(seller=other_seller, name="Not ours")
        response = seller_client.get(TEMPLATES)
        assert response.status_code == HTTPStatus.OK
        assert '<h1 class="h3 mb-0">Manage Templates</h1>' in response.text
        assert _names(response) == ["Address check", "Shipping delay"]
        assert f"Every member of {seller.business_name} can use these templates" in response.text
        assert "can create, edit, duplicate and delete them" in response.text

    def test_a_member_who_is_not_the_owner_manages_templates_too(self, seller):
        member = seller_user(seller, role="member")
        client = signed_in_client(member)
        response = client.post(
            reverse("messaging:template_create"),
            {"name": "Thanks", "text": "Thank you for your order {order_number}.", "tags": ""},
        )
        assert response.status_code == HTTPStatus.FOUND
        assert SellerTemplate.objects.filter(seller=seller, name="Thanks").exists()

    def test_tag_filter_with_real_links_and_with_htmx(self, seller, seller_client):
        SellerTemplateFactory(seller=seller, name="Late parcel", tag_names=["Shipping", "Delays"])
        SellerTemplateFactory(seller=seller, name="Address", tag_names=["Shipping"])
        SellerTemplateFactory(seller=seller, name="Refund", tag_names=["Returns"])
        delays = TemplateTag.objects.get(seller=seller, name="Delays")
        shipping = TemplateTag.objects.get(seller=seller, name="Shipping")
        page = seller_client.get(TEMPLATES)
        assert f'href="?tag={shipping.id}"' in page.text  # a plain link works without JS
        assert re.findall(r'class="[^"]*tag-chip[^"]*"[^>]*data-tag="([^"]*)"', page.text) == [
            "Delays",
            "Returns",
            "Shipping",
        ]
        assert _names(seller_client.get(TEMPLATES, {"tag": shipping.id})) == [
            "Address",
            "Late parcel",
        ]
        swapped = seller_client.get(
            TEMPLATES, {"tag": delays.id}, headers={**HTMX, "HX-Target": "templates-page"}
        )
        assert "<html" not in swapped.text
        assert 'id="templates-page"' in swapped.text
        assert _names(swapped) == ["Late parcel"]
        assert "HX-Request" in swapped["Vary"]

    def test_search_by_name_or_text_swaps_only_the_list(self, seller, seller_client):
        SellerTemplateFactory(seller=seller, name="Late parcel", text="The carrier is late.")
        SellerTemplateFactory(seller=seller, name="Refund", text="Your refund is on its way.")
        assert _names(seller_client.get(TEMPLATES, {"q": "refund"})) == ["Refund"]
        swapped = seller_client.get(
            TEMPLATES, {"q": "carrier"}, headers={**HTMX, "HX-Target": "template-list"}
        )
        assert swapped.text.lstrip().startswith('<div id="template-list"')
        assert _names(swapped) == ["Late parcel"]

    def test_another_sellers_tag_filters_nothing(self, seller, seller_client, other_seller):
        SellerTemplateFactory(seller=seller, name="Mine")
        SellerTemplateFactory(seller=other_seller, tag_names=["Theirs"])
        theirs = TemplateTag.objects.get(seller=other_seller)
        assert _names(seller_client.get(TEMPLATES, {"tag": theirs.id})) == ["Mine"]

    def test_shows_uses_and_last_use(self, seller, seller_owner, seller_client):
        template = SellerTemplateFactory(seller=seller, name="Thanks")
        case = buyer_opens_case(seller=seller).case
        services.message_send(
            sender=seller_owner,
            case=case,
            draft=services.Draft(body_text="Thank you!", template_id=template.pk),
        )
        row = seller_client.get(TEMPLATES).text
        assert re.search(
            r'class="template-uses"[^>]*>1 <span class="text-secondary">in 30 days', row
        )
        assert "1 in all" in row
        assert timezone.now().strftime("%b %-d, %Y") in row

    def test_query_count_does_not_grow_with_templates_and_tags(
        self, seller, seller_owner, seller_client
    ):
        case = buyer_opens_case(seller=seller).case

        def add(n):
            template = SellerTemplateFactory(
                seller=seller, name=f"Template {n}", tag_names=[f"Tag {n}", f"Other {n}"]
            )
            services.message_send(
                sender=seller_owner,
                case=case,
                draft=services.Draft(body_text="Thanks!", template_id=template.pk),
            )

        add(0)
        one = _queries(seller_client, TEMPLATES)
        for n in range(1, 8):
            add(n)
        eight = _queries(seller_client, TEMPLATES)
        assert len(eight) == len(one), _more(one, eight)
        # The session, the user with its membership (accounts.backends); the tags with their
        # counts; the count and page of templates and their tags; the analytics: one query each.
        assert len([sql for sql in one if sql.startswith("SELECT")]) == 7


class TestTemplateForm:
    def test_create_with_tags(self, seller, seller_client):
        response = seller_client.post(
            reverse("messaging:template_create"),
            {
                "name": "Late parcel",
                "text": "Hello {buyer_name},\r\n\r\nyour order {order_number} is on its way.",
                "tags": "Shipping, Delays",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == TEMPLATES
        template = SellerTemplate.objects.get(seller=seller)
        assert sorted(t.name for t in template.tags.all()) == ["Delays", "Shipping"]

    def test_r12_a_refused_text_shows_the_words_of_sending(
        self, seller, seller_owner, seller_client
    ):
        text = "Visit shop.example.com for more"
        response = seller_client.post(
            reverse("messaging:template_create"), {"name": "Promo", "text": text, "tags": ""}
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
        case = buyer_opens_case(seller=seller).case
        with pytest.raises(MessageRefused) as sending:
            services.message_send(
                sender=seller_owner, case=case, draft=services.Draft(body_text=text)
            )
        assert escape(sending.value.refusal.message) in response.text
        assert 'data-rule="R12"' in response.text
        assert not SellerTemplate.objects.exists()

    def test_r23_an_unknown_placeholder_is_shown_on_the_text(self, seller_client):
        response = seller_client.post(
            reverse("messaging:template_create"),
            {"name": "Hi", "text": "Hello {customer}!", "tags": ""},
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert escape("“{customer}” is not a placeholder.") in response.text
        assert 'data-rule="R23"' in response.text

    def test_a_taken_name_is_shown_on_the_name(self, seller, seller_client):
        SellerTemplateFactory(seller=seller, name="Thanks")
        response = seller_client.post(
            reverse("messaging:template_create"), {"name": "THANKS", "text": "Hi", "tags": ""}
        )
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert 'id="name-errors"' in response.text
        assert SellerTemplate.objects.count() == 1

    def test_edit_keeps_uses_and_changes_tags(self, seller, seller_client):
        template = SellerTemplateFactory(seller=seller, name="Thanks", tag_names=["Old"])
        SellerTemplate.objects.filter(pk=template.pk).update(use_count=4)
        url = reverse("messaging:template_edit", args=[template.pk])
        assert 'value="Old"' in seller_client.get(url).text
        response = seller_client.post(url, {"name": "Thank you", "text": "Thanks!", "tags": "New"})
        assert response.status_code == HTTPStatus.FOUND
        template.refresh_from_db()
        assert (template.name, template.text, template.use_count) == ("Thank you", "Thanks!", 4)
        assert [t.name for t in template.tags.all()] == ["New"]

    def test_duplicate_opens_the_copy(self, seller, seller_client):
        template = SellerTemplateFactory(seller=seller, name="Thanks")
        response = seller_client.post(reverse("messaging:template_duplicate", args=[template.pk]))
        copy = SellerTemplate.objects.get(name="Thanks (copy)")
        assert response["Location"] == reverse("messaging:template_edit", args=[copy.pk])

    def test_delete_asks_for_confirmation_and_deletes(self, seller, seller_client):
        template = SellerTemplateFactory(seller=seller)
        page = seller_client.get(TEMPLATES).text
        assert 'data-confirm="Are you sure you want to delete this template?"' in page
        response = seller_client.post(reverse("messaging:template_delete", args=[template.pk]))
        assert response.status_code == HTTPStatus.FOUND
        assert not SellerTemplate.objects.exists()


class TestTagsPage:
    def test_rename_merge_and_delete(self, seller, seller_client):
        SellerTemplateFactory(seller=seller, name="A", tag_names=["Shiping", "Delays"])
        SellerTemplateFactory(seller=seller, name="B", tag_names=["Late"])
        shiping, delays, late = (
            TemplateTag.objects.get(seller=seller, name=n) for n in ("Shiping", "Delays", "Late")
        )
        assert "Shiping" in seller_client.get(reverse("messaging:template_tags")).text
        seller_client.post(
            reverse("messaging:template_tag_rename", args=[shiping.pk]), {"name": "Shipping"}
        )
        seller_client.post(
            reverse("messaging:template_tag_merge", args=[late.pk]), {"target": delays.pk}
        )
        seller_client.post(reverse("messaging:template_tag_delete", args=[shiping.pk]))
        assert list(TemplateTag.objects.values_list("name", flat=True)) == ["Delays"]
        assert SellerTemplate.objects.get(name="B").tags.get() == delays

    def test_a_rename_onto_another_tag_says_so(self, seller, seller_client):
        SellerTemplateFactory(seller=seller, tag_names=["Shipping", "Delivery"])
        delivery = TemplateTag.objects.get(name="Delivery")
        response = seller_client.post(
            reverse("messaging:template_tag_rename", args=[delivery.pk]),
            {"name": "shipping"},
            follow=True,
        )
        assert "You already have a tag named" in response.text
        delivery.refresh_from_db()
        assert delivery.name == "Delivery"


# ---- another seller's ids


def _template_urls(template, tag, case, order):
    return [
        ("get", reverse("messaging:template_edit", args=[template.pk]), {}),
        (
            "post",
            reverse("messaging:template_edit", args=[template.pk]),
            {"name": "x", "text": "y"},
        ),
        ("post", reverse("messaging:template_duplicate", args=[template.pk]), {}),
        ("post", reverse("messaging:template_delete", args=[template.pk]), {}),
        ("post", reverse("messaging:template_tag_rename", args=[tag.pk]), {"name": "x"}),
        ("post", reverse("messaging:template_tag_merge", args=[tag.pk]), {"target": tag.pk}),
        ("post", reverse("messaging:template_tag_delete", args=[tag.pk]), {}),
        ("get", reverse("messaging:case_detail", args=[case.pk]) + f"?template={template.pk}", {}),
        (
            "get",
            reverse("messaging:contact_buyer", args=[order.number]) + f"?template={template.pk}",
            {},
        ),
    ]


def test_another_sellers_template_or_tag_is_not_found_on_every_template_url(
    seller, seller_client, other_seller
):
    theirs = SellerTemplateFactory(seller=other_seller, name="Theirs", tag_names=["Theirs"])
    tag = TemplateTag.objects.get(seller=other_seller)
    case = buyer_opens_case(seller=seller).case
    order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)
    for method, url, data in _template_urls(theirs, tag, case, order):
        response = getattr(seller_client, method)(url, data)
        assert response.status_code == HTTPStatus.NOT_FOUND, (method, url)
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
    assert TemplateTag.objects.filter(pk=tag.pk).exists()


def test_the_panel_of_another_sellers_case_or_order_is_not_found(seller_client, other_seller):
    case = buyer_opens_case(seller=other_seller).case
    order = OrderFactory(seller=other_seller)
    assert seller_client.get(PICKER, {"case": case.pk}).status_code == HTTPStatus.NOT_FOUND
    assert seller_client.get(PICKER, {"order": order.number}).status_code == HTTPStatus.NOT_FOUND
    assert seller_client.get(PICKER).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("url", [TEMPLATES, PICKER])
def test_buyers_cannot_open_template_pages(buyer_client, url):
    assert buyer_client.get(url).status_code == HTTPStatus.FORBIDDEN


# ---- Insert Template


class TestInsertTemplate:
    def test_the_reply_box_and_contact_buyer_offer_insert_template(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        order = OrderFactory(seller=seller, status=OrderStatus.UNSHIPPED)
        for url in (
            reverse("messaging:case_detail", args=[case.pk]),
            reverse("messaging:contact_buyer", args=[order.number]),
        ):
            page = seller_client.get(url).text
            assert "Insert Template" in page, url
            assert f'href="{TEMPLATES}"' in page
            assert "Manage Templates" in page
            assert 'src="/static/js/templates.js"' in page

    def test_the_buyers_reply_box_has_no_templates(self, seller):
        case = buyer_opens_case(seller=seller).case
        page = signed_in_client(case.buyer).get(
            reverse("messaging:buyer_case_detail", args=[case.pk])
        )
        assert "Insert Template" not in page.text

    def test_r23_recently_used_first_then_by_name(self, seller, seller_client):
        now = timezone.now()
        for name, used in [("Zebra", None), ("Apple", None), ("Old", 5), ("New", 1)]:
            template = SellerTemplateFactory(seller=seller, name=name)
            if used:
                SellerTemplate.objects.filter(pk=template.pk).update(
                    last_used_at=now - timedelta(days=used), use_count=1
                )
        case = buyer_opens_case(seller=seller).case
        response = seller_client.get(PICKER, {"case": case.pk}, headers=HTMX)
        assert _names(response) == ["New", "Old", "Apple", "Zebra"]

    def test_r23_placeholders_are_filled_from_the_case_and_order(self, seller, seller_client):
        product = ProductFactory(seller=seller, title="Rain Jacket")
        order = OrderFactory(seller=seller, items=[product], ship_name="Emma Johnson")
        case = buyer_opens_case(order=order).case
        template = SellerTemplateFactory(
            seller=seller,
            text="Hello {buyer_name}, your {product_name} ({order_number}) ships today. "
            "{business_name}",
        )
        response = seller_client.get(PICKER, {"case": case.pk}, headers=HTMX)
        filled = (
            f"Hello Emma Johnson, your Rain Jacket ({order.number}) ships today. "
            f"{seller.business_name}"
        )
        assert f'data-template-text="{escape(filled)}"' in response.text
        assert f'data-template-id="{template.pk}"' in response.text

    def test_r23_order_placeholders_on_a_case_without_an_order_are_an_error_first(
        self, seller, seller_client
    ):
        case = _ask_case(seller, product=ProductFactory(seller=seller, title="Matcha Bowl"))
        needs_order = SellerTemplateFactory(seller=seller, name="Order", text="Hi {buyer_name}")
        fine = SellerTemplateFactory(seller=seller, name="Product", text="The {product_name}!")
        response = seller_client.get(PICKER, {"case": case.pk}, headers=HTMX)
        assert f'data-template-id="{fine.pk}"' in response.text
        assert 'data-template-text="The Matcha Bowl!"' in response.text
        assert f'data-template-id="{needs_order.pk}"' not in response.text
        assert escape("This question has no order, so {buyer_name} cannot be filled in.") in (
            response.text
        )
        # The same without JavaScript: the link opens the case with the error, the box empty.
        page = seller_client.get(
            reverse("messaging:case_detail", args=[case.pk]), {"template": needs_order.pk}
        )
        assert page.status_code == HTTPStatus.OK
        assert escape("This question has no order, so {buyer_name}") in page.text
        assert "Hi {buyer_name}" not in page.text

    def test_r23_tag_filter_and_search_in_the_panel(self, seller, seller_client):
        SellerTemplateFactory(seller=seller, name="Late parcel", tag_names=["Shipping"])
        SellerTemplateFactory(
            seller=seller, name="Refund", text="Your refund.", tag_names=["Returns"]
        )
        shipping = TemplateTag.objects.get(name="Shipping")
        case = buyer_opens_case(seller=seller).case
        tagged = seller_client.get(PICKER, {"case": case.pk, "tag": shipping.pk}, headers=HTMX)
        assert _names(tagged) == ["Late parcel"]
        searched = seller_client.get(PICKER, {"case": case.pk, "q": "refund"}, headers=HTMX)
        assert _names(searched) == ["Refund"]

    def test_without_javascript_the_panel_is_a_page_whose_links_fill_the_reply_box(
        self, seller, seller_client
    ):
        order = OrderFactory(seller=seller, ship_name="Emma Johnson")
        case = buyer_opens_case(order=order).case
        template = SellerTemplateFactory(seller=seller, text="Hello {buyer_name}!")
        page = seller_client.get(PICKER, {"case": case.pk})
        assert "<html" in page.text
        assert '<h1 class="h3 mb-3">Insert Template</h1>' in page.text
        case_url = reverse("messaging:case_detail", args=[case.pk])
        assert f'href="{case_url}?template={template.pk}#reply-box"' in page.text
        filled = seller_client.get(case_url, {"template": template.pk})
        assert "Hello Emma Johnson!</textarea>" in filled.text
        assert f'name="template" value="{template.pk}"' in filled.text

    def test_panel_query_count_does_not_grow_with_templates_and_tags(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        url = f"{PICKER}?case={case.pk}"
        SellerTemplateFactory(seller=seller, name="T0", tag_names=["A0", "B0"])
        one = _queries(seller_client, url, headers=HTMX)
        for n in range(1, 8):
            SellerTemplateFactory(seller=seller, name=f"T{n}", tag_names=[f"A{n}", f"B{n}"])
        eight = _queries(seller_client, url, headers=HTMX)
        assert len(eight) == len(one), _more(one, eight)
        # The session, the user with its membership (accounts.backends); the case; the order's
        # products for {product_name}; the tags; the templates and their tags.
        assert len([sql for sql in one if sql.startswith("SELECT")]) == 7

    def test_r23_a_reply_with_a_template_counts_its_use(self, seller, seller_client):
        template = SellerTemplateFactory(seller=seller)
        case = buyer_opens_case(seller=seller).case
        response = seller_client.post(
            reverse("messaging:case_reply", args=[case.pk]),
            {"body": "Edited: it ships today.", "template": str(template.pk)},
            headers=HTMX,
        )
        assert response.status_code == HTTPStatus.OK
        template.refresh_from_db()
        assert template.use_count == 1
        reply = Message.objects.get(case=case, template=template)
        assert reply.body_text == "Edited: it ships today."

    def test_r23_the_live_check_refuses_a_placeholder_left_in_a_template_reply(
        self, seller, seller_client
    ):
        template = SellerTemplateFactory(seller=seller)
        case = buyer_opens_case(seller=seller).case
        check = reverse("messaging:case_reply_check", args=[case.pk])
        response = seller_client.post(
            check, {"body": "Your order {order_number} ships.", "template": template.pk}
        )
        assert 'data-rule="R23"' in response.text
        response = seller_client.post(check, {"body": "Your order {order_number} ships."})
        assert 'data-rule="R23"' not in response.text


# ---- Contact Buyer: the reason's platform text


class TestContactBuyerPlatformText:
    def _order(self, seller, language):
        buyer = BuyerFactory()
        buyer.buyer_profile.preferred_language = language
        buyer.buyer_profile.save()
        return OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.UNSHIPPED)

    def test_r23_the_seller_sees_english_and_which_language_the_buyer_gets(
        self, seller, seller_client
    ):
        order = self._order(seller, "ja")
        page = seller_client.get(reverse("messaging:contact_buyer", args=[order.number])).text
        assert "Please confirm your shipping address" in page  # English
        assert escape(f"Hello {order.ship_name},") in page
        assert "The buyer's preferred language is <strong>日本語</strong>" in page
        assert "お届け先住所" not in page

    def test_r23_the_seller_is_told_when_the_buyers_language_is_missing(
        self, seller, seller_client
    ):
        PlatformTemplateTranslation.objects.filter(
            template__key="shipping_address", language="de"
        ).delete()
        order = self._order(seller, "de")
        page = seller_client.get(reverse("messaging:contact_buyer", args=[order.number])).text
        assert "this text has no Deutsch version yet: they receive it in English" in page

    def test_r23_start_from_the_platform_text_without_javascript(self, seller, seller_client):
        order = self._order(seller, "es")
        url = reverse("messaging:contact_buyer", args=[order.number])
        page = seller_client.get(url, {"platform": "shipping_address"}).text
        assert 'value="Please confirm your shipping address"' in page
        assert 'name="platform_template" value="shipping_address"' in page
        assert not order.messages.exists()

    def test_r23_sent_unchanged_the_buyer_gets_their_language(self, seller, seller_client):
        order = self._order(seller, "es")
        url = reverse("messaging:contact_buyer", args=[order.number])
        seller_client.get(url, {"platform": "shipping_address"})
        english = PlatformTemplateTranslation.objects.get(
            template__key="shipping_address", language="en"
        )
        values = {
            "buyer_name": order.ship_name,
            "order_number": order.number,
            "business_name": seller.business_name,
            "product_name": order.items.get().product.title,
        }
        response = seller_client.post(
            url,
            {
                "reason": "shipping_address",
                "subject": english.subject,
                "body": english.body.format(**values).replace("\n", "\r\n"),
                "platform_template": "shipping_address",
            },
        )
        assert response.status_code == HTTPStatus.FOUND
        message = order.messages.get()
        assert message.subject.startswith("[Important] Confirma tu dirección de envío")
        assert message.body_text.startswith(f"Hola, {order.ship_name}:")
