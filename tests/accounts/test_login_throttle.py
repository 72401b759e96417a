"""Issue 12 item 1: brute-force protection on both login forms (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.login_throttle import client_ip
from tests.clients import signed_in_client
from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5
LOGIN_FORMS = ["accounts:login", "admin:login"]


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def _post(url_name, email, password, ip="203.0.113.7", **extra):
    return Client().post(
        reverse(url_name),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )


def _fail(url_name, email, times, ip="203.0.113.7"):
    for _ in range(times):
        response = _post(url_name, email, "wrong-password", ip=ip)
        assert response.status_code in (200, 429)


def _signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


@pytest.mark.parametrize("url_name", LOGIN_FORMS)
def test_right_password_after_too_many_failures_is_refused_with_the_message(url_name):
    user = StaffFactory() if url_name == "admin:login" else UserFactory()
    _fail(url_name, user.email, LIMIT)

    response = _post(url_name, user.email, DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(response)
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "15 minutes" in html
    assert "<form" in html  # the login page itself, not a bare text answer


@pytest.mark.parametrize("url_name", LOGIN_FORMS)
def test_failures_below_the_limit_do_not_lock_out(url_name):
    user = StaffFactory() if url_name == "admin:login" else UserFactory()
    _fail(url_name, user.email, LIMIT - 1)

    assert _signed_in(_post(url_name, user.email, DEFAULT_PASSWORD))


def test_the_account_is_locked_from_another_address_too():
    user = UserFactory()
    _fail("accounts:login", user.email, LIMIT, ip="203.0.113.7")

    response = _post("accounts:login", user.email, DEFAULT_PASSWORD, ip="198.51.100.9")

    assert response.status_code == 429


def test_another_account_from_the_same_address_is_locked_too():
    UserFactory(email="victim@example.com")
    other = UserFactory()
    _fail("accounts:login", "victim@example.com", LIMIT, ip="203.0.113.7")

    response = _post("accounts:login", other.email, DEFAULT_PASSWORD, ip="203.0.113.7")
    assert response.status_code == 429
    # ...while the same account from elsewhere, unrelated to the attack, is not.
    assert _signed_in(_post("accounts:login", other.email, DEFAULT_PASSWORD, ip="192.0.2.1"))


def test_sign_in_works_again_after_the_cool_off():
    user = UserFactory()
    _fail("accounts:login", user.email, LIMIT)
    assert _post("accounts:login", user.email, DEFAULT_PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert _signed_in(_post("accounts:login", user.email, DEFAULT_PASSWORD))


def test_staff_unlock_in_the_admin():
    user = UserFactory()
    _fail("accounts:login", user.email, LIMIT)
    assert _post("accounts:login", user.email, DEFAULT_PASSWORD).status_code == 429
    staff = signed_in_client(StaffFactory())
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert user.email in staff.get(changelist).content.decode()

    staff.post(
        changelist,
        {
            "action": "delete_selected",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert not AccessAttempt.objects.exists()
    assert _signed_in(_post("accounts:login", user.email, DEFAULT_PASSWORD))


def test_behind_a_proxy_the_configured_header_names_the_client(settings, rf):
    settings.LOGIN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.LOGIN_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    # The right-most entry is the one our proxy added; the client may have forged the rest.
    assert client_ip(request) == "203.0.113.7"

    settings.LOGIN_CLIENT_IP_HEADER = ""
    assert client_ip(request) == "10.0.0.1"


def test_lockout_follows_the_proxy_header(settings):
    settings.LOGIN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    user, other = UserFactory(), UserFactory()
    for _ in range(LIMIT):
        _post(
            "accounts:login", user.email, "wrong", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
        )

    # Same proxy, another client: not locked out.
    ok = _post(
        "accounts:login",
        other.email,
        DEFAULT_PASSWORD,
        ip="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert _signed_in(ok)
    locked = _post(
        "accounts:login",
        other.email,
        DEFAULT_PASSWORD,
        ip="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert locked.status_code == 429
