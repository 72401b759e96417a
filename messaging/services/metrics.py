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

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as CaseWhen
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    QuerySet,
    Sum,
    ValueRange,
    When,
    Window,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import CaseStatus, Direction, Outcome, ResponseState
from messaging.models import Message, MetricsWatermark, ResponseTimeDaily
from messaging.selectors import METRICS_WATERMARK as WATERMARK
from messaging.selectors import buyer_messages_with_reply, classify

AGING_DAYS = 2
WRITE_BATCH = 1000


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


# Each buyer message's first reply is computed once (a MATERIALIZED CTE): the ORM form below
# repeats the correlated subquery in every FILTER, which PostgreSQL evaluates each time.
ROWS_SQL = """
WITH m AS MATERIALIZED ({inner})
SELECT seller_id, day,
    COUNT(*) FILTER (WHERE reply_at IS NOT NULL AND reply_at <= created_at + %s) AS within,
    COUNT(*) FILTER (WHERE reply_at IS NOT NULL AND reply_at > created_at + %s) AS later,
    COUNT(*) FILTER (WHERE reply_at IS NULL AND (created_at < %s OR case_status = %s))
        AS unanswered,
    SUM(reply_at - created_at) FILTER (WHERE reply_at IS NOT NULL) AS seconds
FROM m {where} GROUP BY seller_id, day
"""
# A full run reads every message once, in case and time order, instead: each message's reply is
# the first delivered seller message of its case at or after it, the same as
# `buyer_messages_with_reply` (a window from the case's latest message down to this one's
# time, ties included), then only the buyer messages that count are kept.
EVERY_DAY_WHERE = "WHERE direction = %s AND response_state NOT IN (%s, %s)"


def _every_message_with_reply() -> QuerySet[Message]:
    reply_at = Window(
        Min(
            CaseWhen(
                When(
                    direction=Direction.SELLER_TO_BUYER,
                    outcome=Outcome.DELIVERED,
                    then=F("created_at"),
                )
            )
        ),
        partition_by=[F("case_id")],
        order_by=F("created_at").desc(),
        frame=ValueRange(start=None, end=0),
    )
    return Message.objects.annotate(reply_at=reply_at)


def _rows(
    messages: QuerySet[Message], now: datetime, *, every_day: bool
) -> Iterator[dict[str, Any]]:
    """Per (seller, day of the buyer message): the R21 buckets (`classify`) and the total
    response time of the answered ones, a chunk at a time (a full run has a row per seller and
    day: memory stays flat)."""
    with_reply = buyer_messages_with_reply(messages).annotate(day=TruncDate("created_at"))
    where, where_args = "", []
    if every_day:
        with_reply = _every_message_with_reply().annotate(day=TruncDate("created_at"))
        where = EVERY_DAY_WHERE
        where_args = [
            Direction.BUYER_TO_SELLER.value,
            ResponseState.NO_RESPONSE_NEEDED.value,
            ResponseState.REPORTED.value,
        ]
    if connection.vendor != "postgresql":
        with_reply = buyer_messages_with_reply(messages).annotate(day=TruncDate("created_at"))
        buckets = classify(now)
        response = ExpressionWrapper(F("reply_at") - F("created_at"), output_field=DurationField())
        yield from (
            with_reply.values("seller_id", "day")
            .annotate(
                within=Count("id", filter=buckets["within"]),
                later=Count("id", filter=buckets["later"]),
                unanswered=Count("id", filter=buckets["unanswered"]),
                seconds=Sum(response, filter=buckets["within"] | buckets["later"]),
            )
            .order_by()
            .iterator(chunk_size=WRITE_BATCH)
        )
        return
    inner, params = (
        with_reply.annotate(case_status=F("case__status"))
        .values(
            "seller_id",
            "day",
            "created_at",
            "reply_at",
            "case_status",
            "direction",
            "response_state",
        )
        .order_by()
        .query.sql_with_params()
    )
    target = timedelta(hours=settings.MESSAGING_RESPONSE_TARGET_HOURS)  # as `classify`
    args: list[Any] = [*params, target, target, now - target, CaseStatus.CLOSED.value]
    with connection.cursor() as cursor:
        cursor.execute(ROWS_SQL.format(inner=inner, where=where), [*args, *where_args])
        names = [column.name for column in cursor.description]
        while chunk := cursor.fetchmany(WRITE_BATCH):
            yield from (dict(zip(names, row, strict=True)) for row in chunk)


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
    rows = _rows(messages, now, every_day=days is None)
    stale = ResponseTimeDaily.objects.all()
    if days is not None:
        stale = stale.filter(day__in=days)
    stale.delete()
    fresh = (
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
    )
    written = 0
    while batch := list(islice(fresh, WRITE_BATCH)):
        ResponseTimeDaily.objects.bulk_create(batch)
        written += len(batch)
    MetricsWatermark.objects.update_or_create(
        name=WATERMARK, defaults={"changed_after": started, "computed_at": started}
    )
    return written
