"""The limits on what a seller sends: the buyer's opt-out (R2), the 30-day window and the order
ID of a new conversation (R6, R7), the daily limit (R8) and the review request (R17)."""

from datetime import datetime, timedelta

from core.refusals import Refusal
from messaging.policy.contact_reasons import no_reasons_message, offers_no_reason

# ---- R2 opt-out


OPTED_OUT_BLOCK_MSG = (
    "The buyer has opted out of unsolicited messages, so this message was not delivered. "
    "Replies to the buyer's own messages always go through. If the message is critical to "
    "completing the order, send it with a critical contact reason (product customization "
    "question, delivery scheduling or shipping address issue) from Contact Buyer, or with "
    "“[Important]” in the email subject."
)


OPT_OUT_RULE = "R2"
# Said once above the list of undelivered messages (R4), not again for each of them.
OPTED_OUT_LIST_MSG = (
    "These messages were not delivered because the buyers opted out of unsolicited messages. "
    "Replies to a buyer's own messages always go through. If a message is critical to "
    "completing the order, send it again from Contact Buyer with a critical contact reason "
    "(product customization question, delivery scheduling or shipping address issue), or with "
    "“[Important]” in the email subject."
)


def block_for_opt_out(
    *, buyer_opted_out: bool, replies_to_buyer: bool, critical: bool
) -> Refusal | None:
    """R2: a seller message to an opted-out buyer is blocked, unless it replies to the buyer (on
    a case the buyer started or has written on: buyers cannot opt out of replies to their own
    messages), or it is critical (R3). A block is stored and bounced back (R4), not refused."""
    if buyer_opted_out and not replies_to_buyer and not critical:
        return Refusal(rule=OPT_OUT_RULE, message=OPTED_OUT_BLOCK_MSG)
    return None


# ---- R6 30-day window, R7 order ID


PROACTIVE_WINDOW_DAYS = 30
OUTSIDE_WINDOW_MSG = (
    "Order {order_number} was completed on {completed:%b %-d, %Y %H:%M} UTC, more than 30 days "
    "ago: sellers may not start new messages about it."
)
ORDER_ID_MISSING_MSG = (
    "A message that starts a conversation must name its order ID (e.g. 123-1234567-1234567) "
    "in the subject or body."
)


def refuse_outside_window(
    *, order_number: str, completed_at: datetime | None, now: datetime
) -> Refusal | None:
    """R6: no proactive seller message later than 30 days after completion."""
    if completed_at is not None and now > completed_at + timedelta(days=PROACTIVE_WINDOW_DAYS):
        return Refusal(
            rule="R6",
            message=OUTSIDE_WINDOW_MSG.format(order_number=order_number, completed=completed_at),
        )
    return None


def refuse_contact_buyer(
    *,
    status: str,
    order_number: str,
    completed_at: datetime | None,
    now: datetime,
    category_flags: frozenset[str] | set[str] = frozenset(),
) -> Refusal | None:
    """Whether Contact Buyer is possible for this order at all, before anyone writes: Pending
    and Canceled orders offer no reason (R5; a canceled one offers Problem with Order after a
    cancellation for No inventory or Could not ship, R28), and 30 days after completion the
    window has closed (R6)."""
    if offers_no_reason(status=status, category_flags=category_flags):
        return Refusal(rule="R5", message=no_reasons_message(status=status))
    return refuse_outside_window(order_number=order_number, completed_at=completed_at, now=now)


def refuse_missing_order_id(*, has_order_id: bool) -> Refusal | None:
    """R7: by email, a proactive message without an order ID is rejected."""
    if not has_order_id:
        return Refusal(rule="R7", message=ORDER_ID_MISSING_MSG)
    return None


# ---- R8 daily limit
#
# The average daily order volume is over the 30 whole UTC days before today (days D−30 … D−1,
# D today's UTC date): orders placed today do not count yet. The limit is then the same all day,
# as the count of messages is per UTC day (orders.selectors.order_volume_last_30_days).


DAILY_LIMIT_BASE = 600
DAILY_LIMIT_PER_AVERAGE_ORDER = 5
DAILY_LIMIT_WINDOW_DAYS = 30
DAILY_LIMIT_REACHED_MSG = (
    "You have sent {limit} messages today (UTC), your daily limit: 5 × your average daily orders "
    "over the last 30 days before today + 600. You can send more after midnight UTC."
)


def daily_message_limit(*, orders_last_30_days: int) -> int:
    """R8: 5 × (average daily order volume over the 30 whole UTC days before today) + 600,
    rounded down; `orders_last_30_days` is the seller's orders placed in those days."""
    return (
        DAILY_LIMIT_PER_AVERAGE_ORDER * orders_last_30_days
    ) // DAILY_LIMIT_WINDOW_DAYS + DAILY_LIMIT_BASE


def refuse_daily_limit(*, sent_today: int, limit: int) -> Refusal | None:
    """R8: the message after the limit is refused."""
    if sent_today >= limit:
        return Refusal(rule="R8", message=DAILY_LIMIT_REACHED_MSG.format(limit=limit))
    return None


# ---- R17 Request a Review


REVIEW_WINDOW_START_DAYS = 5
REVIEW_WINDOW_END_DAYS = 30
REVIEW_NOT_DELIVERED_MSG = "You can request a review once the order has been delivered."
REVIEW_TOO_EARLY_MSG = (
    "You can request a review from {start:%b %-d, %Y} to {end:%b %-d, %Y} "
    "(5 to 30 days after delivery)."
)
REVIEW_TOO_LATE_MSG = (
    "Reviews could be requested from {start:%b %-d, %Y} to {end:%b %-d, %Y} "
    "(5 to 30 days after delivery); that window has closed."
)
REVIEW_ALREADY_MSG = "A review was already requested for this order."
# The contact reason a review request is stored with (it is not one of the R5 reasons).
REVIEW_REQUEST_REASON = "review_request"


def review_window(*, delivered_at: datetime | None) -> tuple[datetime, datetime] | None:
    """R17: (first, last) moment a review may be requested, or None before delivery."""
    if delivered_at is None:
        return None
    return (
        delivered_at + timedelta(days=REVIEW_WINDOW_START_DAYS),
        delivered_at + timedelta(days=REVIEW_WINDOW_END_DAYS),
    )


def refuse_review_request(
    *, delivered_at: datetime | None, already_requested: bool, now: datetime
) -> Refusal | None:
    """R17: once per order, from 5 to 30 days after delivery."""
    if already_requested:
        return Refusal(rule="R17", message=REVIEW_ALREADY_MSG)
    window = review_window(delivered_at=delivered_at)
    if window is None:
        return Refusal(rule="R17", message=REVIEW_NOT_DELIVERED_MSG)
    start, end = window
    if now < start:
        return Refusal(rule="R17", message=REVIEW_TOO_EARLY_MSG.format(start=start, end=end))
    if now > end:
        return Refusal(rule="R17", message=REVIEW_TOO_LATE_MSG.format(start=start, end=end))
    return None
