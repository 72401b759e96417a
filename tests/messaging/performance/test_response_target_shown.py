"""R21's response target, where pages state it, is the setting MESSAGING_RESPONSE_TARGET_HOURS
(the inbox's, with its rows, is in tests/messaging/inbox/test_inbox_rows_and_alias_search.py)."""

import pytest
from django.urls import reverse

from accounts.models import SellerAccount
from messaging.policy_page import policy_section
from tests.clients import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_hours(settings):
    settings.MESSAGING_RESPONSE_TARGET_HOURS = 12


def test_messaging_settings_state_the_target(seller, seller_client, twelve_hours):
    SellerAccount.objects.filter(pk=seller.pk).update(accepting_buyer_messages=False)
    page = seller_client.get(reverse("accounts:messaging_settings")).text
    assert "keep answering them within 12 hours." in page
    assert "still count against the 12-hour response target." in page
    assert "24 hours" not in page
    assert "24-hour" not in page


def test_the_response_time_page_and_its_csv_state_the_target(seller_owner, twelve_hours):
    client = signed_in_client(seller_owner)
    page = client.get(reverse("messaging:response_time")).text
    assert "Buyers expect an answer within 12 hours." in page
    assert "24 hours" not in page
    response = client.get(reverse("messaging:response_time_csv"))
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header == "day,counted,within_12h,later,unanswered,average_response_hours"


def test_the_policy_states_the_target_of_the_settings(settings):
    section = policy_section("R21")
    assert section is not None
    hours = settings.MESSAGING_RESPONSE_TARGET_HOURS
    assert section.text[0].startswith(
        f"Sellers should answer every buyer message within {hours} hours."
    )
