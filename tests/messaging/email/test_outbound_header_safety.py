"""Header values we build (SPEC section 5): a business name, subject or address with a line
break in it is sent on one line, never a broken or forged header, never a failed email
(issue 22, the header half of finding 9: a business name with CR/LF made every email to that
seller's buyers fail)."""

import re
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core import mail

from accounts.models import SellerAccount
from cases.services import cases_closing_warn
from messaging.email.services import outbound, permissions
from messaging.models import OutboundEmail
from tests.factories import OutboundEmailFactory
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db(transaction=True)

FORGING_NAME = "Acme\r\nBcc: victim@evil.example\r\nX-Injected: yes\u2028Outfitters"


@pytest.fixture
def forging_seller(seller):
    # As the admin form saved it before it refused line breaks (helper B's validation).
    SellerAccount.objects.filter(pk=seller.pk).update(business_name=FORGING_NAME)
    seller.refresh_from_db()
    return seller


def _one_line_headers(email) -> None:
    """Every header one logical line: a long one may be folded (a line break then a space),
    nothing else breaks a line, and no header came from a value of ours."""
    message = email.message()
    for name, value in message.items():
        unfolded = re.sub(r"\r?\n[ \t]", " ", str(value))
        assert "\n" not in unfolded, name
        assert "\r" not in unfolded, name
    assert "Bcc" not in message
    assert "X-Injected" not in message
    assert "victim@evil.example" not in email.recipients()


def test_finding9_a_business_name_with_a_line_break_does_not_make_emails_to_buyers_fail(
    forging_seller, seller_owner
):
    case = buyer_opens_case(seller=forging_seller).case
    mail.outbox.clear()
    reply = seller_replies(case, seller_owner, body="It ships today.")
    row = OutboundEmail.objects.get(message=reply, kind=OutboundEmail.Kind.TO_BUYER)
    assert row.status == OutboundEmail.Status.SENT, row.last_error
    (email,) = [e for e in mail.outbox if e.to == [case.buyer.email]]
    name, address = parseaddr(email.from_email)
    assert name == "Acme Bcc: victim@evil.example X-Injected: yes Outfitters"
    assert address == case.relationship.seller_alias
    _one_line_headers(email)


def test_the_closing_warning_and_the_permission_confirmation_survive_a_line_break_in_the_name(
    forging_seller, seller_owner
):
    case = buyer_opens_case(seller=forging_seller).case
    mail.outbox.clear()
    for warned in cases_closing_warn(now=case.last_activity_at + timedelta(days=13, hours=12)):
        outbound.case_closing_warning(warned)
    permissions.permission_add(
        seller=forging_seller, actor=seller_owner, email="support@acme-outfitters.example"
    )
    rows = OutboundEmail.objects.filter(
        kind__in=[OutboundEmail.Kind.CASE_CLOSING, OutboundEmail.Kind.PERMISSION_CONFIRMATION]
    )
    assert {row.kind for row in rows} == {"closing", "permission"}
    assert {row.status for row in rows} == {OutboundEmail.Status.SENT}
    for email in mail.outbox:
        _one_line_headers(email)


def test_an_email_queued_with_a_line_break_before_the_fix_is_sent_on_one_line():
    row = OutboundEmailFactory(
        from_email='"Acme\r\nBcc: victim@evil.example" <no-reply@alphadiscounters.com>',
        subject="Not delivered:\r\nBcc: victim@evil.example",
        payload={"text": "Because.", "html": "", "headers": {"X-Note": "a\r\nBcc: x@evil.example"}},
    )
    outbound.outbound_email_deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    (email,) = mail.outbox
    _one_line_headers(email)
