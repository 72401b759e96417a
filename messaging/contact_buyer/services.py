"""The writes of Contact Buyer and Request a Review, all through the send funnel:

- a platform text (R23) the seller started from, sent in the buyer's language;
- Request a Review (R17), from order details or automatically for sellers who switched it on
  (Settings), the periodic task's service.
"""

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation

from accounts.models import BuyerProfile, User
from core.refusals import MessageRefused, Refusal
from messaging import policy
from messaging.models import Channel, Message
from messaging.sending.services import Draft, message_send
from orders.models import Order, OrderStatus
from templates_app import selectors as template_selectors
from templates_app.models import FALLBACK_LANGUAGE
from templates_app.placeholders import fill_placeholders
from templates_app.platform_defaults import REVIEW_REQUEST_KEY

logger = logging.getLogger(__name__)

PLATFORM_TEXT_MISSING_MSG = (
    "AlphaDiscounters has no text for “{key}” at the moment. Write your own message, or try "
    "again later."
)


def _normalized(text: str) -> str:
    """Text as typed in a browser compares equal to the same text stored: line endings,
    trailing spaces and surrounding blank lines aside."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    return "\n".join(line.rstrip() for line in lines)


def _platform_subject_body(*, key: str, order: Order, language: str) -> tuple[str, str, str]:
    """(language, subject, body) of platform template `key` for `order`, in `language` or
    English (R23), placeholders filled from the order. MessageRefused when it cannot be."""
    text = template_selectors.platform_text(key=key, language=language)
    if text is None:
        raise MessageRefused(Refusal(rule="R23", message=PLATFORM_TEXT_MISSING_MSG.format(key=key)))
    # The values in the text's language too: {adjustment_reason} is words (R28).
    with translation.override(text.language):
        values = template_selectors.placeholder_values(seller=order.seller, order=order)
    why = values.why_missing
    subject, subject_refusal = fill_placeholders(text.subject, values.values, why_missing=why)
    body, body_refusal = fill_placeholders(text.body, values.values, why_missing=why)
    refusal = subject_refusal or body_refusal
    if refusal is not None:
        raise MessageRefused(refusal)
    return text.language, subject, body


def platform_draft_for_buyer(*, draft: Draft, order: Order) -> Draft:
    """Contact Buyer with a platform template (R23): the seller saw it in English; sent as it
    was shown, the buyer gets it in their preferred language (English when there is no
    translation). A subject or body the seller changed is sent as written."""
    if not draft.platform_template:
        return draft
    key = draft.platform_template
    _, english_subject, english_body = _platform_subject_body(
        key=key, order=order, language=FALLBACK_LANGUAGE
    )
    if _normalized(draft.body_text) != _normalized(english_body):
        return draft
    language = template_selectors.buyer_language(buyer_id=order.buyer_id)
    _, subject, body = _platform_subject_body(key=key, order=order, language=language)
    if _normalized(draft.subject) != _normalized(english_subject):
        subject = draft.subject
    return replace(draft, subject=subject, body_text=body)


def review_request_send(
    *, sender: User | None, order: Order, now: datetime | None = None
) -> Message:
    """R17: the platform's review-request template in the buyer's preferred language (English
    when it has no translation in it, R23), through the funnel (once per order, 5 to 30 days
    after delivery; not critical, so opt-out blocks it: R2, R3)."""
    language = template_selectors.buyer_language(buyer_id=order.buyer_id)
    _, subject, body = _platform_subject_body(
        key=REVIEW_REQUEST_KEY, order=order, language=language
    )
    draft = Draft(
        body_text=body,
        subject=subject,
        contact_reason=policy.REVIEW_REQUEST_REASON,
        platform_template=REVIEW_REQUEST_KEY,
    )
    # Without a sender it is the automatic request, sent by the system for the seller.
    channel = Channel.WEB if sender is not None else Channel.SYSTEM
    return message_send(sender=sender, order=order, draft=draft, now=now, channel=channel)


# ---- automatic review requests (R17)

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
