"""Bad data in inbound mail (issue 22, finding 4): NUL bytes, undecodable bytes and values the
database cannot store are cleaned, or the mail is refused at once with the reason. Only a
database that cannot be reached is retried; before, a NUL in a subject raised a database error
the task took for a temporary one: 8 retries over 21 minutes, then a bounce saying "try again
later" for a mail that could never succeed."""

import email
import email.policy
from email.message import EmailMessage
from email.utils import make_msgid
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail as django_mail
from django.db import DataError, OperationalError

from messaging.email.services import inbound
from messaging.models import InboundMail, OutboundEmail
from messaging.tasks import inbound_mail_process_task
from tests.messaging.email.inbound_mail import crlf, mail, smtp_send
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def parties(seller):
    case = buyer_opens_case(seller=seller).case
    return case.buyer.email, case.relationship.seller_alias


def _with_nul(sender: str, to: str) -> bytes:
    """NUL in the sender's name, the subject (RFC 2047 encoded, so the NUL is in the decoded
    text), the body and an attachment's file name."""
    message = EmailMessage()
    message["From"] = f'"Bob\x00 Buyer" <{sender}>'
    message["To"] = to
    message["Subject"] = "Where is\x00 my parcel?"
    message["Message-ID"] = make_msgid(domain="mail.example")
    message.set_content("It has not\x00 arrived.")
    message.add_attachment(
        b"receipt text", maintype="text", subtype="plain", filename="rec\x00eipt.txt"
    )
    return crlf(message.as_bytes())


def test_finding4_nul_bytes_are_removed_and_the_mail_is_accepted_at_once(relay, parties):
    sender, alias = parties
    raw = _with_nul(sender, alias)
    sent = email.message_from_bytes(raw, policy=email.policy.default)  # the NULs really travel
    assert "\x00" in str(sent["Subject"])
    assert "\x00" in str(sent["From"])
    assert "\x00" in next(sent.iter_attachments()).get_filename()
    smtp_send(relay, raw, to=alias, envelope_from=sender)
    stored = InboundMail.objects.get()
    assert stored.status == InboundMail.Status.ACCEPTED, stored.reason
    assert stored.attempts == 1
    message = stored.message
    assert message.subject == "Where is my parcel?"
    assert "\x00" not in message.body_text
    assert "It has not arrived." in message.body_text
    attachment = message.attachments.get()
    assert "\x00" not in attachment.display_name
    assert attachment.display_name.endswith(".txt")


def test_undecodable_bytes_in_headers_and_parts_are_read_as_far_as_they_go(relay, parties):
    sender, alias = parties
    raw = (
        f"From: {sender}\r\nTo: {alias}\r\nMessage-ID: <raw8bit@mail.example>\r\n".encode()
        + "Subject: Grüße ".encode()  # raw UTF-8 in a header (RFC 6532)
        + b"caf\xe9 \xff\r\n"  # and bytes that are not UTF-8
        + b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        + b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBroken \xc3( text \xff\r\n"
        + b"--b--\r\n"
    )
    smtp_send(relay, raw, to=alias, envelope_from=sender)
    stored = InboundMail.objects.get()
    assert stored.attempts == 1
    assert stored.status == InboundMail.Status.ACCEPTED, stored.reason
    assert stored.message.subject == "Grüße caf\ufffd \ufffd"
    assert stored.message.body_text == "Broken \ufffd( text \ufffd"


def test_finding4_a_value_the_database_refuses_is_refused_at_once_with_the_reason(parties):
    """Whatever still slips through (here a DataError from the send funnel) is a refusal on the
    first attempt, and the bounce says what to change, not "try again later"."""
    sender, alias = parties
    raw = mail(sender=sender, to=alias, subject="Hello", body="A question")
    with mock.patch.object(inbound, "message_send", side_effect=DataError("value too long")):
        (stored,) = _received(raw, sender, alias)
        inbound_mail_process_task.apply(args=[stored.pk])
    stored.refresh_from_db()
    assert stored.status == InboundMail.Status.REFUSED
    assert stored.attempts == 1
    assert "cannot store" in stored.reason
    (bounce,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.BOUNCE, inbound_mail=stored)
    assert bounce.recipient == sender
    assert "try again later" not in bounce.payload["text"].lower()
    assert "cannot store" in bounce.payload["text"]


def test_an_unreachable_database_is_retried(parties):
    sender, alias = parties
    raw = mail(sender=sender, to=alias, subject="Hello", body="A question")
    with mock.patch.object(inbound, "message_send", side_effect=OperationalError("gone")):
        (stored,) = _received(raw, sender, alias)
        with pytest.raises(Retry):
            inbound_mail_process_task.apply(args=[stored.pk])
    stored.refresh_from_db()
    assert stored.status == InboundMail.Status.RECEIVED  # kept for the retry
    inbound_mail_process_task.apply(args=[stored.pk])  # the retry, the database back
    stored.refresh_from_db()
    assert stored.status == InboundMail.Status.ACCEPTED


def test_an_unexpected_error_fails_at_once_and_the_sender_is_not_told_to_try_again(parties):
    sender, alias = parties
    raw = mail(sender=sender, to=alias, subject="Hello", body="A question")
    django_mail.outbox.clear()
    with mock.patch.object(inbound, "_accept", side_effect=RuntimeError("a bug")):
        (stored,) = _received(raw, sender, alias)
        with pytest.raises(RuntimeError):
            inbound_mail_process_task.apply(args=[stored.pk], throw=True)
    stored.refresh_from_db()
    assert stored.status == InboundMail.Status.FAILED
    assert "a bug" in stored.reason
    (bounce,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.BOUNCE, inbound_mail=stored)
    assert "will not help" in bounce.payload["text"]


def _received(raw: bytes, sender: str, alias: str) -> list[InboundMail]:
    """Stored as the relay stores it, with its task not run yet (the test runs it)."""
    from messaging.email.authentication import sender_check

    check = sender_check(raw, envelope_from=sender, client_ip="127.0.0.1")
    with mock.patch("messaging.jobs.enqueue_on_commit"):
        return inbound.inbound_mail_receive(
            raw=raw, recipients=[alias], envelope_from=sender, source="smtp", check=check
        )
