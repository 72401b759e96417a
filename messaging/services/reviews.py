"""R17: automatic review requests, for sellers who switched them on (Settings)."""

import logging
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import BuyerProfile
from core.refusals import MessageRefused
from messaging import policy
from messaging.models import Message
from messaging.services.sending import review_request_send
from orders.models import Order, OrderStatus

logger = logging.getLogger(__name__)
BATCH = 500
MIN_DELAY_DAYS = 5


def _delay_passed(now: datetime) -> Q:
    """Delivered at least the seller's own delay ago: one condition per possible delay (5-30
    days), so it is one portable query whatever each seller chose."""
    condition = Q(pk__in=[])
    for days in range(MIN_DELAY_DAYS, policy.REVIEW_WINDOW_END_DAYS + 1):
        condition |= Q(
            seller__auto_review_delay_days=days, delivered_at__lte=now - timedelta(days=days)
        )
    return condition


def orders_due_for_review_request(*, now: datetime) -> QuerySet[Order]:
    """Delivered orders of sellers with automatic requests on, their delay passed and the R17
    window still open, never asked automatically before, with a buyer who has not opted out."""
    review_requests = Message.objects.filter(
        order=OuterRef("pk"), contact_reason=policy.REVIEW_REQUEST_REASON
    )
    opted_out = BuyerProfile.objects.filter(
        user_id=OuterRef("buyer_id"), opted_out_of_unsolicited=True
    )
    return (
        Order.objects.filter(
            seller__auto_review_requests=True,
            status=OrderStatus.DELIVERED,
            delivered_at__gt=now - timedelta(days=policy.REVIEW_WINDOW_END_DAYS),
        )
        .filter(_delay_passed(now))
        .exclude(Exists(review_requests))
        .exclude(Exists(opted_out))
        .select_related("seller")
        .order_by("delivered_at")
    )


def review_requests_auto_send(*, now: datetime | None = None) -> int:
    """Send the platform review request for every due order, as a system message for the
    seller through the send funnel (so R8 counts it). An order is asked once: it leaves the due
    list as soon as it has a review request. A refusal (the day's limit, R8) is tried again on
    the next run. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for order in orders_due_for_review_request(now=now)[:BATCH]:
        try:
            review_request_send(sender=None, order=order, now=now)
        except MessageRefused as refused:
            logger.info("Automatic review request for %s refused: %s", order.number, refused)
            continue
        sent += 1
    return sent
