"""The marketplace's new-order notice to the seller (R28): to the address of Notification
Preferences, showing the buyer alias (never the buyer's real address, R1), the items, and, while
the payment has not cleared (Pending), that the order must not be shipped yet."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.selectors import seller_notification_address
from messaging.email.services.outbound import _queue, absolute_url, display_address
from messaging.models import OutboundEmail
from orders.events import OrderEvent
from orders.models import Order, OrderStatus

NEW_ORDER_SUBJECT = "New order {number}"
NEW_ORDER_PENDING_SUBJECT = "New order {number}: Pending, do not ship yet"


def new_order_notice_queue(event: OrderEvent) -> OutboundEmail | None:
    order = Order.objects.select_related("seller", "relationship").get(pk=event.order_id)
    recipient = seller_notification_address(seller=order.seller)
    if not recipient:
        return None  # an account without an owner or address: nobody to tell
    pending = order.status == OrderStatus.PENDING
    context = {
        "order": order,
        "buyer_alias": order.relationship.buyer_alias,
        "items": list(order.items.select_related("product").order_by("id")),
        "pending": pending,
        "order_url": absolute_url(reverse("orders:order_detail", args=[order.number])),
    }
    text = render_to_string("emails/notices/new_order.txt", context)
    html = render_to_string("emails/notices/new_order.html", context)
    subject = (NEW_ORDER_PENDING_SUBJECT if pending else NEW_ORDER_SUBJECT).format(
        number=order.number
    )
    return _queue(
        kind=OutboundEmail.Kind.NEW_ORDER,
        key=f"notice:placed:{order.pk}",
        recipient=recipient,
        from_email=display_address("AlphaDiscounters Seller Central", settings.DEFAULT_FROM_EMAIL),
        subject=subject,
        text=text,
        html=html,
        headers={"Auto-Submitted": "auto-generated"},
    )
