"""Test helpers that make cases through the real services."""

from messaging.models import Message
from messaging.sending import services
from tests.factories import OrderFactory


def buyer_opens_case(
    *,
    order=None,
    body="Where is my parcel?",
    subject="Delivery question",
    attachments=(),
    **kw,
):
    """A buyer contacts the seller about an order (a new order when none is given)."""
    order = order or OrderFactory(**kw)
    return services.message_send(
        sender=order.buyer,
        seller=order.seller,
        order=order,
        draft=services.Draft(
            body_text=body,
            subject=subject,
            contact_reason="shipping_or_delivery",
            attachments=list(attachments),
        ),
    )


def seller_replies(
    case, sender, body="Thanks for your message, it ships today.", attachments=()
) -> Message:
    return services.message_send(
        sender=sender,
        case=case,
        draft=services.Draft(body_text=body, attachments=list(attachments)),
    )


def buyer_replies(case, body="Thank you!") -> Message:
    return services.message_send(sender=case.buyer, case=case, draft=services.Draft(body_text=body))
