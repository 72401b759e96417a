"""Seller settings: Notification Preferences › Messaging (R22, R4), accept buyer messages (R18)."""

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms import COPIES_EMAIL_REQUIRED_MSG
from accounts.models import NotificationPreferences, SellerAccount
from accounts.services import seller_set_accepting_messages
from core.refusals import MessageRefused
from messaging.sending import services
from tests.factories import BuyerFactory, OrderFactory

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("accounts:notification_preferences")
MESSAGING_SETTINGS = reverse("accounts:messaging_settings")
WARNING_ID = 'id="opt-out-bounces-warning"'


def _preferences(seller) -> NotificationPreferences:
    return NotificationPreferences.objects.get_or_create(seller=seller)[0]


def _post_preferences(client, *, copies=False, email="", bounces=True, **extra):
    data = {"buyer_message_copies_email": email}
    if copies:
        data["buyer_message_copies"] = "on"
    if bounces:
        data["opt_out_bounces"] = "on"
    return client.post(PREFERENCES, data, **extra)


def _buyer_writes(order):
    return services.message_send(
        sender=order.buyer,
        seller=order.seller,
        order=order,
        draft=services.Draft(
            body_text="Is my parcel on its way?",
            subject="Parcel",
            contact_reason="shipping_or_delivery",
        ),
    )


class TestNotificationPreferences:
    def test_paths_are_the_spec_contract(self):
        assert PREFERENCES == "/settings/notifications/"
        assert MESSAGING_SETTINGS == "/settings/messaging/"

    def test_r22_shows_messaging_section_read_only_with_edit(self, seller, seller_client):
        response = seller_client.get(PREFERENCES)
        assert response.status_code == HTTPStatus.OK
        text = response.text
        assert "Notification Preferences" in text
        assert 'id="messaging-section"' in text
        assert "Messaging" in text
        assert 'id="messaging-edit"' in text
        assert f'href="{PREFERENCES}?edit=messaging"' in text
        assert "<form" not in text.split('id="messaging-section"')[1]
        assert WARNING_ID not in text

    def test_edit_shows_the_form_without_javascript(self, seller_client):
        text = seller_client.get(PREFERENCES, {"edit": "messaging"}).text
        assert 'id="messaging-preferences-form"' in text
        assert "Buyer Messages: send me a copy of every buyer message" in text
        assert "Buyer Opt-out: tell me when a message is not delivered" in text
        assert re.search(r'<input type="checkbox" name="opt_out_bounces"[^>]* checked', text)
        assert "<html" in text

    def test_edit_with_htmx_returns_only_the_section(self, seller_client):
        response = seller_client.get(
            PREFERENCES, {"edit": "messaging"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == HTTPStatus.OK
        assert response.text.lstrip().startswith(
            '<section class="card shadow-sm" id="messaging-section"'
        )
        assert "<html" not in response.text
        assert f'action="{PREFERENCES}"' in response.text
        assert f'hx-get="{PREFERENCES}"' in response.text  # Cancel
        assert "HX-Request" in response["Vary"]

    def test_cancel_with_htmx_returns_the_read_only_section(self, seller_client):
        response = seller_client.get(PREFERENCES, headers={"HX-Request": "true"})
        assert response.text.lstrip().startswith('<section class="card shadow-sm"')
        assert f'hx-get="{PREFERENCES}?edit=messaging"' in response.text
        assert "<form" not in response.text

    def test_r22_post_saves_and_redirects(self, seller, seller_client):
        response = _post_preferences(
            seller_client, copies=True, email="orders@acme.example", bounces=True
        )
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == PREFERENCES
        preferences = _preferences(seller)
        assert preferences.buyer_message_copies is True
        assert preferences.buyer_message_copies_email == "orders@acme.example"
        assert preferences.opt_out_bounces is True
        page = seller_client.get(PREFERENCES).text
        assert "Your notification preferences were saved." in page
        assert "orders@acme.example" in page

    def test_r22_email_required_when_copies_are_on(self, seller, seller_client):
        response = _post_preferences(seller_client, copies=True, email="", bounces=False)
        assert response.status_code == HTTPStatus.OK
        form = response.context["form"]
        assert form.errors["buyer_message_copies_email"] == [COPIES_EMAIL_REQUIRED_MSG]
        assert COPIES_EMAIL_REQUIRED_MSG in response.text
        preferences = _preferences(seller)
        assert preferences.buyer_message_copies_email != ""
        assert preferences.opt_out_bounces is True  # nothing was saved

    def test_invalid_email_is_refused(self, seller, seller_client):
        response = _post_preferences(seller_client, copies=True, email="not-an-address")
        assert response.status_code == HTTPStatus.OK
        assert "buyer_message_copies_email" in response.context["form"].errors
        assert _preferences(seller).buyer_message_copies_email != "not-an-address"

    def test_r4_clearing_buyer_opt_out_shows_the_warning(self, seller, seller_client):
        """R4: with "Buyer Opt-out" cleared nothing confirms a block; the page says so."""
        response = _post_preferences(seller_client, bounces=False, follow=True)
        assert _preferences(seller).opt_out_bounces is False
        text = response.text
        assert WARNING_ID in text
        assert "Blocked messages can no longer be confirmed" in text
        assert (
            "you will not know when a message was not delivered because the buyer opted out" in text
        )
        # It stays on the page, in the form too, until the box is selected again.
        assert WARNING_ID in seller_client.get(PREFERENCES, {"edit": "messaging"}).text
        _post_preferences(seller_client, bounces=True)
        assert WARNING_ID not in seller_client.get(PREFERENCES).text

    def test_another_sellers_preferences_are_untouched(self, seller, other_seller, seller_client):
        _preferences(other_seller)
        _post_preferences(seller_client, bounces=False)
        assert _preferences(other_seller).opt_out_bounces is True

    def test_buyer_gets_403(self, buyer_client):
        assert buyer_client.get(PREFERENCES).status_code == HTTPStatus.FORBIDDEN
        assert _post_preferences(buyer_client).status_code == HTTPStatus.FORBIDDEN

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(PREFERENCES)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("accounts:login"))


class TestAcceptBuyerMessages:
    def test_page_shows_the_switch_and_what_it_means(self, seller_client):
        response = seller_client.get(MESSAGING_SETTINGS)
        assert response.status_code == HTTPStatus.OK
        text = response.text
        assert "Accept messages from buyers" in text
        assert 'value="on"' in text
        assert 'value="off"' in text
        assert "Ask a question" in text
        assert "first order" in text
        assert 'id="not-accepting-notice"' not in text

    def test_r18_turning_off_records_the_moment_and_shows_since_when(self, seller, seller_client):
        before = timezone.now()
        response = seller_client.post(MESSAGING_SETTINGS, {"accepting": "off"})
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == MESSAGING_SETTINGS
        seller.refresh_from_db()
        assert seller.accepting_buyer_messages is False
        assert seller.accepting_changed_at >= before
        text = seller_client.get(MESSAGING_SETTINGS).text
        assert "You stopped accepting messages from new buyers." in text
        assert 'id="not-accepting-notice"' in text
        assert seller.accepting_changed_at.strftime("%b %-d, %Y") in text

    def test_r18_saving_the_same_value_keeps_the_moment(self, seller):
        stopped = seller_set_accepting_messages(seller=seller, accepting=False)
        first = stopped.accepting_changed_at
        again = seller_set_accepting_messages(seller=seller, accepting=False)
        assert again.accepting_changed_at == first
        reopened = seller_set_accepting_messages(seller=seller, accepting=True)
        assert reopened.accepting_buyer_messages is True
        assert reopened.accepting_changed_at > first
        assert (
            SellerAccount.objects.get(pk=seller.pk).accepting_changed_at
            == reopened.accepting_changed_at
        )

    def test_r18_new_buyer_cannot_write_while_earlier_buyer_can(self, seller, seller_client):
        """R18: only buyers whose first order came after the switch-off are turned away."""
        earlier = OrderFactory(
            seller=seller, buyer=BuyerFactory(), placed_at=timezone.now() - timedelta(days=10)
        )
        seller_client.post(MESSAGING_SETTINGS, {"accepting": "off"})
        seller.refresh_from_db()
        later = OrderFactory(
            seller=seller,
            buyer=BuyerFactory(),
            placed_at=seller.accepting_changed_at + timedelta(minutes=1),
        )
        with pytest.raises(MessageRefused) as refused:
            _buyer_writes(later)
        assert refused.value.refusal.rule == "R18"
        assert "Acme Outfitters is not accepting messages" in refused.value.refusal.message
        assert _buyer_writes(earlier).case.seller_id == seller.pk

    def test_r18_new_buyer_can_write_again_after_turning_back_on(self, seller, seller_client):
        seller_client.post(MESSAGING_SETTINGS, {"accepting": "off"})
        seller.refresh_from_db()
        later = OrderFactory(
            seller=seller, placed_at=seller.accepting_changed_at + timedelta(minutes=1)
        )
        seller_client.post(MESSAGING_SETTINGS, {"accepting": "on"})
        later.seller.refresh_from_db()
        assert _buyer_writes(later).case.order_id == later.pk

    def test_invalid_choice_is_an_error_and_changes_nothing(self, seller, seller_client):
        response = seller_client.post(MESSAGING_SETTINGS, {"accepting": "maybe"})
        assert response.status_code == HTTPStatus.OK
        assert "accepting" in response.context["form"].errors
        seller.refresh_from_db()
        assert seller.accepting_buyer_messages is True
        assert seller.accepting_changed_at is None

    def test_buyer_gets_403(self, buyer_client):
        assert buyer_client.get(MESSAGING_SETTINGS).status_code == HTTPStatus.FORBIDDEN
        response = buyer_client.post(MESSAGING_SETTINGS, {"accepting": "off"})
        assert response.status_code == HTTPStatus.FORBIDDEN


class TestNavbar:
    def test_seller_navbar_has_the_settings_dropdown(self, seller_client, seller_owner):
        text = seller_client.get(PREFERENCES).text
        assert 'data-bs-toggle="dropdown"' in text
        assert f'href="{PREFERENCES}"' in text
        assert f'href="{MESSAGING_SETTINGS}"' in text
        assert "Accept buyer messages" in text
        assert seller_owner.email in text  # in the dropdown, "Signed in as …"
