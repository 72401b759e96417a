"""Sender authentication of inbound mail, end to end (issue 22, finding 1): over loopback SMTP
to the relay, and through the webhook. Mail whose From is not proven by SPF, DKIM and DMARC is
refused (550 at SMTP time, recorded as refused on the webhook), kept for staff with the result,
and nobody is mailed; DKIM-signed mail from another server and forwarded mail still arrive.

The DNS answers come from the test zone (tests/conftest.py, tests/messaging/email/mailauth.py):
by default every domain lets 127.0.0.1 send (SPF) and publishes the test DKIM key."""

import smtplib

import pytest
from django.core import mail as django_mail
from django.urls import reverse

from messaging.email.services.inbound import inbound_mail_process
from messaging.models import InboundMail, Message, OutboundEmail
from tests.clients import signed_in_client
from tests.factories import InboundMailFactory, OrderFactory, StaffFactory
from tests.messaging.email.inbound_mail import TOKEN, approved, mail, smtp_send, webhook_post
from tests.messaging.email.mailauth import dkim_sign
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)

ACME = "acme-outfitters.example"
ACME_INBOX = f"inbox@{ACME}"
ATTACKER = "attacker@evil.example"
ELSEWHERE = "v=spf1 ip4:192.0.2.10 -all"  # a domain whose mail never comes from loopback


def _refused_at_smtp(relay, raw: bytes, *, to: str, envelope_from: str) -> str:
    with pytest.raises(smtplib.SMTPDataError) as refused:
        smtp_send(relay, raw, to=to, envelope_from=envelope_from)
    assert refused.value.smtp_code == 550
    return refused.value.smtp_error.decode()


def _nobody_mailed(before: int) -> None:
    """No email queued since `before` (the highest outbound id then), none sent."""
    assert not OutboundEmail.objects.filter(pk__gt=before).exists()
    assert not django_mail.outbox


def _last_outbound_id() -> int:
    last = OutboundEmail.objects.order_by("-pk").first()
    return last.pk if last is not None else 0


@pytest.mark.parametrize("dmarc", [None, "v=DMARC1; p=reject"])
def test_finding1_a_forged_approved_seller_address_to_a_buyer_is_refused_at_smtp_time(
    relay, seller, dns_zone, dmarc
):
    """The probe: MAIL FROM the attacker's own domain (its SPF passes), From: Acme's approved
    address, to the buyer's alias, naming the order. Stored as Acme's message and emailed to
    the buyer before; now refused, with or without a DMARC record for Acme."""
    if dmarc:
        dns_zone.dmarc(ACME, dmarc)
    approved(seller, ACME_INBOX)
    order = OrderFactory(seller=seller)
    alias = order.relationship.buyer_alias
    django_mail.outbox.clear()
    before = _last_outbound_id()
    forged = mail(
        sender=f"Acme Outfitters <{ACME_INBOX}>",
        to=alias,
        subject=f"Your order {order.number}: action needed",
        body="Please confirm your card details at our new page.",
    )
    reply = _refused_at_smtp(relay, forged, to=alias, envelope_from=ATTACKER)
    assert reply.startswith("5.7.1 ")
    assert ACME in reply  # says which domain it could not prove
    stored = InboundMail.objects.get()
    assert stored.status == InboundMail.Status.REFUSED
    assert stored.authenticated is False
    assert stored.authenticated_from == ""
    assert "dmarc=" in stored.authentication
    assert stored.reason
    assert stored.envelope_from == ATTACKER
    assert not Message.objects.filter(channel="email").exists()
    _nobody_mailed(before)


def test_finding1_a_forged_buyer_address_to_a_seller_is_refused_at_smtp_time(relay, seller):
    case = buyer_opens_case(seller=seller).case
    buyer, alias = case.buyer, case.relationship.seller_alias
    before = Message.objects.count()
    django_mail.outbox.clear()
    forged = mail(sender=buyer.email, to=alias, subject="Refund", body="Send it to my new IBAN")
    _refused_at_smtp(relay, forged, to=alias, envelope_from=ATTACKER)
    assert InboundMail.objects.get().status == InboundMail.Status.REFUSED
    assert Message.objects.count() == before
    assert not django_mail.outbox


def test_finding1_the_same_forgery_through_the_webhook_is_recorded_refused_and_nobody_mailed(
    client, settings, seller
):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    approved(seller, ACME_INBOX)
    order = OrderFactory(seller=seller)
    alias = order.relationship.buyer_alias
    django_mail.outbox.clear()
    before = _last_outbound_id()
    forged = mail(sender=ACME_INBOX, to=alias, subject=f"Order {order.number}", body="Pay here")
    response = webhook_post(client, forged, sender=ATTACKER, client_ip="127.0.0.1")
    assert response.status_code == 202  # taken, so the mail service does not retry it
    assert response.json()["authenticated"] is False
    stored = InboundMail.objects.get()
    assert stored.status == InboundMail.Status.REFUSED
    assert stored.source == InboundMail.Source.WEBHOOK
    assert not stored.authenticated
    assert not Message.objects.filter(channel="email").exists()
    _nobody_mailed(before)


def test_a_seller_mail_signed_by_its_domain_is_accepted_from_any_server(relay, seller, dns_zone):
    """DKIM proves the From domain even when SPF does not allow the sending server (a mail
    service's outbound server, say), under the domain's DMARC p=reject."""
    dns_zone.spf(ACME, ELSEWHERE)
    dns_zone.dmarc(ACME)
    approved(seller, ACME_INBOX)
    order = OrderFactory(seller=seller)
    alias = order.relationship.buyer_alias
    django_mail.outbox.clear()
    raw = mail(sender=ACME_INBOX, to=alias, subject=f"Order {order.number}", body="It ships today.")
    smtp_send(relay, dkim_sign(raw, ACME), to=alias, envelope_from=ACME_INBOX)
    stored = InboundMail.objects.get()
    assert stored.status == InboundMail.Status.ACCEPTED, stored.reason
    assert stored.authenticated
    assert stored.authenticated_from == ACME_INBOX
    assert "dkim=pass" in stored.authentication
    assert [e.to for e in django_mail.outbox] == [[order.buyer.email]]


def test_a_forwarded_buyer_mail_keeps_its_signature_and_is_accepted(relay, seller, dns_zone):
    """Forwarded by another server (its own envelope sender, SPF of the buyer's domain fails
    from there): the buyer's DKIM signature still proves the From."""
    case = buyer_opens_case(seller=seller).case
    buyer, alias = case.buyer, case.relationship.seller_alias
    buyer_domain = buyer.email.rpartition("@")[2]
    dns_zone.spf(buyer_domain, ELSEWHERE)
    dns_zone.dmarc(buyer_domain)
    signed = dkim_sign(mail(sender=buyer.email, to=alias, body="Any news?"), buyer_domain)
    forwarded = (
        b"Received: from mx.forwarder.example by relay; Mon, 7 Dec 2026 10:00:00 +0000\r\n"
        + f"X-Forwarded-To: {alias}\r\n".encode()
        + signed
    )
    smtp_send(relay, forwarded, to=alias, envelope_from="srs0=abc@forwarder.example")
    stored = InboundMail.objects.get()
    assert stored.status == InboundMail.Status.ACCEPTED, stored.reason
    assert stored.message.body_text == "Any news?"


def test_a_forwarded_mail_changed_on_the_way_is_refused(relay, seller, dns_zone):
    """A mailing list that adds a footer breaks the signature; its own SPF pass is for its
    domain, not the buyer's."""
    case = buyer_opens_case(seller=seller).case
    buyer, alias = case.buyer, case.relationship.seller_alias
    buyer_domain = buyer.email.rpartition("@")[2]
    dns_zone.spf(buyer_domain, ELSEWHERE)
    signed = dkim_sign(mail(sender=buyer.email, to=alias, body="Any news?"), buyer_domain)
    changed = signed.rstrip(b"\r\n") + b"\r\n-- \r\nSent via the list\r\n"
    _refused_at_smtp(relay, changed, to=alias, envelope_from="list-bounces@lists.example")
    assert InboundMail.objects.get().status == InboundMail.Status.REFUSED


def test_a_dns_failure_answers_451_and_stores_nothing(relay, seller, dns_zone):
    case = buyer_opens_case(seller=seller).case
    buyer, alias = case.buyer, case.relationship.seller_alias
    dns_zone.servfail(buyer.email.rpartition("@")[2])
    dns_zone.servfail(f"_dmarc.{buyer.email.rpartition('@')[2]}")
    with pytest.raises(smtplib.SMTPDataError) as deferred:
        smtp_send(relay, mail(sender=buyer.email, to=alias), to=alias, envelope_from=buyer.email)
    assert deferred.value.smtp_code == 451
    assert not InboundMail.objects.exists()


def test_the_webhook_checks_dkim_itself_when_no_service_is_trusted(client, settings, seller):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    case = buyer_opens_case(seller=seller).case
    buyer, alias = case.buyer, case.relationship.seller_alias
    signed = dkim_sign(mail(sender=buyer.email, to=alias, body="Signed"), "example.com")
    response = webhook_post(client, signed)
    assert response.status_code == 202
    assert response.json()["authenticated"] is True
    stored = InboundMail.objects.get()
    assert stored.status == InboundMail.Status.ACCEPTED, stored.reason
    assert "dkim=pass" in stored.authentication
    # unsigned, and no client address for SPF: not proven
    unsigned = mail(sender=buyer.email, to=alias, body="Unsigned")
    assert webhook_post(client, unsigned).json()["authenticated"] is False
    assert InboundMail.objects.filter(status=InboundMail.Status.REFUSED).count() == 1


def test_the_webhook_takes_a_trusted_services_results_and_falls_back_to_dkim(
    client, settings, seller
):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    settings.MESSAGING_TRUSTED_AUTHSERV_ID = "mx.mailservice.example"
    case = buyer_opens_case(seller=seller).case
    buyer, alias = case.buyer, case.relationship.seller_alias
    domain = buyer.email.rpartition("@")[2]
    results = (
        f"Authentication-Results: mx.mailservice.example; spf=pass smtp.mailfrom={domain}; "
        f"dkim=none; dmarc=pass header.from={domain}\r\n"
    ).encode()
    passed = results + mail(sender=buyer.email, to=alias, body="Via the service")
    assert webhook_post(client, passed).json()["authenticated"] is True
    failed = (
        f"Authentication-Results: mx.mailservice.example; spf=fail smtp.mailfrom=evil.example; "
        f"dkim=none; dmarc=fail header.from={domain}\r\n"
    ).encode() + mail(sender=buyer.email, to=alias, body="Forged")
    assert webhook_post(client, failed).json()["authenticated"] is False
    # no results from the service on it: our own DKIM check
    signed = dkim_sign(mail(sender=buyer.email, to=alias, body="Signed"), domain)
    assert webhook_post(client, signed).json()["authenticated"] is True
    statuses = list(InboundMail.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["accepted", "refused", "accepted"]


def test_the_webhook_refuses_a_client_ip_that_is_not_an_address(client, settings, seller):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    case = buyer_opens_case(seller=seller).case
    raw = mail(sender=case.buyer.email, to=case.relationship.seller_alias)
    response = webhook_post(client, raw, client_ip="not-an-ip")
    assert response.status_code == 400
    assert "client_ip" in response.json()["error"]
    assert not InboundMail.objects.exists()


def test_a_mail_stored_without_authentication_is_never_accepted_nor_answered(seller):
    """Defence in depth: a row that did not pass (stored before the checks existed, or by a
    caller that skipped them) is refused when processed, and no bounce goes anywhere."""
    case = buyer_opens_case(seller=seller).case
    buyer = case.buyer
    raw = mail(sender=buyer.email, to=case.relationship.seller_alias, body="Hello")
    stored = InboundMailFactory(
        recipient=case.relationship.seller_alias, envelope_from=buyer.email, raw=raw
    )
    result = inbound_mail_process(stored.pk)
    assert result.status == InboundMail.Status.REFUSED
    assert result.message is None
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.BOUNCE).exists()


def test_staff_see_forgeries_with_their_authentication_result(relay, seller):
    case = buyer_opens_case(seller=seller).case
    alias = case.relationship.seller_alias
    forged = mail(sender=case.buyer.email, to=alias, subject="Forged")
    _refused_at_smtp(relay, forged, to=alias, envelope_from=ATTACKER)
    smtp_send(
        relay, mail(sender=case.buyer.email, to=alias), to=alias, envelope_from=case.buyer.email
    )
    staff = signed_in_client(StaffFactory(is_superuser=True))
    url = reverse("admin:messaging_inboundmail_changelist")
    listed = staff.get(url, {"authenticated__exact": "0"})
    assert listed.status_code == 200
    assert ATTACKER in listed.text
    assert "sender authenticated" in listed.text
    forgery = InboundMail.objects.get(authenticated=False)
    page = staff.get(reverse("admin:messaging_inboundmail_change", args=[forgery.pk]))
    assert "dmarc=" in page.text
    assert "is not proven" in forgery.reason
    assert "is not proven" in page.text


def test_the_webhook_answers_503_on_a_dns_failure_so_the_service_retries(
    client, settings, seller, dns_zone
):
    settings.INBOUND_EMAIL_TOKEN = TOKEN
    case = buyer_opens_case(seller=seller).case
    domain = case.buyer.email.rpartition("@")[2]
    dns_zone.servfail(domain)
    dns_zone.servfail(f"_dmarc.{domain}")
    raw = mail(sender=case.buyer.email, to=case.relationship.seller_alias)
    response = webhook_post(client, raw, sender=case.buyer.email, client_ip="127.0.0.1")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert not InboundMail.objects.exists()
