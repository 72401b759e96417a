"""What the send funnel reads, which the pages show too: R8's messages delivered today and the
daily limit (cached for the pages, counted afresh for a send), and R17's once per order."""

from datetime import UTC, date, datetime

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from accounts.models import SellerAccount
from messaging import policy
from messaging.models import Direction, Message, Outcome
from orders.models import Order
from orders.selectors import order_volume_last_30_days


def _utc_midnight(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def seller_daily_allowance(
    *, seller: SellerAccount, now: datetime | None = None
) -> tuple[int, int]:
    """R8: (messages delivered today, UTC, and the daily limit), for the send funnel: counted
    afresh on every call (the funnel holds the seller's lock while it counts).

    The limit comes from the orders of the 30 whole UTC days before today, so it stays the same
    all day; that count is cached for the day (orders.selectors.order_volume_last_30_days)."""
    now = now or timezone.now()
    midnight = _utc_midnight(now)
    orders = order_volume_last_30_days(seller_id=seller.pk, today=midnight.date())
    sent = _sent_since(seller_id=seller.pk, midnight=midnight, now=now)
    return sent, policy.daily_message_limit(orders_last_30_days=orders)


def _sent_since(*, seller_id: int, midnight: datetime, now: datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            _SENT_TODAY_SQL.format(message=Message._meta.db_table),
            {
                "seller": seller_id,
                "midnight": midnight,
                "now": now,
                "s2b": Direction.SELLER_TO_BUYER.value,
                "delivered": Outcome.DELIVERED.value,
            },
        )
        (sent,) = cursor.fetchone()
    return int(sent)


# R8's messages delivered today, in plain SQL: the case page and every send ask for it, and
# compiling the equivalent queryset cost more than running it. Counted index-only on
# message_sent_delivered (partial: delivered seller messages).
_SENT_TODAY_SQL = """
    SELECT COUNT(*) FROM {message}
    WHERE seller_id = %(seller)s AND direction = %(s2b)s AND outcome = %(delivered)s
      AND created_at >= %(midnight)s AND created_at <= %(now)s
"""

# How long the pages may show a count of today's delivered messages: each delivery through the
# funnel drops it at once (sent_today_forget); this bounds what a race with a page reading it
# as a send commits, or a bulk load past the funnel (the demo data), can leave.
SENT_TODAY_CACHE_SECONDS = 60


def sent_today_cache_key(*, seller_id: int, today: date) -> str:
    return f"r8:sent:{seller_id}:{today.isoformat()}"


def sent_today_forget(*, seller_id: int, today: date) -> None:
    """The seller delivered a message today: the pages count again (the send funnel calls
    this when the message commits)."""
    cache.delete(sent_today_cache_key(seller_id=seller_id, today=today))


def seller_messages_left_today(*, seller: SellerAccount) -> tuple[int, int]:
    """R8 for the pages: (messages left today, the daily limit). The count of today's delivered
    messages comes from the cache while no message of the seller was delivered since it was
    counted (at most SENT_TODAY_CACHE_SECONDS old): a large seller's case page counted
    thousands of index entries on every view. Sending counts afresh (seller_daily_allowance)."""
    now = timezone.now()
    midnight = _utc_midnight(now)
    key = sent_today_cache_key(seller_id=seller.pk, today=midnight.date())
    sent = cache.get(key)
    if sent is None:
        sent = _sent_since(seller_id=seller.pk, midnight=midnight, now=now)
        cache.set(key, sent, SENT_TODAY_CACHE_SECONDS)
    orders = order_volume_last_30_days(seller_id=seller.pk, today=midnight.date())
    limit = policy.daily_message_limit(orders_last_30_days=orders)
    return max(limit - sent, 0), limit


def review_already_requested(order: Order) -> bool:
    """R17: once per order counts a request that reached the buyer; one blocked by the buyer's
    opt-out (R2) did not, so it does not use up the order's one request."""
    return Message.objects.filter(
        order=order, contact_reason=policy.REVIEW_REQUEST_REASON, outcome=Outcome.DELIVERED
    ).exists()
