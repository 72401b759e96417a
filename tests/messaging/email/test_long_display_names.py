"""A business name up to its 200 characters in any script reaches the buyer as the From: name:
the encoded header (non-ASCII names are base64-encoded, several characters each) is held to
OutboundEmail.from_email's column by cutting the name at a word, with "…"; a 200-character
Japanese name failed every message of that seller in the database."""

from email.header import decode_header, make_header
from email.utils import parseaddr

import pytest
from django.core import mail

from messaging.email.services.outbound import display_address
from messaging.models import OutboundEmail
from tests.factories import SellerAccountFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

ALIAS = "seller-abcdefghij1234@m.alphadiscounters.com"
FROM_MAX_LENGTH = OutboundEmail._meta.get_field("from_email").max_length
NAMES = [
    "東京ストア" * 40,
    "Ünïcödé Nämé " * 15 + "Ltd",
    '"Quoted" \\ Name ' * 12,
    "A" * 200,
    "Acme Outfitters",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_display_address_fits_the_column_and_keeps_the_address(name):
    value = display_address(name, ALIAS)
    assert len(value) <= FROM_MAX_LENGTH
    shown, address = parseaddr(str(make_header(decode_header(value))))
    assert address == ALIAS
    assert shown[:5] == name[:5]


def test_a_short_name_is_kept_whole():
    assert display_address("Acme Outfitters", ALIAS) == f"Acme Outfitters <{ALIAS}>"


@pytest.mark.parametrize("name", NAMES[:3])
def test_a_seller_with_a_long_name_in_any_script_reaches_the_buyer(
    name, django_capture_on_commit_callbacks
):
    seller = SellerAccountFactory(business_name=name[:200], slug="long-name")
    case = buyer_opens_case(seller=seller).case
    with django_capture_on_commit_callbacks(execute=True):
        reply = seller_replies(case, seller_user(seller))
    email = OutboundEmail.objects.get(message=reply)
    assert email.status == OutboundEmail.Status.SENT
    (sent,) = [m for m in mail.outbox if m.to == [case.buyer.email]]
    assert case.relationship.seller_alias in sent.from_email
