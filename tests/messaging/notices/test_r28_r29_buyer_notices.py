"""R28, R29, R19: each order event queues exactly one notice to the buyer, From the marketplace,
to the buyer's real address, in the buyer's language, and is sent after commit. The events are
emitted here directly (orders.events), as the shipping, adjustment and returns services do."""

from decimal import Decimal
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import BuyerProfile
from messaging.models import OutboundEmail
from orders.adjustments.services import order_cancel, order_refund
from orders.events import OrderEvent, OrderEventKind, order_event_emit
from tests.factories import BuyerFactory, OrderFactory

EVENTS = {
    OrderEventKind.SHIPPED: {
        "carrier": "UPS",
        "tracking_number": "1Z999AA10123456784",
        "ship_date": "2026-12-01",
    },
    OrderEventKind.DELIVERED: {"carrier": "UPS", "tracking_number": "1Z999AA10123456784"},
    OrderEventKind.CANCELED: {
        "reason": "NoInventory",
        "amount": "24.98",
        "currency": "USD",
        "refund_id": 7,
    },
    OrderEventKind.REFUNDED: {
        "amount": "10.00",
        "currency": "USD",
        "reason": "GeneralAdjustment",
        "refund_id": 8,
    },
    OrderEventKind.RETURN_REQUESTED: {"return_id": 3},
    OrderEventKind.RETURN_AUTHORIZED: {"return_id": 3},
    OrderEventKind.RETURN_RECEIVED: {"return_id": 3},
}

# What each notice says in German (the buyer's language), beside the order number.
GERMAN = {
    OrderEventKind.SHIPPED: ("wurde versandt", "Sendungsnummer: 1Z999AA10123456784"),
    OrderEventKind.DELIVERED: ("wurde zugestellt", "wurde zugestellt"),
    OrderEventKind.CANCELED: ("wurde storniert", "der Artikel ist nicht vorrätig"),
    OrderEventKind.REFUNDED: ("Erstattung", "10,00 USD"),
    OrderEventKind.RETURN_REQUESTED: ("Rücksendeanfrage", "Rücksendeanfrage"),
    OrderEventKind.RETURN_AUTHORIZED: ("genehmigt", "genehmigt"),
    OrderEventKind.RETURN_RECEIVED: ("erhalten", "erhalten"),
}


@pytest.fixture
def german_order(seller):
    buyer = BuyerFactory(profile__preferred_language=BuyerProfile.Language.GERMAN)
    return OrderFactory(seller=seller, buyer=buyer)


@pytest.mark.parametrize("kind", list(EVENTS))
def test_r28_r29_each_event_queues_one_notice_from_the_marketplace_in_the_buyers_language(
    kind, german_order, django_capture_on_commit_callbacks
):
    event = OrderEvent(kind=kind, order_id=german_order.pk, details=EVENTS[kind])
    with django_capture_on_commit_callbacks(execute=True):
        order_event_emit(event)
        order_event_emit(event)  # the same event again: still one email
    (row,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ORDER_NOTICE)
    assert row.status == OutboundEmail.Status.SENT
    (email,) = mail.outbox
    assert email.to == [german_order.buyer.email]
    name, address = parseaddr(email.from_email)
    assert (name, address) == ("AlphaDiscounters", settings.DEFAULT_FROM_EMAIL)
    in_subject, in_body = GERMAN[kind]
    assert in_subject in email.subject
    assert german_order.number in email.subject
    assert in_body in email.body
    assert german_order.seller.business_name in email.body or kind == OrderEventKind.DELIVERED
    html = email.alternatives[0][0]
    assert german_order.number in html
    assert 'lang="de"' in html


def test_r28_shipped_notice_names_carrier_tracking_number_and_ship_date(seller):
    order = OrderFactory(seller=seller)
    order_event_emit(
        OrderEvent(kind=OrderEventKind.SHIPPED, order_id=order.pk, details=EVENTS["shipped"])
    )
    row = OutboundEmail.objects.get(kind=OutboundEmail.Kind.ORDER_NOTICE)
    text = row.payload["text"]
    assert "Carrier: UPS" in text
    assert "Tracking number: 1Z999AA10123456784" in text
    assert "Ship date: Dec. 1, 2026" in text
    assert f"/buyer/orders/{order.number}/" in text
    assert row.subject == f"Your order {order.number} has shipped"


def test_r28_canceled_notice_gives_the_reason_in_words_and_the_refund(seller):
    order = OrderFactory(seller=seller)
    order_event_emit(
        OrderEvent(kind=OrderEventKind.CANCELED, order_id=order.pk, details=EVENTS["canceled"])
    )
    text = OutboundEmail.objects.get(kind=OutboundEmail.Kind.ORDER_NOTICE).payload["text"]
    assert "Reason: the item is out of stock" in text
    assert "NoInventory" not in text
    assert "You are refunded 24.98 USD." in text


def test_r29_refunded_notice_gives_amount_currency_and_reason(seller):
    order = OrderFactory(seller=seller)
    order_event_emit(
        OrderEvent(kind=OrderEventKind.REFUNDED, order_id=order.pk, details=EVENTS["refunded"])
    )
    text = OutboundEmail.objects.get(kind=OutboundEmail.Kind.ORDER_NOTICE).payload["text"]
    assert f"refunded 10.00 USD for your order {order.number}" in text
    assert "Reason: an adjustment by the seller" in text


def test_r29_each_refund_and_each_return_gets_its_own_notice(seller):
    order = OrderFactory(seller=seller)
    for refund_id in (1, 2):
        details = {**EVENTS["refunded"], "refund_id": refund_id}
        order_event_emit(
            OrderEvent(kind=OrderEventKind.REFUNDED, order_id=order.pk, details=details)
        )
    for return_id in (1, 2):
        order_event_emit(
            OrderEvent(
                kind=OrderEventKind.RETURN_AUTHORIZED,
                order_id=order.pk,
                details={"return_id": return_id},
            )
        )
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ORDER_NOTICE).count() == 4


@pytest.mark.parametrize("language", ["es", "fr", "ja"])
def test_r28_the_shipped_notice_in_each_language(language, seller):
    buyer = BuyerFactory(profile__preferred_language=language)
    order = OrderFactory(seller=seller, buyer=buyer)
    order_event_emit(
        OrderEvent(kind=OrderEventKind.SHIPPED, order_id=order.pk, details=EVENTS["shipped"])
    )
    row = OutboundEmail.objects.get(kind=OutboundEmail.Kind.ORDER_NOTICE)
    assert row.subject != f"Your order {order.number} has shipped"
    assert "Tracking number" not in row.payload["text"]
    assert "1Z999AA10123456784" in row.payload["text"]


def test_r28_a_notice_that_cannot_be_written_fails_the_event(seller, monkeypatch):
    """The receiver runs in the service's transaction, so the change rolls back with it."""
    order = OrderFactory(seller=seller)

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr("messaging.notices.buyer.render_to_string", broken)
    with pytest.raises(RuntimeError):
        order_event_emit(OrderEvent(kind=OrderEventKind.DELIVERED, order_id=order.pk, details={}))
    assert not OutboundEmail.objects.exists()


def test_r28_canceling_an_order_sends_the_buyer_one_notice_that_names_the_refund(
    seller, seller_owner, django_capture_on_commit_callbacks
):
    """The cancellation refunds the whole order in the same action: one email says both (a
    separate refund email for the same money only repeated it)."""
    order = OrderFactory(seller=seller, total=Decimal("24.98"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, actor=seller_owner, reason="NoInventory")
    to_buyer = [email for email in mail.outbox if email.to == [order.buyer.email]]
    assert len(to_buyer) == 1, [email.subject for email in to_buyer]
    assert "canceled" in to_buyer[0].subject
    assert "24.98" in to_buyer[0].body

    later = OrderFactory(seller=seller, buyer=order.buyer, total=Decimal("10.00"))
    with django_capture_on_commit_callbacks(execute=True):
        order_refund(order=later, actor=seller_owner, amount=Decimal("4"), reason="PriceError")
    refunds = [email for email in mail.outbox if "Refund" in email.subject]
    assert len(refunds) == 1  # a refund on its own is still announced
