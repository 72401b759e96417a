"""Staff edit the platform templates in the admin (R23): every text is checked like a seller's
(R12, known placeholders) and English, the fallback, cannot be removed; sellers' templates are
corrected through the service."""

from http import HTTPStatus

import pytest
from django.forms import inlineformset_factory
from django.urls import reverse

from templates_app.admin import (
    ENGLISH_REQUIRED_MSG,
    PlatformTranslationForm,
    PlatformTranslationFormSet,
    SellerTemplateForm,
)
from templates_app.models import PlatformTemplate, PlatformTemplateTranslation, SellerTemplate
from templates_app.services import NAME_TAKEN_MSG
from tests.factories import SellerTemplateFactory

pytestmark = pytest.mark.django_db


def test_r23_staff_open_a_platform_template_with_its_five_translations(client, staff):
    client.force_login(staff)
    template = PlatformTemplate.objects.get(key="invoice")
    response = client.get(
        reverse("admin:templates_app_platformtemplate_change", args=[template.pk])
    )
    assert response.status_code == HTTPStatus.OK
    for language in ("English", "Deutsch", "Français", "Español", "日本語"):
        assert language in response.text


@pytest.mark.parametrize(
    ("body", "rule_words"),
    [
        ("See www.example.com for the invoice.", "Remove the link “www.example.com”"),
        ("Hello {customer}, here is your invoice.", "“{customer}” is not a placeholder."),
    ],
)
def test_r12_a_platform_text_staff_save_meets_the_seller_rules(body, rule_words):
    form = PlatformTranslationForm(data={"language": "de", "subject": "Rechnung", "body": body})
    assert not form.is_valid()
    assert form.errors["body"][0].startswith(rule_words)


def test_r23_english_cannot_be_removed_from_a_platform_template():
    template = PlatformTemplate.objects.get(key="invoice")
    formset_class = inlineformset_factory(
        PlatformTemplate,
        PlatformTemplateTranslation,
        form=PlatformTranslationForm,
        formset=PlatformTranslationFormSet,
        extra=0,
        can_delete=True,
    )
    rows = list(template.translations.order_by("id"))
    data = {
        "translations-TOTAL_FORMS": str(len(rows)),
        "translations-INITIAL_FORMS": str(len(rows)),
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {
            f"translations-{index}-id": str(row.pk),
            f"translations-{index}-template": str(template.pk),
            f"translations-{index}-language": row.language,
            f"translations-{index}-subject": row.subject,
            f"translations-{index}-body": row.body,
        }
        if row.language == "en":
            data[f"translations-{index}-DELETE"] = "on"
    formset = formset_class(data, instance=template, prefix="translations")
    assert not formset.is_valid()
    assert formset.non_form_errors() == [ENGLISH_REQUIRED_MSG]


def test_staff_correct_a_sellers_template_with_the_sellers_checks(seller):
    template = SellerTemplateFactory(seller=seller, name="Thanks")
    text = template.text
    SellerTemplateFactory(seller=seller, name="Refund")
    taken = SellerTemplateForm(data={"name": "refund", "text": "Hi"}, instance=template)
    assert taken.errors["name"] == [NAME_TAKEN_MSG.format(name="refund")]
    link = SellerTemplateForm(
        data={"name": "Thanks", "text": "shop.example.com"}, instance=template
    )
    assert "text" in link.errors
    assert SellerTemplate.objects.get(pk=template.pk).text == text
