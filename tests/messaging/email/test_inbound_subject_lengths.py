"""Finding 2 of issue 22, by email: an inbound mail with a subject longer than the column (or
folded over several header lines, as mail clients write a long one) was retried for 21
minutes, then marked failed. The send funnel fits every subject, so the mail is accepted at
once with its subject cut at a word, with "…". Real loopback SMTP, as
tests/messaging/email/test_email_inbound.py (its relay fixture, copied)."""

import re
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from core.text import ELLIPSIS
from messaging.models import SUBJECT_MAX_LENGTH, InboundMail
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db(transaction=True)


def _send(relay: tuple[str, int], message: EmailMessage, *, to: str, sender: str) -> None:
    raw = message.as_bytes()
    with smtplib.SMTP(*relay, timeout=30) as smtp:
        smtp.sendmail(sender, [to], re.sub(rb"(?<!\r)\n", b"\r\n", raw))


def _words(length: int) -> str:
    text = ("Where is my parcel " * (length // 19 + 2))[:length]
    return text[:-1] + "z" if text.endswith(" ") else text


def _buyer_writes(relay, seller, seller_owner, subject: str) -> InboundMail:
    """The buyer answers the seller's reply by email, with `subject`."""
    case = buyer_opens_case(seller=seller).case
    reply = seller_replies(case, seller_owner)
    reply.refresh_from_db()
    buyer = case.buyer
    message = EmailMessage()
    message["From"] = buyer.email
    message["To"] = case.relationship.seller_alias
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example")
    message["In-Reply-To"] = reply.email_message_id
    message.set_content("Any news about my parcel?")
    _send(relay, message, to=case.relationship.seller_alias, sender=buyer.email)
    return InboundMail.objects.get()


@pytest.mark.parametrize("length", [SUBJECT_MAX_LENGTH - 1, SUBJECT_MAX_LENGTH])
def test_an_inbound_subject_up_to_the_column_is_kept_whole(relay, seller, seller_owner, length):
    inbound = _buyer_writes(relay, seller, seller_owner, _words(length))
    assert inbound.status == InboundMail.Status.ACCEPTED, inbound.reason
    assert inbound.message.subject == _words(length)


@pytest.mark.parametrize("length", [SUBJECT_MAX_LENGTH + 1, 998])
def test_finding2_a_longer_inbound_subject_is_accepted_at_once_and_cut(
    relay, seller, seller_owner, length
):
    subject = _words(length)
    inbound = _buyer_writes(relay, seller, seller_owner, subject)
    assert inbound.status == InboundMail.Status.ACCEPTED, inbound.reason
    stored = inbound.message
    assert stored.body_text == "Any news about my parcel?"
    assert len(stored.subject) <= SUBJECT_MAX_LENGTH
    assert stored.subject.endswith(ELLIPSIS)
    assert subject.startswith(stored.subject.removesuffix(ELLIPSIS))


def test_finding2_a_folded_subject_is_one_line_and_fits(relay, seller, seller_owner):
    # Written over several header lines (RFC 5322 folding) by the email library, as any long
    # subject from a mail client; unfolded, then cut.
    subject = "Re: " + " ".join(f"word{n}" for n in range(80))
    inbound = _buyer_writes(relay, seller, seller_owner, subject)
    assert b"\r\n " in bytes(inbound.raw).split(b"\r\n\r\n", 1)[0]  # it was folded
    assert inbound.status == InboundMail.Status.ACCEPTED, inbound.reason
    stored = inbound.message.subject
    assert "\n" not in stored
    assert "\r" not in stored
    assert len(stored) <= SUBJECT_MAX_LENGTH
    assert stored.startswith("Re: word0 word1 ")
    assert stored.endswith(ELLIPSIS)
