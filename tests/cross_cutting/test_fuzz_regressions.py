"""Issue 22: the failures the generated fuzz test (test_fuzz_inputs.py) found, each kept as a
test of its own. A value the view could not parse or store was a 500; it is an answer in words
now (404 for an id or order that cannot exist, the page without the value it ignores, the
admin's form again with the reason)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import LenientAutocompleteMixin
from tests.clients import signed_in_client
from tests.factories import CaseFactory, OrderFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db

# More digits than Python's int() reads from a string (sys.get_int_max_str_digits(): 4300).
TOO_MANY_DIGITS = "9" * 5000


@pytest.mark.parametrize(
    "since", ["9223372036854775807", "-9223372036854775809", "1" + "0" * 30, TOO_MANY_DIGITS]
)
def test_fuzz_regression_inbox_changes_since_beyond_any_date_is_not_a_500(seller_client, since):
    """Was: ValueError 'year 294247 is out of range' / OverflowError (cases/selectors.py) from
    turning the token into a datetime (finding 5)."""
    response = seller_client.get(reverse("messaging:inbox_changes"), {"since": since})
    assert response.status_code < 500


def test_fuzz_regression_template_picker_case_of_5000_digits_is_a_404(seller, seller_client):
    """Was: ValueError 'Exceeds the limit (4300 digits) for integer string conversion'."""
    CaseFactory(order__seller=seller)
    response = seller_client.get(reverse("messaging:template_picker"), {"case": TOO_MANY_DIGITS})
    assert response.status_code == 404


@pytest.mark.parametrize("order", ["\x00", "a\x00b", "123-\x00"])
def test_fuzz_regression_template_picker_order_with_a_nul_byte_is_a_404(seller_client, order):
    """Was: DataError 'PostgreSQL text fields cannot contain NUL (0x00) bytes' from looking the
    order number up."""
    response = seller_client.get(reverse("messaging:template_picker"), {"order": order})
    assert response.status_code == 404


def test_fuzz_regression_case_page_template_of_5000_digits_is_a_404(seller, seller_client):
    """Was: ValueError from int() in template_insert_initial (`?template=` on the case page)."""
    case = CaseFactory(order__seller=seller)
    response = seller_client.get(
        reverse("messaging:case_detail", args=[case.pk]), {"template": TOO_MANY_DIGITS}
    )
    assert response.status_code == 404


def test_fuzz_regression_store_ask_product_of_5000_digits_shows_the_form(seller, buyer_client):
    """Was: ValueError "Field 'id' expected a number" (`?product=` on Ask a question)."""
    OrderFactory(seller=seller)
    response = buyer_client.get(
        reverse("messaging:store_ask", args=[seller.slug]), {"product": TOO_MANY_DIGITS}
    )
    assert response.status_code == 200


# ---- the staff admin (test_fuzz_admin.py)


@pytest.mark.parametrize("value", ["abc", "\x00", "line\r\nBcc: x@example.com", "😀"])
def test_fuzz_regression_admin_autocomplete_with_a_value_that_is_not_an_id_is_refused(staff, value):
    """Was: ValueError "Field 'id' expected a number" from Django's AutocompleteSelect looking
    the refused value up to show the form again (a seller's member, by user)."""
    seller = SellerAccountFactory()
    membership = seller_user(seller).seller_membership
    url = reverse("admin:accounts_selleraccount_change", args=[seller.pk])
    response = signed_in_client(staff).post(
        url,
        {
            "business_name": seller.business_name,
            "slug": seller.slug,
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(membership.pk),
            "memberships-0-seller": str(seller.pk),
            "memberships-0-user": value,
            "memberships-0-role": membership.role,
        },
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()  # the form again, with the reason


def test_fuzz_regression_every_admin_autocomplete_is_lenient():
    """Each admin and inline with autocomplete fields uses LenientAutocompleteMixin."""
    admins = list(admin.site._registry.values())
    admins += [
        inline(model_admin.model, admin.site)
        for model_admin in admins
        for inline in model_admin.inlines
    ]
    missing = [
        type(each).__name__
        for each in admins
        if each.autocomplete_fields and not isinstance(each, LenientAutocompleteMixin)
    ]
    assert missing == []


def test_fuzz_regression_admin_filter_with_a_nul_byte_is_the_admins_error_flag(staff):
    """Was: DataError 'PostgreSQL text fields cannot contain NUL (0x00) bytes' from a changelist
    filter (`?status__exact=%00` on orders, cases, messages, reports, emails...)."""
    response = signed_in_client(staff).get("/admin/orders/order/", {"status__exact": "\x00"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_fuzz_regression_admin_order_status_change_cannot_be_added(staff):
    """Was: IntegrityError (null order_id) on any POST to the add form: every field of a status
    change is read-only, so the form saved an empty one."""
    client = signed_in_client(staff)
    assert client.post("/admin/orders/orderstatuschange/add/", {}).status_code == 403


def test_fuzz_regression_admin_crontab_value_celery_cannot_read_is_a_field_error(staff):
    """Was: celery's ParseException ('negative numbers not supported', a 500) when the add form
    was shown again with minute=-1 (django-celery-beat's validators let it through)."""
    response = signed_in_client(staff).post(
        "/admin/django_celery_beat/crontabschedule/add/",
        {
            "minute": "-1",
            "hour": "*",
            "day_of_month": "*",
            "month_of_year": "*",
            "day_of_week": "*",
            "timezone": "UTC",
        },
    )
    assert response.status_code == 200
    assert "Celery cannot read this value: negative numbers not supported." in response.text


@pytest.mark.parametrize("task", ["a" * 201, "\x00"])
def test_fuzz_regression_admin_periodic_task_name_refused_is_a_field_error(staff, task):
    """Was: KeyError 'task' in django-celery-beat's PeriodicTaskForm.clean once the field had
    refused the value (over 200 characters, a NUL byte)."""
    response = signed_in_client(staff).post(
        "/admin/django_celery_beat/periodictask/add/",
        {"name": "x", "task": task, "enabled": "on", "args": "[]", "kwargs": "{}"},
    )
    assert response.status_code == 200
    assert 'id="id_task_error"' in response.text
