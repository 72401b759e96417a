"""No backscatter (issue 22, finding 6): a refused mail never makes us email someone who did not
send it. A bounce goes only to a From address that authenticated, never to the envelope sender
(anyone can write any address there); a mail that does not authenticate is refused at SMTP
time, so the sending server, not we, tells its sender; and bounces to any one address are
rate-limited (test_automatic_email_limit.py)."""

import smtplib

import pytest
from django.core import mail as django_mail

from messaging.models import InboundMail, OutboundEmail
from tests.messaging.email.inbound_mail import TOKEN, mail, smtp_send, webhook_post
from tests.messaging.email.mailauth import dkim_sign
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)

VICTIM = "victim@victim.example"
SPAMMER = "offers@spam.example"
PILLS = "BUY CHEAP PILLS"


@pytest.fixture
def alias(seller, dns_zone):
    """A live alias, and a victim domain whose servers are not on loopback (SPF fails here)."""
    dns_zone.spf("victim.example", "v=spf1 ip4:192.0.2.10 -all")
    dns_zone.spf("spam.example", "v=spf1 ip4:192.0.2.20 -all")
    return buyer_opens_case(seller=seller).case.relationship.seller_alias


def _bounces() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=OutboundEmail.Kind.BOUNCE))


def test_finding6_a_refused_mail_with_a_forged_envelope_sender_is_not_bounced_to_the_victim(
    relay, alias
):
    """The probe: spam to a live alias with the victim as envelope sender and From. It was
    refused (not the buyer's address) and we emailed the victim "Not delivered: BUY CHEAP
    PILLS…". Now it is refused at SMTP time and nobody is mailed."""
    django_mail.outbox.clear()
    spam = mail(sender=VICTIM, to=alias, subject=PILLS, body="Cheap pills at pills.example")
    with pytest.raises(smtplib.SMTPDataError) as refused:
        smtp_send(relay, spam, to=alias, envelope_from=VICTIM)
    assert refused.value.smtp_code == 550
    stored = InboundMail.objects.get()
    assert stored.status == InboundMail.Status.REFUSED
    assert not _bounces()
    assert not django_mail.outbox


def test_finding6_the_bounce_of_an_authenticated_sender_goes_to_its_from_not_the_envelope(
    relay, alias
):
    """Signed by its own domain, so it is proven to be from the spammer; refused (the alias
    takes mail only from its buyer); the bounce goes to the spammer's From, not to the victim
    it named as envelope sender."""
    django_mail.outbox.clear()
    signed = dkim_sign(mail(sender=SPAMMER, to=alias, subject=PILLS, body="x"), "spam.example")
    smtp_send(relay, signed, to=alias, envelope_from=VICTIM)
    stored = InboundMail.objects.get()
    assert stored.status == InboundMail.Status.REFUSED
    assert stored.authenticated_from == SPAMMER
    (bounce,) = _bounces()
    assert bounce.recipient == SPAMMER
    assert [e.to for e in django_mail.outbox] == [[SPAMMER]]


def test_finding6_the_webhook_mails_nobody_about_a_forged_sender(client, settings, alias):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    django_mail.outbox.clear()
    spam = mail(sender=VICTIM, to=alias, subject=PILLS, body="x")
    response = webhook_post(client, spam, sender=VICTIM, client_ip="198.51.100.7")
    assert response.status_code == 202
    assert InboundMail.objects.get().status == InboundMail.Status.REFUSED
    assert not _bounces()
    assert not django_mail.outbox


def test_bounces_to_one_authenticated_sender_stop_at_the_hourly_limit(relay, alias, settings):
    """A real sender whose mail keeps being refused hears about it, up to the limit; the
    rest is kept in the outbox, suppressed, for staff."""
    settings.MESSAGING_AUTOMATIC_EMAILS_PER_HOUR = 2
    django_mail.outbox.clear()
    for n in range(4):
        signed = dkim_sign(mail(sender=SPAMMER, to=alias, subject=f"{PILLS} {n}"), "spam.example")
        smtp_send(relay, signed, to=alias, envelope_from=SPAMMER)
    statuses = sorted(bounce.status for bounce in _bounces())
    assert statuses == ["sent", "sent", "suppressed", "suppressed"]
    assert len(django_mail.outbox) == 2
    assert InboundMail.objects.filter(status=InboundMail.Status.REFUSED).count() == 4


def test_an_automatic_reply_is_never_bounced_even_when_authenticated(relay, alias):
    signed = dkim_sign(
        mail(sender=SPAMMER, to=alias, subject="Out of office", Auto_Submitted="auto-replied"),
        "spam.example",
    )
    smtp_send(relay, signed, to=alias, envelope_from=SPAMMER)
    assert InboundMail.objects.get().status == InboundMail.Status.REFUSED
    assert not _bounces()
