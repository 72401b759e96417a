"""Inbound email over real loopback SMTP (SPEC section 5, R3, R7, R9, R11, R13, R14): a relay
started by the test on a free port, mail sent with smtplib, the result read from the database.
Celery runs eagerly here, so each stored mail is processed when its transaction commits. The
`relay` fixture is in conftest.py."""

import io
import re
import smtplib
from email.message import EmailMessage

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from PIL import Image

from accounts.services import notification_preferences_update
from cases.models import CaseStatus
from cases.services import case_transition
from messaging.email.services import permissions
from messaging.models import (
    Direction,
    InboundMail,
    Message,
    MessagingPermission,
    OutboundEmail,
    Outcome,
)
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.messaging.email.inbound_mail import mail_message
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db(transaction=True)

SELLER_ADDRESS = "support@acme-outfitters.example"
NOBODY = "nobody@m.alphadiscounters.com"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def _send(relay: tuple[str, int], message: EmailMessage | bytes, *, to: str, sender: str) -> None:
    """Over SMTP lines end in CRLF, as every mail client sends them."""
    raw = message if isinstance(message, bytes) else message.as_bytes()
    with smtplib.SMTP(*relay, timeout=30) as smtp:
        smtp.sendmail(sender, [to], re.sub(rb"(?<!\r)\n", b"\r\n", raw))


def _approved(seller, address: str = SELLER_ADDRESS) -> MessagingPermission:
    owner = seller_user(seller)
    permission = permissions.permission_add(seller=seller, actor=owner, email=address)
    return permissions.permission_confirm(permission_id=permission.pk, email=address)


def _bounces_to(address: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=OutboundEmail.Kind.BOUNCE, recipient=address))


# ---- the happy paths


def test_a_buyer_reply_by_email_threads_into_the_case_and_the_copy_goes_out(
    relay, seller, seller_owner
):
    notification_preferences_update(
        seller=seller,
        buyer_message_copies=True,
        buyer_message_copies_email="copies@acme-outfitters.example",
        opt_out_bounces=True,
    )
    case = buyer_opens_case(seller=seller).case
    reply = seller_replies(case, seller_owner, body="It ships today.")
    reply.refresh_from_db()
    buyer = case.buyer
    message = mail_message(
        sender=buyer.email,
        to=case.relationship.seller_alias,
        subject="Re: Delivery question",
        body="Thanks, when exactly?\n\nOn Monday, Acme wrote:\n> It ships today.",
        In_Reply_To=reply.email_message_id,
    )
    _send(relay, message, to=case.relationship.seller_alias, sender=buyer.email)

    inbound = InboundMail.objects.get()
    assert inbound.status == InboundMail.Status.ACCEPTED
    stored = inbound.message
    assert stored.case_id == case.pk
    assert stored.direction == Direction.BUYER_TO_SELLER
    assert stored.channel == "email"
    assert stored.body_text == "Thanks, when exactly?"  # the quoted history is not shown
    assert b"It ships today." in bytes(inbound.raw)  # the full original is kept
    page = signed_in_client(seller_owner).get(reverse("messaging:case_detail", args=[case.pk]))
    assert "Thanks, when exactly?" in page.text
    assert OutboundEmail.objects.filter(
        kind=OutboundEmail.Kind.COPY_TO_SELLER, message=stored, status="sent"
    ).exists()


def test_r11_a_seller_reply_from_an_approved_address_reaches_the_buyer(relay, seller):
    _approved(seller)
    case = buyer_opens_case(seller=seller).case
    # the buyer's message came in by email: the seller's mail client answers that Message-ID
    Message.objects.filter(case=case).update(email_message_id="<first@mail.example>")
    message = mail_message(
        sender=f"Acme Support <{SELLER_ADDRESS}>",
        to=case.relationship.buyer_alias,
        subject="Re: Delivery question",
        body="It left our warehouse this morning.",
        In_Reply_To="<first@mail.example>",
    )
    django_mail.outbox.clear()
    _send(relay, message, to=case.relationship.buyer_alias, sender=SELLER_ADDRESS)
    inbound = InboundMail.objects.get()
    assert inbound.status == InboundMail.Status.ACCEPTED, inbound.reason
    assert inbound.message.case_id == case.pk
    assert inbound.message.direction == Direction.SELLER_TO_BUYER
    to_buyer = [e for e in django_mail.outbox if e.to == [case.buyer.email]]
    assert to_buyer
    assert "It left our warehouse" in to_buyer[0].body


# ---- refusals


def test_r1_an_unknown_alias_is_refused_at_rcpt(relay, seller):
    buyer_opens_case(seller=seller)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(
            relay,
            mail_message(
                sender="x@example.com", to="nobody@m.alphadiscounters.com", subject="Hi", body="x"
            ),
            to=NOBODY,
            sender="x@example.com",
        )
    code, _ = refused.value.recipients[NOBODY]
    assert code == 550
    assert not InboundMail.objects.exists()


def test_r11_mail_from_an_unapproved_address_is_refused_and_bounced_with_the_reason(relay, seller):
    case = buyer_opens_case(seller=seller).case
    stranger = "someone@acme-outfitters.example"
    subject = f"About order {case.order_number}"
    _send(
        relay,
        mail_message(
            sender=stranger, to=case.relationship.buyer_alias, subject=subject, body="Hello"
        ),
        to=case.relationship.buyer_alias,
        sender=stranger,
    )
    inbound = InboundMail.objects.get()
    assert inbound.status == InboundMail.Status.REFUSED
    assert inbound.rule == "R11"
    assert Message.objects.filter(case=case).count() == 1
    (bounce,) = _bounces_to(stranger)
    assert "Messaging Permissions" in bounce.payload["text"]
    assert bounce.status == OutboundEmail.Status.SENT


def test_r11_a_buyer_alias_takes_mail_only_from_that_buyer(relay, seller):
    case = buyer_opens_case(seller=seller).case
    other = BuyerFactory()
    _send(
        relay,
        mail_message(
            sender=other.email, to=case.relationship.seller_alias, subject="Hi", body="Hello"
        ),
        to=case.relationship.seller_alias,
        sender=other.email,
    )
    assert InboundMail.objects.get().rule == "R11"
    assert len(_bounces_to(other.email)) == 1


def test_the_same_message_id_to_the_same_alias_is_stored_once_and_to_two_aliases_twice(
    relay, seller
):
    first = buyer_opens_case(seller=seller).case
    buyer = first.buyer
    second = buyer_opens_case(buyer=buyer).case  # another seller, another alias
    message = mail_message(
        sender=buyer.email, to=first.relationship.seller_alias, subject="Q", body="Hi"
    )
    _send(relay, message, to=first.relationship.seller_alias, sender=buyer.email)
    _send(relay, message, to=first.relationship.seller_alias, sender=buyer.email)
    assert InboundMail.objects.count() == 1
    _send(relay, message, to=second.relationship.seller_alias, sender=buyer.email)
    assert InboundMail.objects.count() == 2
    assert Message.objects.filter(channel="email").count() == 2


def test_r9_mail_on_a_closed_case_is_bounced(relay, seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    reply = seller_replies(case, seller_owner)
    reply.refresh_from_db()
    case_transition(case=case, to_status=CaseStatus.CLOSED, actor=seller_owner, cause="seller")
    buyer = case.buyer
    _send(
        relay,
        mail_message(
            sender=buyer.email,
            to=case.relationship.seller_alias,
            subject="Re: x",
            body="One more thing",
            In_Reply_To=reply.email_message_id,
        ),
        to=case.relationship.seller_alias,
        sender=buyer.email,
    )
    inbound = InboundMail.objects.get()
    assert inbound.rule == "R9"
    (bounce,) = _bounces_to(buyer.email)
    assert "closed" in bounce.payload["text"]


def test_r7_a_proactive_seller_email_without_an_order_id_is_refused(relay, seller):
    _approved(seller)
    order = OrderFactory(seller=seller)
    alias = order.relationship.buyer_alias
    _send(
        relay,
        mail_message(
            sender=SELLER_ADDRESS, to=alias, subject="Hello", body="A note about your order"
        ),
        to=alias,
        sender=SELLER_ADDRESS,
    )
    assert InboundMail.objects.get().rule == "R7"
    assert len(_bounces_to(SELLER_ADDRESS)) == 1


@pytest.mark.parametrize(
    ("subject", "outcome"),
    [
        ("[Important] Delivery window for order {n}", Outcome.DELIVERED),
        ("Delivery window for order {n}", Outcome.BLOCKED),
    ],
)
def test_r3_important_in_an_email_subject_makes_it_critical_past_opt_out(
    relay, seller, subject, outcome
):
    _approved(seller)
    buyer = BuyerFactory()
    buyer.buyer_profile.opted_out_of_unsolicited = True
    buyer.buyer_profile.save()
    order = OrderFactory(seller=seller, buyer=buyer)
    alias = order.relationship.buyer_alias
    text = subject.format(n=order.number)
    _send(
        relay,
        mail_message(sender=SELLER_ADDRESS, to=alias, subject=text, body="We deliver on Tuesday."),
        to=alias,
        sender=SELLER_ADDRESS,
    )
    message = InboundMail.objects.get().message
    assert message.outcome == outcome
    assert message.is_critical == (outcome == Outcome.DELIVERED)
    if outcome == Outcome.BLOCKED:  # R4: the bounce goes back to the approved address
        assert len(_bounces_to(SELLER_ADDRESS)) == 1


# ---- hostile mail: stored safely or refused with a bounce, never a crash


def _hostile(buyer_email: str, alias: str) -> dict[str, bytes]:
    def mime(body: str, **kw: str) -> bytes:
        return mail_message(
            sender=buyer_email, to=alias, subject="Hostile", body=body, **kw
        ).as_bytes()

    latin = (
        f"From: {buyer_email}\r\nTo: {alias}\r\nSubject: =?iso-8859-1?q?Gr=FC=DFe_aus_K=F6ln?=\r\n"
        "Message-ID: <latin@mail.example>\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "Grüße, wo bleibt mein Paket?".encode("iso-8859-1")
    shift_jis = (
        f"From: {buyer_email}\r\nTo: {alias}\r\nSubject: =?shift_jis?b?grGC8YLJgr+CzQ==?=\r\n"
        "Message-ID: <sjis@mail.example>\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\n"
    ).encode() + "荷物はどこですか".encode("shift_jis")
    unknown_charset = (
        f"From: {buyer_email}\r\nTo: {alias}\r\nSubject: x\r\nMessage-ID: <unk@mail.example>\r\n"
        "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nhello \xff"
    ).encode("latin-1")
    two_senders = (
        f"From: {buyer_email}, other@example.com\r\nTo: {alias}\r\nSubject: x\r\n"
        "Message-ID: <two@mail.example>\r\n\r\nhello"
    ).encode()
    nested = f"From: {buyer_email}\r\nTo: {alias}\r\nSubject: deep\r\nMessage-ID: <deep@x>\r\n"
    body = ""
    for level in range(60):
        nested += "" if level else 'Content-Type: multipart/mixed; boundary="b0"\r\n\r\n'
        body += f'--b{level}\r\nContent-Type: multipart/mixed; boundary="b{level + 1}"\r\n\r\n'
    body += "--b60\r\nContent-Type: text/plain\r\n\r\ndeep\r\n" + "".join(
        f"--b{level}--\r\n" for level in range(60, -1, -1)
    )
    no_text = (
        f"From: {buyer_email}\r\nTo: {alias}\r\nSubject: empty\r\nMessage-ID: <empty@x>\r\n"
        "Content-Type: multipart/mixed; boundary=zz\r\n\r\n--zz--\r\n"
    ).encode()

    def with_file(name: str, content: bytes, message_id: str) -> bytes:
        message = mail_message(
            sender=buyer_email, to=alias, subject="File", body="See file", message_id=message_id
        )
        message.add_attachment(
            content, maintype="application", subtype="octet-stream", filename=name
        )
        return message.as_bytes()

    html = EmailMessage()
    html["From"], html["To"], html["Subject"] = buyer_email, alias, "Pixel"
    html["Message-ID"] = "<pixel@mail.example>"
    html.set_content('<p>Hi</p><img src="http://tracker.example/p.gif" alt="">', subtype="html")
    return {
        "latin-1 body and RFC 2047 subject": latin,
        "shift_jis": shift_jis,
        "unknown charset": unknown_charset,
        "two senders": two_senders,
        "nested 60 levels": (nested + body).encode(),
        "no text part": no_text,
        "oversized attachment": with_file(
            "big.pdf", b"%PDF-1.4\n" + b"0" * (8 * 1024 * 1024), "<big@x>"
        ),
        "exe renamed pdf": with_file("invoice.pdf", EXE, "<exe@x>"),
        "traversal filename": with_file("../../etc/passwd.png", _png(), "<trav@x>"),
        "tracking pixel over http": html.as_bytes(),
        "plain": mime("Just a normal question", message_id="<plain@x>"),
    }


def test_hostile_mail_is_stored_safely_or_refused_with_a_bounce_and_the_relay_keeps_answering(
    relay, seller
):
    case = buyer_opens_case(seller=seller).case
    buyer, alias = case.buyer, case.relationship.seller_alias
    corpus = _hostile(buyer.email, alias)
    for name, raw in corpus.items():
        if name == "two senders":
            # A From naming two senders cannot be authenticated: refused at SMTP time (550),
            # kept for staff, nobody mailed.
            with pytest.raises(smtplib.SMTPDataError) as refused:
                _send(relay, raw, to=alias, sender=buyer.email)
            assert refused.value.smtp_code == 550
        else:
            try:
                _send(relay, raw, to=alias, sender=buyer.email)
            except smtplib.SMTPException as exc:
                pytest.fail(f"{name}: {exc}")
        mail = InboundMail.objects.order_by("-id").first()
        assert mail is not None, name
        assert mail.status in (InboundMail.Status.ACCEPTED, InboundMail.Status.REFUSED), name
        if mail.status == InboundMail.Status.REFUSED:
            assert mail.reason, name
            bounced = OutboundEmail.objects.filter(inbound_mail=mail, kind="bounce").exists()
            assert bounced == mail.authenticated, name
    outcome = {m.header_message_id: m for m in InboundMail.objects.all()}
    assert outcome["<latin@mail.example>"].message.subject == "Grüße aus Köln"
    assert "Grüße" in outcome["<latin@mail.example>"].message.body_text
    assert "荷物" in outcome["<sjis@mail.example>"].message.body_text
    assert outcome["<unk@mail.example>"].status == InboundMail.Status.ACCEPTED
    assert outcome["<two@mail.example>"].status == InboundMail.Status.REFUSED
    assert outcome["<deep@x>"].status == InboundMail.Status.REFUSED
    assert outcome["<empty@x>"].status == InboundMail.Status.REFUSED
    assert outcome["<big@x>"].rule == "R13"
    assert outcome["<exe@x>"].rule == "R13"
    traversal = outcome["<trav@x>"].message.attachments.get()
    assert "/" not in traversal.display_name
    assert ".." not in traversal.display_name
    assert "etc/passwd" not in traversal.file.name
    pixel = outcome["<pixel@mail.example>"].message
    assert "tracker.example" not in pixel.body_html  # sanitized (R14); CSP blocks remote images
    assert outcome["<plain@x>"].status == InboundMail.Status.ACCEPTED
    # the relay still answers
    with smtplib.SMTP(*relay, timeout=5) as smtp:
        assert smtp.noop()[0] == 250


def test_the_relay_advertises_a_size_limit_big_enough_for_a_7_mb_attachment(relay):
    with smtplib.SMTP(*relay, timeout=5) as smtp:
        smtp.ehlo()
        assert int(smtp.esmtp_features["size"]) >= 12 * 1024 * 1024


# ---- the webhook


def test_the_inbound_webhook_needs_the_token_and_stores_themail_message(client, settings, seller):
    settings.INBOUND_EMAIL_TOKEN = "s3cret-token"
    case = buyer_opens_case(seller=seller).case
    raw = mail_message(
        sender=case.buyer.email, to=case.relationship.seller_alias, subject="Q", body="Via webhook"
    ).as_bytes()
    url = reverse("messaging:inbound_webhook")
    assert client.post(url, raw, content_type="message/rfc822").status_code == 401
    wrong = client.post(
        url, raw, content_type="message/rfc822", headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    ok = client.post(  # the mail service passes the connecting client, for SPF
        f"{url}?sender={case.buyer.email}&client_ip=127.0.0.1",
        raw,
        content_type="message/rfc822",
        headers={"Authorization": "Bearer s3cret-token"},
    )
    assert ok.status_code == 202
    assert InboundMail.objects.get().message.body_text == "Via webhook"
