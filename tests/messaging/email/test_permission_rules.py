"""Finding 7 of issue 22 (Messaging Permissions, R11): the same pending address added ten times
sent ten confirmation emails, and addresses on our alias domain, our own no-reply address and a
buyer's real address were accepted. Now a pending address added again within LINK_RESEND_AFTER
gets no new link and the owner reads when the last one went out and that it still works; the
other addresses are refused with a field error in words, nothing stored, nothing sent."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils.html import escape

from core.refusals import MessageRefused
from messaging.email.services import permissions
from messaging.models import MessagingPermission, OutboundEmail
from tests.factories import BuyerFactory, SellerAccountFactory, seller_user

pytestmark = pytest.mark.django_db

URL = reverse("messaging:messaging_permissions")
ADDRESS = "support@acme-outfitters.example"


def _confirmations() -> int:
    return OutboundEmail.objects.filter(kind=OutboundEmail.Kind.PERMISSION_CONFIRMATION).count()


def _refused(seller_client, email: str, message: str) -> None:
    response = seller_client.post(URL, {"email": email})
    assert response.status_code == HTTPStatus.OK
    assert escape(message) in response.text
    assert not MessagingPermission.objects.exists()
    assert _confirmations() == 0


# ---- the same pending address again


def test_finding7_a_pending_address_added_ten_times_is_sent_one_link(seller_client):
    first = seller_client.post(URL, {"email": ADDRESS})
    assert first.status_code == HTTPStatus.FOUND
    for _ in range(9):
        again = seller_client.post(URL, {"email": ADDRESS.upper()})
        assert again.status_code == HTTPStatus.OK
        assert "We emailed a confirmation link to support@acme-outfitters.example at" in again.text
        assert "it still works" in again.text
        assert "Nothing was sent again" in again.text
    assert _confirmations() == 1
    assert MessagingPermission.objects.get().status == MessagingPermission.Status.PENDING


def test_finding7_the_owner_reads_when_the_link_was_sent_and_until_when_it_works(
    seller, seller_owner
):
    permissions.permission_add(seller=seller, actor=seller_owner, email=ADDRESS)
    sent = OutboundEmail.objects.get().created_at
    with pytest.raises(MessageRefused) as refused:
        permissions.permission_add(seller=seller, actor=seller_owner, email=ADDRESS)
    message = refused.value.refusal.message
    assert f"at {sent:%b} {sent.day}, {sent:%Y %H:%M} UTC" in message
    until = sent + timedelta(days=7)
    assert f"until {until:%b} {until.day}, {until:%Y %H:%M} UTC" in message


def test_r11_a_new_link_goes_out_once_the_last_one_is_old_enough(seller, seller_owner):
    permissions.permission_add(seller=seller, actor=seller_owner, email=ADDRESS)
    OutboundEmail.objects.update(
        created_at=OutboundEmail.objects.get().created_at
        - permissions.LINK_RESEND_AFTER
        - timedelta(seconds=1)
    )
    permissions.permission_add(seller=seller, actor=seller_owner, email=ADDRESS)
    assert _confirmations() == 2


def test_r11_another_seller_adding_the_same_address_is_not_held_back(seller, seller_owner):
    permissions.permission_add(seller=seller, actor=seller_owner, email=ADDRESS)
    other = SellerAccountFactory()
    permissions.permission_add(seller=other, actor=seller_user(other), email=ADDRESS)
    assert _confirmations() == 2


# ---- addresses that are never a seller's


@pytest.mark.parametrize(
    "email",
    [
        "anything@m.alphadiscounters.com",
        "Buyer-Ab12Cd34Ef@M.AlphaDiscounters.com",
        "x@relay.m.alphadiscounters.com",
    ],
)
def test_finding7_an_address_on_the_alias_domain_is_refused(seller_client, email):
    _refused(
        seller_client,
        email,
        f"{email.lower()} is an address at m.alphadiscounters.com, where AlphaDiscounters "
        "gives buyers and sellers their anonymous addresses",
    )


def test_r11_a_lookalike_of_the_alias_domain_is_still_accepted(seller_client):
    response = seller_client.post(URL, {"email": "me@xm.alphadiscounters.com"})
    assert response.status_code == HTTPStatus.FOUND


def test_finding7_our_own_sending_addresses_are_refused(seller_client, settings):
    settings.DEFAULT_FROM_EMAIL = "AlphaDiscounters <no-reply@alphadiscounters.com>"
    settings.SERVER_EMAIL = "server@alphadiscounters.com"
    for email in ("no-reply@alphadiscounters.com", "SERVER@alphadiscounters.com"):
        _refused(
            seller_client,
            email,
            f"{email.lower()} is an address AlphaDiscounters sends its own emails from",
        )


def test_finding7_a_buyers_real_address_is_never_sent_a_link(seller_client):
    """Accepted as pending, as any address would be (refusing it in words would tell the seller
    that the address belongs to a buyer), but never emailed a link, so it cannot be approved."""
    buyer = BuyerFactory(email="pat.buyer@example.org")
    response = seller_client.post(URL, {"email": buyer.email.upper()})
    assert response.status_code == HTTPStatus.FOUND
    permission = MessagingPermission.objects.get(email="pat.buyer@example.org")
    assert permission.status == MessagingPermission.Status.PENDING
    assert _confirmations() == 0
    other = seller_client.post(URL, {"email": "pat.seller@example.org"})
    assert other.status_code == HTTPStatus.FOUND
    assert _confirmations() == 1


def test_r11_a_seller_members_own_sign_in_address_is_accepted(seller, seller_client):
    member = seller_user(seller, user__email="ann@acme-outfitters.example")
    response = seller_client.post(URL, {"email": member.email})
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize("email", ["a@b.example\r\nBcc: everyone@example.org", "a@b.example\nx"])
def test_r11_an_address_with_a_line_break_is_a_field_error(seller_client, email):
    response = seller_client.post(URL, {"email": email})
    assert response.status_code == HTTPStatus.OK
    assert "Enter a valid email address." in response.text
    assert not MessagingPermission.objects.exists()


def test_finding7_an_address_longer_than_its_column_is_a_field_error_not_a_500(seller_client):
    response = seller_client.post(URL, {"email": "a" * 250 + "@b.example"})
    assert response.status_code == HTTPStatus.OK
    assert "at most 254 characters" in response.text
    assert not MessagingPermission.objects.exists()


def test_finding7_the_service_refuses_control_characters_on_its_own(seller, seller_owner):
    with pytest.raises(MessageRefused) as refused:
        permissions.permission_add(seller=seller, actor=seller_owner, email="a@b.example\x00x")
    assert refused.value.refusal.message == permissions.ONE_LINE_MSG
