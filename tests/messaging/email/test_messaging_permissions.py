"""Messaging Permissions (R11): owners add an address, its mailbox confirms it through a signed
link, owners block and unblock it; members see the list read-only."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import SellerMembership
from core.refusals import MessageRefused
from messaging.email.services import permissions
from messaging.models import MessagingPermission
from tests.clients import signed_in_client
from tests.factories import seller_user

URL = reverse("messaging:messaging_permissions")
ADDRESS = "support@acme-outfitters.example"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def _confirmation_link() -> str:
    (email,) = [e for e in mail.outbox if e.to == [ADDRESS]]
    return re.search(r"http://\S+/settings/messaging-permissions/confirm/\S+/", email.body).group(0)


def test_r11_the_owner_adds_an_address_and_its_mailbox_approves_it_through_the_link(
    seller, seller_owner, client, on_commit
):
    owner_client = signed_in_client(seller_owner)
    response = on_commit(lambda: owner_client.post(URL, {"email": ADDRESS.upper()}))
    assert response.status_code == 302
    permission = MessagingPermission.objects.get()
    assert permission.email == ADDRESS
    assert permission.status == MessagingPermission.Status.PENDING
    assert permission.added_by == seller_owner
    link = _confirmation_link().removeprefix("http://127.0.0.1:8000")
    page = client.get(link)  # anyone holding the mailbox; a GET changes nothing
    assert "Approve" in page.text
    permission.refresh_from_db()
    assert permission.status == MessagingPermission.Status.PENDING
    client.post(link)
    permission.refresh_from_db()
    assert permission.status == MessagingPermission.Status.APPROVED
    assert permission.confirmed_at is not None
    listing = owner_client.get(URL)
    assert ADDRESS in listing.text
    assert "Approved" in listing.text
    assert seller_owner.email in listing.text  # who added it


def test_r11_a_tampered_confirmation_link_approves_nothing(seller, seller_owner, client, on_commit):
    on_commit(lambda: signed_in_client(seller_owner).post(URL, {"email": ADDRESS}))
    link = _confirmation_link().removeprefix("http://127.0.0.1:8000")
    response = client.post(link.replace("/confirm/", "/confirm/x"))
    assert response.status_code == 400
    assert MessagingPermission.objects.get().status == MessagingPermission.Status.PENDING


def test_r11_members_see_the_list_read_only_and_are_told_who_can_change_it(
    seller, seller_owner, on_commit
):
    permissions.permission_add(seller=seller, actor=seller_owner, email=ADDRESS)
    member = seller_user(seller, role=SellerMembership.Role.MEMBER)
    client = signed_in_client(member)
    page = client.get(URL)
    assert ADDRESS in page.text
    assert "Only the account owner" in page.text
    assert seller_owner.email in page.text
    assert 'id="permission-add-form"' not in page.text
    assert client.post(URL, {"email": "other@example.com"}).status_code == 403
    permission = MessagingPermission.objects.get()
    block = reverse("messaging:messaging_permission_block", args=[permission.pk])
    assert client.post(block, {"action": "block"}).status_code == 403
    assert MessagingPermission.objects.count() == 1
    assert MessagingPermission.objects.get().status == MessagingPermission.Status.PENDING


def test_r11_block_and_unblock_keep_the_confirmation(seller, seller_owner):
    permission = permissions.permission_add(seller=seller, actor=seller_owner, email=ADDRESS)
    permissions.permission_confirm(permission_id=permission.pk, email=ADDRESS)
    client = signed_in_client(seller_owner)
    block = reverse("messaging:messaging_permission_block", args=[permission.pk])
    client.post(block, {"action": "block"})
    permission.refresh_from_db()
    assert permission.status == MessagingPermission.Status.BLOCKED
    # a blocked address cannot approve itself again through an old link
    with pytest.raises(MessageRefused):
        permissions.permission_confirm(permission_id=permission.pk, email=ADDRESS)
    client.post(block, {"action": "unblock"})
    permission.refresh_from_db()
    assert permission.status == MessagingPermission.Status.APPROVED


def test_r11_another_sellers_permission_is_not_found(seller, seller_owner, other_seller):
    other_owner = seller_user(other_seller)
    theirs = permissions.permission_add(seller=other_seller, actor=other_owner, email=ADDRESS)
    block = reverse("messaging:messaging_permission_block", args=[theirs.pk])
    assert signed_in_client(seller_owner).post(block, {"action": "block"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == MessagingPermission.Status.PENDING


def test_r11_adding_an_approved_address_again_says_so(seller, seller_owner):
    permission = permissions.permission_add(seller=seller, actor=seller_owner, email=ADDRESS)
    permissions.permission_confirm(permission_id=permission.pk, email=ADDRESS)
    page = signed_in_client(seller_owner).post(URL, {"email": ADDRESS})
    assert page.status_code == 200
    assert "already approved" in page.text
