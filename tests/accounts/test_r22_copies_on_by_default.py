"""R22: "Buyer Messages" copies are on by default, to the account's email, for new sellers; the
owner can still turn them off; sellers that existed before keep what they had (accounts/0006)."""

import importlib

from django.apps import apps as global_apps
from django.urls import reverse

from accounts.models import NotificationPreferences
from accounts.selectors import notification_preferences_for_seller
from accounts.services import notification_preferences_update
from messaging.models import OutboundEmail
from tests.factories import SellerAccountFactory, seller_user
from tests.messaging.helpers import buyer_opens_case


def test_r22_a_new_seller_gets_copies_on_to_the_account_email(seller, seller_owner):
    preferences = notification_preferences_for_seller(seller=seller)
    assert preferences.buyer_message_copies is True
    assert preferences.buyer_message_copies_email == seller_owner.email


def test_r22_the_settings_page_of_a_new_seller_shows_copies_on_to_the_account_email(
    seller_owner, seller_client
):
    page = seller_client.get(reverse("accounts:notification_preferences")).text
    summary = page.split('id="buyer-message-copies-summary"')[1].split("</dd>")[0]
    assert "A copy of every buyer message goes to" in summary
    assert seller_owner.email in summary


def test_r22_a_buyer_message_is_copied_to_the_account_email_by_default(seller, seller_owner):
    buyer_opens_case(seller=seller)
    copy = OutboundEmail.objects.get(kind=OutboundEmail.Kind.COPY_TO_SELLER)
    assert copy.recipient == seller_owner.email


def test_r22_the_owner_can_still_turn_copies_off(seller, seller_owner):
    notification_preferences_for_seller(seller=seller)
    notification_preferences_update(
        seller=seller,
        buyer_message_copies=False,
        buyer_message_copies_email=seller_owner.email,
        opt_out_bounces=True,
        actor=seller_owner,
    )
    buyer_opens_case(seller=seller)
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.COPY_TO_SELLER).exists()


def test_r22_existing_sellers_keep_copies_off_after_the_migration(db):
    """The data step of accounts/0006: a seller without saved preferences had no copies, and
    keeps none; saved preferences stay as they were."""
    migration = importlib.import_module("accounts.migrations.0006_copies_on_by_default")
    never_saved = SellerAccountFactory()
    seller_user(never_saved)
    chose_on = SellerAccountFactory()
    NotificationPreferences.objects.create(
        seller=chose_on, buyer_message_copies=True, buyer_message_copies_email="a@b.example"
    )
    migration.keep_existing_sellers_off(global_apps, None)
    assert NotificationPreferences.objects.get(seller=never_saved).buyer_message_copies is False
    kept = NotificationPreferences.objects.get(seller=chose_on)
    assert (kept.buyer_message_copies, kept.buyer_message_copies_email) == (True, "a@b.example")
