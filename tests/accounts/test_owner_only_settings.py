"""Owners alone change account-wide settings (SPEC section 1): Notification Preferences and
accepting buyer messages (R22, R4, R18). Members see them read-only and are told who can change
them (issue 8, item 15)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import NotificationPreferences, SellerMembership
from accounts.services import notification_preferences_update, seller_set_accepting_messages
from core.refusals import NotAnOwner
from tests.clients import signed_in_client
from tests.factories import UserFactory, seller_user

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("accounts:notification_preferences")
MESSAGING_SETTINGS = reverse("accounts:messaging_settings")


@pytest.fixture
def owner(seller):
    return seller_user(seller, user=UserFactory(full_name="Olga Owner", email="olga@acme.example"))


@pytest.fixture
def member(seller, owner):
    return seller_user(
        seller,
        user=UserFactory(full_name="Mike Member", email="mike@acme.example"),
        role=SellerMembership.Role.MEMBER,
    )


def test_member_sees_notification_preferences_read_only_and_who_can_change_them(member):
    client = signed_in_client(member)
    for url in (PREFERENCES, f"{PREFERENCES}?edit=messaging"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        text = response.text
        assert 'id="messaging-edit"' not in text
        assert 'id="messaging-preferences-form"' not in text
        assert 'id="owner-only-notice"' in text
        assert "Only the account owner can change these settings" in text
        assert "Olga Owner" in text
        assert 'id="buyer-message-copies-summary"' in text  # the settings themselves, read-only


def test_member_cannot_post_notification_preferences(seller, member):
    response = signed_in_client(member).post(
        PREFERENCES, {"buyer_message_copies": "on", "buyer_message_copies_email": "x@y.example"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    preferences = NotificationPreferences.objects.get_or_create(seller=seller)[0]
    assert preferences.buyer_message_copies_email != "x@y.example"
    assert preferences.opt_out_bounces


def test_owner_still_edits_notification_preferences(seller, owner, member):
    client = signed_in_client(owner)
    assert 'id="messaging-edit"' in client.get(PREFERENCES).text
    assert 'id="owner-only-notice"' not in client.get(PREFERENCES).text
    response = client.post(PREFERENCES, {"buyer_message_copies_email": ""})
    assert response.status_code == HTTPStatus.FOUND
    assert not NotificationPreferences.objects.get(seller=seller).opt_out_bounces


def test_member_sees_accepting_messages_read_only_and_who_can_change_it(seller, member):
    response = signed_in_client(member).get(MESSAGING_SETTINGS)
    assert response.status_code == HTTPStatus.OK
    text = response.text
    assert 'id="accepting-form"' not in text
    assert 'id="owner-only-notice"' in text
    assert "Olga Owner" in text
    assert 'id="accepting-status"' in text


def test_member_cannot_stop_accepting_messages(seller, member):
    response = signed_in_client(member).post(MESSAGING_SETTINGS, {"accepting": "off"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    seller.refresh_from_db()
    assert seller.accepting_buyer_messages


def test_owner_still_stops_accepting_messages(seller, owner, member):
    client = signed_in_client(owner)
    assert 'id="accepting-form"' in client.get(MESSAGING_SETTINGS).text
    response = client.post(MESSAGING_SETTINGS, {"accepting": "off"})
    assert response.status_code == HTTPStatus.FOUND
    seller.refresh_from_db()
    assert not seller.accepting_buyer_messages


def test_services_refuse_a_member_and_name_the_owners(seller, owner, member):
    with pytest.raises(NotAnOwner, match="Olga Owner"):
        seller_set_accepting_messages(seller=seller, accepting=False, actor=member)
    with pytest.raises(NotAnOwner):
        notification_preferences_update(
            seller=seller,
            buyer_message_copies=False,
            buyer_message_copies_email="",
            opt_out_bounces=False,
            actor=member,
        )
    seller.refresh_from_db()
    assert seller.accepting_buyer_messages
    # The owner may; so may staff through the admin (no actor: not a member's action).
    assert not seller_set_accepting_messages(
        seller=seller, accepting=False, actor=owner
    ).accepting_buyer_messages
    assert seller_set_accepting_messages(seller=seller, accepting=True).accepting_buyer_messages


def test_several_owners_are_all_named(seller, owner, member):
    seller_user(seller, user=UserFactory(full_name="Otto Second", email="otto@acme.example"))
    text = signed_in_client(member).get(MESSAGING_SETTINGS).text
    assert "Olga Owner" in text
    assert "Otto Second" in text
