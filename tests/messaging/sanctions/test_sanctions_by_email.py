"""Staff sanctions on the email channel, over real loopback SMTP: a suspended seller's mail is
bounced to the authenticated sender with the reason (R35), a limited seller's proactive mail too
while a reply goes through (R36), and a held reply is stored, not delivered (R37)."""

import pytest
from django.core import mail as django_mail

from messaging.models import InboundMail, Message, Outcome, SanctionKind
from tests.factories import OrderFactory, SanctionFactory
from tests.messaging.email.inbound_mail import mail_message
from tests.messaging.email.test_email_inbound import (
    SELLER_ADDRESS,
    _approved,
    _bounces_to,
    _send,
)
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)


def _reply_by_email(relay, case, body="It left our warehouse this morning."):
    Message.objects.filter(case=case).update(email_message_id="<first@mail.example>")
    message = mail_message(
        sender=SELLER_ADDRESS,
        to=case.relationship.buyer_alias,
        subject="Re: Delivery question",
        body=body,
        In_Reply_To="<first@mail.example>",
    )
    _send(relay, message, to=case.relationship.buyer_alias, sender=SELLER_ADDRESS)
    return InboundMail.objects.get()


def test_r35_a_suspended_sellers_email_is_bounced_with_the_reason(relay, seller):
    _approved(seller)
    case = buyer_opens_case(seller=seller).case
    SanctionFactory(seller=seller, kind=SanctionKind.SUSPEND, reason="Threats to a buyer.")
    inbound = _reply_by_email(relay, case)
    assert inbound.rule == "R35"
    assert not Message.objects.filter(case=case, direction="s2b").exists()
    (bounce,) = _bounces_to(SELLER_ADDRESS)
    assert "suspended your messaging: Threats to a buyer." in bounce.payload["text"]


def test_r36_a_limited_seller_may_reply_by_email_but_not_start(relay, seller):
    _approved(seller)
    SanctionFactory(seller=seller, kind=SanctionKind.LIMIT_PROACTIVE, reason="Spam.")
    order = OrderFactory(seller=seller)
    alias = order.relationship.buyer_alias
    _send(
        relay,
        mail_message(
            sender=SELLER_ADDRESS, to=alias, subject=f"Order {order.number}", body="A tip for you"
        ),
        to=alias,
        sender=SELLER_ADDRESS,
    )
    refused = InboundMail.objects.get()
    assert refused.rule == "R36"
    assert len(_bounces_to(SELLER_ADDRESS)) == 1

    case = buyer_opens_case(seller=seller).case
    django_mail.outbox.clear()
    Message.objects.filter(case=case).update(email_message_id="<first@mail.example>")
    _send(
        relay,
        mail_message(
            sender=SELLER_ADDRESS,
            to=case.relationship.buyer_alias,
            subject="Re: Delivery question",
            body="It left our warehouse this morning.",
            In_Reply_To="<first@mail.example>",
        ),
        to=case.relationship.buyer_alias,
        sender=SELLER_ADDRESS,
    )
    inbound = InboundMail.objects.exclude(pk=refused.pk)
    reply = inbound.get().message
    assert reply.outcome == Outcome.DELIVERED
    assert [e for e in django_mail.outbox if e.to == [case.buyer.email]]


def test_r37_a_held_email_reply_is_stored_and_not_delivered(relay, seller):
    _approved(seller)
    case = buyer_opens_case(seller=seller).case
    sanction = SanctionFactory(seller=seller, kind=SanctionKind.HOLD_MESSAGE, reason="Wording.")
    django_mail.outbox.clear()
    inbound = _reply_by_email(relay, case)
    assert inbound.status == InboundMail.Status.ACCEPTED
    assert inbound.message.outcome == Outcome.HELD
    sanction.refresh_from_db()
    assert sanction.message_id == inbound.message_id
    assert not [e for e in django_mail.outbox if e.to == [case.buyer.email]]
