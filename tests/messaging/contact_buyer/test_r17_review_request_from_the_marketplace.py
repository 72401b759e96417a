"""R17, R19 (communication guidelines: Request a Review "triggers a message from AlphaDiscounters
on your behalf", translated into the buyer's language): the review request's email comes From the
marketplace, names the seller in the body, is in the buyer's language, and goes once per order.
Any other seller message keeps the seller's name at the seller alias."""

from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from core.refusals import MessageRefused
from messaging.contact_buyer.services import review_request_send
from messaging.models import OutboundEmail
from orders.models import OrderStatus
from tests.factories import BuyerFactory, OrderFactory
from tests.messaging.helpers import buyer_opens_case, seller_replies


def _delivered(seller, language="en"):
    buyer = BuyerFactory(profile__preferred_language=language)
    return OrderFactory(
        seller=seller,
        buyer=buyer,
        status=OrderStatus.DELIVERED,
        delivered_at=timezone.now() - timedelta(days=10),
    )


@pytest.mark.parametrize(
    ("language", "on_behalf"),
    [
        ("en", "AlphaDiscounters sends you this message on behalf of"),
        ("de", "AlphaDiscounters sendet Ihnen diese Nachricht im Auftrag von"),
        ("ja", "AlphaDiscounters より、ご注文"),
    ],
)
def test_r17_the_review_request_is_sent_by_the_marketplace_on_the_sellers_behalf(
    language, on_behalf, seller, seller_owner, django_capture_on_commit_callbacks
):
    order = _delivered(seller, language)
    with django_capture_on_commit_callbacks(execute=True):
        review_request_send(sender=seller_owner, order=order)
    (email,) = [m for m in mail.outbox if m.to == [order.buyer.email]]
    name, address = parseaddr(email.from_email)
    assert (name, address) == ("AlphaDiscounters", settings.DEFAULT_FROM_EMAIL)
    assert order.relationship.seller_alias not in email.from_email
    assert email.extra_headers["Reply-To"] == order.relationship.seller_alias
    assert on_behalf in email.body
    assert seller.business_name in email.body
    assert order.number in email.body
    assert seller.business_name in email.alternatives[0][0]


def test_r17_still_once_per_order(seller, seller_owner):
    order = _delivered(seller, "fr")
    review_request_send(sender=seller_owner, order=order)
    with pytest.raises(MessageRefused):
        review_request_send(sender=seller_owner, order=order)
    emails = OutboundEmail.objects.filter(
        kind=OutboundEmail.Kind.TO_BUYER, recipient=order.buyer.email
    )
    assert emails.count() == 1
    assert "au nom de" in emails.get().payload["text"]


def test_r19_other_seller_messages_still_come_from_the_seller(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    reply = seller_replies(case, seller_owner, body="It ships today.")
    row = OutboundEmail.objects.get(message=reply)
    assert case.relationship.seller_alias in row.from_email
    assert seller.business_name in row.from_email
