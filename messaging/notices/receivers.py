"""Connected in MessagingConfig.ready: every order event becomes its notice, queued in the
transaction of the change (orders.events), so a notice exists exactly when the change does."""

from typing import Any

from django.dispatch import receiver

from messaging.notices.buyer import BUYER_NOTICE_KINDS, buyer_notice_queue
from messaging.notices.seller import new_order_notice_queue
from orders.events import OrderEvent, OrderEventKind, order_event


@receiver(order_event, dispatch_uid="messaging.notices.order_event_notices")
def order_event_notices(sender: Any, event: OrderEvent, **kwargs: Any) -> None:
    if event.kind == OrderEventKind.PLACED:
        new_order_notice_queue(event)
    elif event.kind == OrderEventKind.REFUNDED and event.details.get("cancellation"):
        return  # the cancellation notice names the refund: one email for one action
    elif event.kind in BUYER_NOTICE_KINDS:
        buyer_notice_queue(event)
