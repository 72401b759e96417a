"""The marketplace's notices to the buyer of an order (R28, R29, R19): From the marketplace, to
the buyer's real address, in the buyer's language, one email per event (its idempotency key)."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import pgettext

from messaging.email.services.outbound import (
    MARKETPLACE_NAME,
    _queue,
    absolute_url,
    display_address,
)
from messaging.models import OutboundEmail
from orders.events import OrderEvent, OrderEventKind
from orders.models import Order
from templates_app.selectors import buyer_language

CONTEXT = "marketplace notice"

BUYER_NOTICE_KINDS = frozenset(
    {
        OrderEventKind.SHIPPED,
        OrderEventKind.DELIVERED,
        OrderEventKind.CANCELED,
        OrderEventKind.REFUNDED,
        OrderEventKind.RETURN_REQUESTED,
        OrderEventKind.RETURN_AUTHORIZED,
        OrderEventKind.RETURN_RECEIVED,
    }
)


def _subject(kind: OrderEventKind, values: dict[str, Any]) -> str:
    """Called inside translation.override: each subject as its own literal, for makemessages."""
    subjects = {
        OrderEventKind.SHIPPED: pgettext(CONTEXT, "Your order %(number)s has shipped"),
        OrderEventKind.DELIVERED: pgettext(CONTEXT, "Your order %(number)s was delivered"),
        OrderEventKind.CANCELED: pgettext(CONTEXT, "Your order %(number)s was canceled"),
        OrderEventKind.REFUNDED: pgettext(CONTEXT, "Refund for your order %(number)s"),
        OrderEventKind.RETURN_REQUESTED: pgettext(
            CONTEXT, "Your return request for order %(number)s"
        ),
        OrderEventKind.RETURN_AUTHORIZED: pgettext(
            CONTEXT, "Your return for order %(number)s is authorized"
        ),
        OrderEventKind.RETURN_RECEIVED: pgettext(
            CONTEXT, "Your return for order %(number)s was received"
        ),
    }
    return subjects[kind] % values


def reason_words(code: str) -> str:
    """An adjustment's reason code (orders.adjustments.RefundReason) in words for the buyer;
    a code we do not know is shown as it is."""
    words = {
        "NoInventory": pgettext(CONTEXT, "the item is out of stock"),
        "CouldNotShip": pgettext(CONTEXT, "the seller could not ship the order"),
        "BuyerCanceled": pgettext(CONTEXT, "you asked to cancel the order"),
        "GeneralAdjustment": pgettext(CONTEXT, "an adjustment by the seller"),
        "ShippingAddressUndeliverable": pgettext(
            CONTEXT, "the shipping address cannot be delivered to"
        ),
        "CustomerExchange": pgettext(CONTEXT, "an exchange"),
        "PriceError": pgettext(CONTEXT, "a pricing error"),
    }
    return words.get(code, code)


def _amount(value: Any, currency: str) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return f"{formats.number_format(number, 2, use_l10n=True)} {currency}"


def _ship_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _key(event: OrderEvent) -> str:
    """One email per event: per order for a shipment, delivery and cancellation; per refund
    and per return step otherwise."""
    details = event.details
    suffix = ""
    if event.kind == OrderEventKind.REFUNDED:
        suffix = f":{details.get('refund_id', '')}"
    elif event.kind in {
        OrderEventKind.RETURN_REQUESTED,
        OrderEventKind.RETURN_AUTHORIZED,
        OrderEventKind.RETURN_RECEIVED,
    }:
        suffix = f":{details.get('return_id', '')}"
    return f"notice:{event.kind}:{event.order_id}{suffix}"


def buyer_notice_queue(event: OrderEvent) -> OutboundEmail | None:
    order = Order.objects.select_related("seller", "buyer").get(pk=event.order_id)
    language = buyer_language(buyer_id=order.buyer_id)
    details = event.details
    with translation.override(language):
        currency = str(details.get("currency") or order.currency)
        context = {
            "kind": str(event.kind),
            "language": language,
            "order": order,
            "number": order.number,
            "seller": order.seller.business_name,
            "carrier": details.get("carrier", ""),
            "tracking_number": details.get("tracking_number", ""),
            "ship_date": _ship_date(details.get("ship_date")),
            "reason": reason_words(str(details.get("reason", ""))) if details.get("reason") else "",
            "amount": _amount(details.get("amount", order.total), currency),
            "return_id": details.get("return_id", ""),
            "order_url": absolute_url(reverse("orders:buyer_order_detail", args=[order.number])),
        }
        subject = _subject(event.kind, {"number": order.number})
        text = render_to_string("emails/notices/buyer_notice.txt", context)
        html = render_to_string("emails/notices/buyer_notice.html", context)
    return _queue(
        kind=OutboundEmail.Kind.ORDER_NOTICE,
        key=_key(event),
        recipient=order.buyer.email,
        from_email=display_address(MARKETPLACE_NAME, settings.DEFAULT_FROM_EMAIL),
        subject=subject,
        text=text,
        html=html,
        headers={"Auto-Submitted": "auto-generated"},
    )
