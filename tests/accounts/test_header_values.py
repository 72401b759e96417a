"""Finding 9 of issue 22 (values that reach an email header): a business name with CR/LF, set in
the admin, made every email to that seller's buyers fail. The model fields carry one validator
(core.validators.validate_one_line), so the admin's forms, and any ModelForm, refuse a line
break or another control character in the business name, a user's name and a platform
template's subject, with the reason in words."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from accounts.models import SellerAccount, User
from core.validators import CONTROL_CHARACTERS_MSG, validate_one_line
from templates_app.models import PlatformTemplateTranslation
from tests.factories import SellerAccountFactory, StaffFactory

pytestmark = pytest.mark.django_db

REFUSED = [
    "Acme\r\nBcc: everyone@example.com",
    "Acme\nOutfitters",
    "Acme\rOutfitters",
    "Acme\tOutfitters",
    "Acme\x00",
    "Acme\x1b[31m",
    "Acme\u2028Outfitters",
]
ACCEPTED = ["Acme Outfitters", "Müller & Söhne GmbH", "東京ストア", "O'Brien — Books (EU)"]


@pytest.mark.parametrize("value", REFUSED)
def test_one_line_validator_refuses_line_breaks_and_control_characters(value):
    with pytest.raises(ValidationError) as refused:
        validate_one_line(value)
    assert refused.value.messages == [CONTROL_CHARACTERS_MSG]


@pytest.mark.parametrize("value", ACCEPTED)
def test_one_line_validator_accepts_any_one_line_name(value):
    validate_one_line(value)


def _admin_form(model, instance, data: dict):
    """The form the admin's change page builds for `instance`, bound to `data`."""
    request = RequestFactory().get("/")
    request.user = StaffFactory(is_superuser=True)
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(request, instance, change=True)
    fields = form_class.base_fields
    initial = {name: getattr(instance, name) for name in fields if hasattr(instance, name)}
    return form_class(data={**initial, **data}, instance=instance)


@pytest.mark.parametrize("value", REFUSED[:3])
def test_finding9_the_admin_refuses_a_business_name_with_a_line_break(value):
    seller = SellerAccountFactory(business_name="Acme Outfitters")
    form = _admin_form(SellerAccount, seller, {"business_name": value})
    assert not form.is_valid()
    assert form.errors["business_name"] == [CONTROL_CHARACTERS_MSG]
    seller.refresh_from_db()
    assert seller.business_name == "Acme Outfitters"


def test_the_admin_still_saves_a_one_line_business_name():
    seller = SellerAccountFactory(business_name="Acme Outfitters")
    form = _admin_form(SellerAccount, seller, {"business_name": "Acme Outfitters Ltd"})
    assert "business_name" not in form.errors


def test_finding9_a_users_name_with_a_line_break_is_refused():
    user = StaffFactory(full_name="Ann Lee")
    form = _admin_form(User, user, {"full_name": "Ann\r\nLee"})
    assert not form.is_valid()
    assert form.errors["full_name"] == [CONTROL_CHARACTERS_MSG]


def test_finding9_a_platform_subject_with_a_line_break_is_refused():
    translation = PlatformTemplateTranslation.objects.first()
    translation.subject = "Your order\r\nBcc: all@example.com"
    with pytest.raises(ValidationError) as refused:
        translation.full_clean()
    assert refused.value.message_dict["subject"] == [CONTROL_CHARACTERS_MSG]
