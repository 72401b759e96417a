"""Response-time metrics (R21), computed set-based in the database by a periodic task.

For every buyer message that needs a response: the time to the seller's first delivered reply
on its case after it (one reply answers every earlier unanswered buyer message of the case).
A message is counted once its fate is known: answered (within 24 hours or later), or
unanswered for more than 24 hours, or on a case closed before any reply (not answered within 24
hours). Messages marked No Response Needed or reported are not counted. The figures are stored
per seller and day of the buyer message, so the dashboard sums a few rows.

Incremental: a run recomputes only the days of buyer messages on cases that changed since the
last run (`Case.summary_changed_at`, kept by every service), plus the last two days, whose
messages can pass the 24-hour mark by time alone.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import Direction
from messaging.models import Message, MetricsWatermark, ResponseTimeDaily
from messaging.selectors import METRICS_WATERMARK as WATERMARK
from messaging.selectors import buyer_messages_with_reply, classify

AGING_DAYS = 2


def _days_to_compute(since: datetime | None, now: datetime) -> set[date] | None:
    """None means every day (the first run)."""
    if since is None:
        return None
    changed = (
        Message.objects.filter(
            direction=Direction.BUYER_TO_SELLER, case__summary_changed_at__gt=since
        )
        .annotate(day=TruncDate("created_at"))
        .values_list("day", flat=True)
        .distinct()
    )
    today = now.date()
    return set(changed) | {today - timedelta(days=n) for n in range(AGING_DAYS + 1)}


@transaction.atomic
def response_metrics_compute(*, now: datetime | None = None, full: bool = False) -> int:
    """Recompute the daily figures of the days touched since the last run (all days with
    `full`, or on the first run). Returns how many (seller, day) rows were written."""
    # The watermark is wall-clock time, like `Case.summary_changed_at`; `now` (a parameter for
    # tests and backfills) only decides which messages have passed the 24-hour mark.
    started = timezone.now()
    now = now or started
    watermark = MetricsWatermark.objects.select_for_update().filter(name=WATERMARK).first()
    days = None if full or watermark is None else _days_to_compute(watermark.changed_after, now)
    messages = Message.objects.all()
    if days is not None:
        messages = messages.filter(created_at__date__in=days)
    buckets = classify(now)
    response = ExpressionWrapper(F("reply_at") - F("created_at"), output_field=DurationField())
    rows = (
        buyer_messages_with_reply(messages)
        .annotate(day=TruncDate("created_at"))
        .values("seller_id", "day")
        .annotate(
            within=Count("id", filter=buckets["within"]),
            later=Count("id", filter=buckets["later"]),
            unanswered=Count("id", filter=buckets["unanswered"]),
            seconds=Sum(response, filter=buckets["within"] | buckets["later"]),
        )
        .order_by()
    )
    stale = ResponseTimeDaily.objects.all()
    if days is not None:
        stale = stale.filter(day__in=days)
    stale.delete()
    fresh = [
        ResponseTimeDaily(
            seller_id=row["seller_id"],
            day=row["day"],
            within_target=row["within"],
            later=row["later"],
            unanswered=row["unanswered"],
            counted=row["within"] + row["later"] + row["unanswered"],
            response_seconds_total=int(row["seconds"].total_seconds()) if row["seconds"] else 0,
            computed_at=now,
        )
        for row in rows
    ]
    ResponseTimeDaily.objects.bulk_create(fresh, batch_size=1000)
    MetricsWatermark.objects.update_or_create(
        name=WATERMARK, defaults={"changed_after": started, "computed_at": started}
    )
    return len(fresh)
