"""Response-time metrics (R21), computed set-based in the database by a periodic task.

For every buyer message that needs a response: the time to the seller's first delivered reply
on its case after it (one reply answers every earlier unanswered buyer message of the case).
A message is counted once its fate is known: answered (within 24 hours or later), or
unanswered for more than 24 hours, or on a case closed before any reply (not answered within 24
hours). Messages marked No Response Needed or reported are not counted. The figures are stored
per seller and day of the buyer message, so the dashboard sums a few rows. The rule itself is
written once, in SQL: `R21_MESSAGES`, `R21_COUNTED` and `R21_BUCKETS` in
`messaging.performance.selectors`.

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
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import Direction
from messaging.models import Message, MetricsWatermark, ResponseTimeDaily
from messaging.performance.selectors import (
    METRICS_WATERMARK,
    R21_BUCKETS,
    R21_COUNTED,
    R21_MESSAGES,
    r21_params,
)

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


# Per (seller, day of the buyer message): how many messages fell in each R21 bucket, and the
# total response time of the answered ones. Days are those of TIME_ZONE, as `created_at__date`.
_COUNTS = ", ".join(
    f"COUNT(*) FILTER (WHERE {condition}) AS {name}" for name, condition in R21_BUCKETS.items()
)
_DAY = "(b.created_at AT TIME ZONE %(zone)s)::date"
ROWS_SQL = f"""
    SELECT b.seller_id, {_DAY} AS day, {_COUNTS}, SUM(reply.at - b.created_at) AS seconds
    FROM {R21_MESSAGES}
    WHERE {R21_COUNTED} AND {{days}}
    GROUP BY b.seller_id, day
"""  # noqa: S608  (the conditions are the module's own)


def _rows(now: datetime, days: set[date] | None) -> Iterator[dict[str, Any]]:
    """The rows of ROWS_SQL for the buyer messages of `days` (every day when None), a chunk at
    a time (a full run has a row per seller and day: memory stays flat). Each message's reply
    is looked up once, through the index on (case, created_at); a full run over 1,000,000
    messages reads them in about the time a window over every case took (bench/README.md)."""
    params = {**r21_params(now), "zone": settings.TIME_ZONE, "days": sorted(days or ())}
    sql = ROWS_SQL.format(days="TRUE" if days is None else f"{_DAY} = ANY(%(days)s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
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
    watermark = MetricsWatermark.objects.select_for_update().filter(name=METRICS_WATERMARK).first()
    days = None if full or watermark is None else _days_to_compute(watermark.changed_after, now)
    rows = _rows(now, days)
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
        name=METRICS_WATERMARK, defaults={"changed_after": started, "computed_at": started}
    )
    return written
