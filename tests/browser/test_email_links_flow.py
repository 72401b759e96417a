"""The one-click links of a "Buyer Messages" copy email (R22, R15), opened in a real browser by
someone who is not signed in: the link shows a confirmation page, only its button acts; a
tampered or expired link says so plainly."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from playwright.sync_api import expect

from cases.models import ResponseState
from messaging.email.services import outbound
from messaging.models import Message, OutboundEmail
from tests.factories import NotificationPreferencesFactory, SellerAccountFactory
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)

COPIES = "orders@acme.example.com"


def _copy_email_link(action_label: str) -> str:
    """The link labelled `action_label` in the text part of the one copy email sent."""
    copies = [m for m in mail.outbox if m.to == [COPIES]]
    assert len(copies) == 1, [m.subject for m in mail.outbox]
    match = re.search(rf"^{re.escape(action_label)}: (\S+)$", copies[0].body, re.MULTILINE)
    assert match, copies[0].body
    return match.group(1)


@pytest.fixture
def buyer_message(settings, live_server):
    """A buyer message to a seller whose copies go to COPIES, links pointing at this server."""
    settings.SITE_URL = live_server.url
    seller = SellerAccountFactory(business_name="Acme Outfitters", slug="acme")
    NotificationPreferencesFactory(
        seller=seller, buyer_message_copies=True, buyer_message_copies_email=COPIES
    )
    mail.outbox.clear()
    message = buyer_opens_case(
        seller=seller, subject="Wrong size", body="The shoes I got are a size too small."
    )
    assert message.response_state == ResponseState.NEEDED
    sent = OutboundEmail.objects.get(message=message, kind=OutboundEmail.Kind.COPY_TO_SELLER)
    assert sent.status == OutboundEmail.Status.SENT
    return message


def test_no_response_needed_link_confirms_then_acts_without_signing_in(
    page, live_server, buyer_message
):
    link = _copy_email_link("Mark as no response needed")
    assert link.startswith(f"{live_server.url}/email/action/")

    page.goto(link)
    expect(page).to_have_url(link)  # no sign-in page in between
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark as no response needed")
    expect(page.locator(".card")).to_contain_text("Wrong size")
    expect(page.locator(".card")).to_contain_text("a size too small")
    # Opening the link (what a mail scanner does) changed nothing.
    buyer_message.refresh_from_db()
    assert buyer_message.response_state == ResponseState.NEEDED

    page.get_by_role("button", name="Mark as no response needed").click()
    expect(page.locator("#email-action-done")).to_contain_text(
        "this message no longer needs a response"
    )
    buyer_message.refresh_from_db()
    assert buyer_message.response_state == ResponseState.NO_RESPONSE_NEEDED
    assert buyer_message.no_response_needed_via == "email link"

    # Opening the link again is harmless: it says the message is marked already, offers the
    # case instead of the button, and nothing changes.
    marked_at = buyer_message.no_response_needed_at
    page.goto(link)
    expect(page.locator("#email-action-already")).to_contain_text("already marked")
    expect(page.get_by_role("button", name="Mark as no response needed")).to_have_count(0)
    expect(page.get_by_role("link", name="Open the case in Seller Central")).to_be_visible()
    buyer_message.refresh_from_db()
    assert buyer_message.response_state == ResponseState.NO_RESPONSE_NEEDED
    assert buyer_message.no_response_needed_at == marked_at


def test_tampered_link_is_refused_with_a_clear_page(page, buyer_message):
    link = _copy_email_link("Mark as no response needed")
    token = urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    page.goto(link.replace(token, tampered))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    expect(page.locator("#email-action-problem")).to_contain_text("was changed")
    expect(page.get_by_role("button", name="Mark as no response needed")).to_have_count(0)
    assert Message.objects.get(pk=buyer_message.pk).response_state == ResponseState.NEEDED


def test_expired_link_is_refused_with_a_clear_page(page, live_server, buyer_message):
    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            too_old = outbound.ACTION_MAX_AGE.total_seconds() + 3600
            return signing.b62_encode(int(time.time() - too_old))

    token = SignedLongAgo(salt=outbound.ACTION_SALT).sign_object(
        {"m": buyer_message.pk, "a": "nrn"}, compress=True
    )
    assert outbound.action_token_read(
        outbound.action_token(message=buyer_message, action="nrn")
    ) == (buyer_message.pk, "nrn")
    page.goto(f"{live_server.url}/email/action/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    expect(page.locator("#email-action-problem")).to_contain_text("30 days")
    expect(page.get_by_role("button", name="Mark as no response needed")).to_have_count(0)
    assert Message.objects.get(pk=buyer_message.pk).response_state == ResponseState.NEEDED
