"""Signing in reads a member's seller with the user (accounts.backends.UserWithSellerBackend),
so a Seller Central page does not ask for the membership again (issue 13)."""

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import SellerMembership

INBOX = reverse("messaging:inbox")


def _membership_queries(captured) -> int:
    return sum(
        'FROM "accounts_sellermembership"' in q["sql"] and "accounts_user" not in q["sql"]
        for q in captured.captured_queries
    )


def test_a_seller_page_reads_the_membership_with_the_user(seller_client):
    with CaptureQueriesContext(connection) as captured:
        assert seller_client.get(INBOX).status_code == 200
    assert _membership_queries(captured) == 0
    user_queries = [
        q["sql"] for q in captured.captured_queries if 'FROM "accounts_user"' in q["sql"]
    ]
    assert len(user_queries) == 1
    assert "accounts_sellermembership" in user_queries[0]


def test_a_buyer_has_no_membership_and_no_seller_pages(buyer_client):
    assert buyer_client.get(INBOX).status_code == 403
    assert buyer_client.get(reverse("messaging:buyer_message_center")).status_code == 200


def test_a_member_removed_loses_the_seller_pages_at_the_next_request(seller, seller_owner):
    member = SellerMembership.objects.create(
        seller=seller, user=type(seller_owner).objects.create_user(email="helper@shop.example")
    )
    client = Client()
    client.force_login(member.user)
    assert client.get(INBOX).status_code == 200
    member.delete()
    assert client.get(INBOX).status_code == 403


def test_a_session_signed_in_through_modelbackend_still_works(seller_owner):
    """Sessions from before the backend changed keep their backend path (it stays listed)."""
    client = Client()
    client.force_login(seller_owner, backend="django.contrib.auth.backends.ModelBackend")
    assert client.session[SESSION_KEY] == str(seller_owner.pk)
    assert client.get(INBOX).status_code == 200
