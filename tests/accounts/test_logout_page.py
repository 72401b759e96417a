"""`/accounts/logout/` (SPEC section 2): a GET shows a page with a "Sign out" button, never a
blank 405; only the button's POST signs out (issue 8, item 3)."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from tests.clients import signed_in_client
from tests.factories import BuyerFactory

pytestmark = pytest.mark.django_db

LOGOUT = reverse("accounts:logout")


def test_logout_path_is_the_spec_contract():
    assert LOGOUT == "/accounts/logout/"


def test_get_logout_shows_a_sign_out_button_and_signs_nobody_out():
    buyer = BuyerFactory(email="ann@example.com")
    client = signed_in_client(buyer)
    response = client.get(LOGOUT)
    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert "Sign out" in text
    assert f'<form method="post" action="{LOGOUT}"' in text
    assert 'id="sign-out-confirm"' in text
    assert "ann@example.com" in text
    # A GET (a link, a prefetch, a mail scanner) changes nothing: still signed in.
    assert "_auth_user_id" in client.session


def test_post_logout_signs_out_and_goes_to_sign_in():
    client = signed_in_client(BuyerFactory())
    response = client.post(LOGOUT)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_get_logout_when_signed_out_says_so_and_links_to_sign_in():
    response = Client().get(LOGOUT)
    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert "You are signed out" in text
    assert f'href="{reverse("accounts:login")}"' in text
    assert 'id="sign-out-confirm"' not in text
