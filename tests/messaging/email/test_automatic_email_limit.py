"""The rate limit on automatic emails (issue 22, findings 6 and 7): bounce-backs and Messaging
Permissions confirmations to any one address, at most MESSAGING_AUTOMATIC_EMAILS_PER_HOUR an
hour and MESSAGING_AUTOMATIC_EMAILS_PER_DAY a day. Past that they are kept in the outbox as
"suppressed (rate limit)", with the reason, for staff to see; nothing is silently dropped."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.refusals import Refusal
from messaging.email.services import outbound, permissions
from messaging.models import OutboundEmail
from tests.clients import signed_in_client
from tests.factories import OutboundEmailFactory, SellerAccountFactory, StaffFactory, seller_user

pytestmark = pytest.mark.django_db(transaction=True)

VICTIM = "Victim@Example.org"
REFUSAL = Refusal(rule="R11", message="Not an approved address.")


def _bounce(n: int, recipient: str = VICTIM) -> OutboundEmail:
    """A bounce queued (and, Celery being eager, sent unless suppressed), as it is now."""
    row = outbound.bounce(
        recipient=recipient, key=f"test-bounce:{n}", refusal=REFUSAL, subject="BUY CHEAP PILLS"
    )
    assert row is not None
    row.refresh_from_db()
    return row


def test_confirmations_to_one_address_past_the_hourly_limit_are_kept_suppressed(settings):
    """Anyone can open a seller account and add any address: seven sellers adding the same
    one send it five confirmations an hour, not seven."""
    settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR = 5
    for _ in range(7):
        seller = SellerAccountFactory()
        permissions.permission_add(seller=seller, actor=seller_user(seller), email=VICTIM)
    rows = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.PERMISSION_CONFIRMATION)
    assert rows.count() == 7
    assert rows.filter(status=OutboundEmail.Status.SENT).count() == 5
    assert len(mail.outbox) == 5
    suppressed = rows.filter(status=OutboundEmail.Status.SUPPRESSED)
    assert suppressed.count() == 2
    assert all("rate limit" in row.last_error for row in suppressed)


def test_bounces_past_the_hourly_limit_are_kept_suppressed_not_sent(settings):
    settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR = 3
    rows = [_bounce(n) for n in range(5)]
    assert [row.status for row in rows] == ["sent"] * 3 + ["suppressed"] * 2
    assert len(mail.outbox) == 3
    assert "3 bounces or confirmation emails" in rows[-1].last_error
    assert "last hour" in rows[-1].last_error
    # the address as given, in another case: the same address
    assert _bounce(5, recipient=VICTIM.upper()).status == OutboundEmail.Status.SUPPRESSED
    # another address has its own allowance
    assert _bounce(6, recipient="someone-else@example.org").status == OutboundEmail.Status.SENT


def test_the_daily_limit_counts_the_last_day_and_older_emails_do_not_count(settings):
    settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR = 100
    settings.MESSAGING_AUTOMATIC_EMAILS_PER_DAY = 4
    now = timezone.now()
    for hours in (2, 5, 23):
        OutboundEmailFactory(recipient=VICTIM, created_at=now - timedelta(hours=hours))
    OutboundEmailFactory(recipient=VICTIM, created_at=now - timedelta(hours=25))  # a day ago
    assert _bounce(1).status == OutboundEmail.Status.SENT  # the fourth of the day
    row = _bounce(2)
    assert row.status == OutboundEmail.Status.SUPPRESSED
    assert "last day" in row.last_error


def test_suppressed_emails_do_not_count_against_the_limit_and_are_never_sent_later(settings):
    settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR = 1
    assert _bounce(1).status == OutboundEmail.Status.SENT
    for n in range(2, 6):
        assert _bounce(n).status == OutboundEmail.Status.SUPPRESSED
    OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    assert _bounce(6).status == OutboundEmail.Status.SENT  # the next hour
    # the sweep re-queues pending emails only: a suppressed one stays unsent
    suppressed = OutboundEmail.objects.filter(status=OutboundEmail.Status.SUPPRESSED).first()
    outbound.outbound_email_deliver(suppressed.pk)
    suppressed.refresh_from_db()
    assert suppressed.status == OutboundEmail.Status.SUPPRESSED
    assert len(mail.outbox) == 2


def test_messages_to_buyers_are_not_rate_limited(settings, seller, seller_owner):
    from tests.messaging.helpers import buyer_opens_case, seller_replies

    settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR = 1
    case = buyer_opens_case(seller=seller).case
    for n in range(3):
        seller_replies(case, seller_owner, body=f"Reply {n}")
    rows = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.TO_BUYER)
    assert [row.status for row in rows] == ["sent"] * 3


def test_staff_see_suppressed_emails_in_the_outbox(settings):
    settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR = 1
    _bounce(1)
    _bounce(2)
    staff = signed_in_client(StaffFactory(is_superuser=True))
    url = reverse("admin:messaging_outboundemail_changelist")
    page = staff.get(url, {"status__exact": "suppressed"})
    assert page.status_code == 200
    assert "Suppressed (rate limit)" in page.text
    assert "victim@example.org" in page.text.lower()
