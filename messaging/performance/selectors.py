"""Response-time metrics (R21): the rule in SQL (read by the metrics task and the list of late
messages) and the figures the dashboard shows."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, overload

from django.conf import settings
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.models import SellerAccount
from cases.models import Case, CaseStatus, ResponseState
from core.rows import fields_in_model_order
from messaging.models import Direction, Message, MetricsWatermark, Outcome, ResponseTimeDaily


def _target() -> timedelta:
    return timedelta(hours=settings.MESSAGING_RESPONSE_TARGET_HOURS)


# R21 in SQL, the one definition the metrics task (messaging.performance.services) and the
# dashboard's list of late messages both read. The buyer messages (`b`, with their case `c`)
# each with `reply.at`: the first delivered seller message on its case at or after it (NULL
# while unanswered). One reply answers every earlier unanswered buyer message of the case. A
# LATERAL subquery: the reply is looked up once per message, however often the buckets name
# it (an expression would be evaluated again in each).
R21_MESSAGES = f"""
    {Message._meta.db_table} b
    JOIN {Case._meta.db_table} c ON c.id = b.case_id
    LEFT JOIN LATERAL (
        SELECT r.created_at AS at FROM {Message._meta.db_table} r
        WHERE r.case_id = b.case_id AND r.direction = '{Direction.SELLER_TO_BUYER.value}'
          AND r.outcome = '{Outcome.DELIVERED.value}' AND r.created_at >= b.created_at
        ORDER BY r.created_at LIMIT 1
    ) reply ON TRUE
"""  # noqa: S608  (names and values from the models)
# The buyer messages that count: those marked No Response Needed or reported do not.
R21_COUNTED = (
    f"b.direction = '{Direction.BUYER_TO_SELLER.value}' AND b.response_state NOT IN "
    f"('{ResponseState.NO_RESPONSE_NEEDED.value}', '{ResponseState.REPORTED.value}')"
)
# The buckets a counted message falls in once its fate is known: answered within the target,
# answered later, or unanswered for longer than the target or on a case closed before any
# reply; none yet while it waits within the target. Parameters: `target` and `now` (r21_params).
R21_BUCKETS = {
    "within": "reply.at <= b.created_at + %(target)s",
    "later": "reply.at > b.created_at + %(target)s",
    "unanswered": (
        "reply.at IS NULL AND "
        f"(b.created_at < %(now)s - %(target)s OR c.status = '{CaseStatus.CLOSED.value}')"
    ),
}


def r21_params(now: datetime) -> dict[str, Any]:
    """The values R21_BUCKETS' conditions take."""
    return {"target": _target(), "now": now}


METRIC_WINDOWS = (7, 30, 90)
METRICS_WATERMARK = "response_time"


@dataclass(frozen=True)
class ResponseFigures:
    days: int
    counted: int
    within_target: int
    later: int
    unanswered: int
    average_seconds: int | None

    @property
    def within_percent(self) -> float | None:
        return 100 * self.within_target / self.counted if self.counted else None

    @property
    def average_hours(self) -> float | None:
        return self.average_seconds / 3600 if self.average_seconds is not None else None

    @property
    def later_percent(self) -> float | None:
        return 100 * self.later / self.counted if self.counted else None


def response_figures(*, seller: SellerAccount, today: date | None = None) -> list[ResponseFigures]:
    """R21 for the last 7, 30 and 90 days (today included), from the stored daily rows: one
    query."""
    today = today or timezone.now().date()
    start = {n: today - timedelta(days=n - 1) for n in METRIC_WINDOWS}
    sums = {}
    for n in METRIC_WINDOWS:
        in_window = Q(day__gte=start[n], day__lte=today)
        sums.update(
            {
                f"counted_{n}": Sum("counted", filter=in_window, default=0),
                f"within_{n}": Sum("within_target", filter=in_window, default=0),
                f"later_{n}": Sum("later", filter=in_window, default=0),
                f"unanswered_{n}": Sum("unanswered", filter=in_window, default=0),
                f"seconds_{n}": Sum("response_seconds_total", filter=in_window, default=0),
            }
        )
    totals = ResponseTimeDaily.objects.filter(seller=seller).aggregate(**sums)
    figures = []
    for n in METRIC_WINDOWS:
        answered = totals[f"within_{n}"] + totals[f"later_{n}"]
        figures.append(
            ResponseFigures(
                days=n,
                counted=totals[f"counted_{n}"],
                within_target=totals[f"within_{n}"],
                later=totals[f"later_{n}"],
                unanswered=totals[f"unanswered_{n}"],
                average_seconds=totals[f"seconds_{n}"] // answered if answered else None,
            )
        )
    return figures


def response_days(
    *, seller: SellerAccount, days: int = 90, today: date | None = None
) -> list[tuple[date, ResponseTimeDaily | None]]:
    """Every day of the window with its stored row (None where no buyer message counted)."""
    today = today or timezone.now().date()
    start = today - timedelta(days=days - 1)
    rows = {
        row.day: row
        for row in ResponseTimeDaily.objects.filter(seller=seller, day__gte=start, day__lte=today)
    }
    return [(start + timedelta(days=n), rows.get(start + timedelta(days=n))) for n in range(days)]


def late_and_unanswered_messages(
    *, seller: SellerAccount, days: int = 30, now: datetime | None = None
) -> "LateMessages":
    """The buyer messages of the window answered after the target or not at all (R21), with
    their case, newest first: a list Paginator pages (each count and page a query)."""
    now = now or timezone.now()
    return LateMessages(seller_id=seller.pk, since=now - timedelta(days=days), now=now)


class LateMessages(Sequence[Message]):
    """R21's late and unanswered messages of a seller since a moment, for Paginator: its length
    and each slice are one query. Each item is a Message (its id, case and time) with
    `reply_at` and its `case` (subject, order ID, buyer alias)."""

    def __init__(self, *, seller_id: int, since: datetime, now: datetime) -> None:
        late = f"(({R21_BUCKETS['later']}) OR ({R21_BUCKETS['unanswered']}))"
        self._from = (
            f"FROM {R21_MESSAGES} WHERE {R21_COUNTED} AND b.seller_id = %(seller)s"  # noqa: S608
            f" AND b.created_at >= %(since)s AND {late}"
        )
        self._params = {**r21_params(now), "seller": seller_id, "since": since}

    def __len__(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {self._from}", self._params)
            (count,) = cursor.fetchone()
        return int(count)

    @overload
    def __getitem__(self, index: int) -> Message: ...
    @overload
    def __getitem__(self, index: slice) -> list[Message]: ...
    def __getitem__(self, index: int | slice) -> Message | list[Message]:
        if isinstance(index, int):
            found = self._read(offset=index, limit=1) if index >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step is not None or (index.start or 0) < 0 or (index.stop or 0) < 0:
            raise ValueError("LateMessages takes slices from a start, without a step")
        start = index.start or 0
        return self._read(offset=start, limit=None if index.stop is None else index.stop - start)

    def __iter__(self) -> Iterator[Message]:
        return iter(self._read(offset=0, limit=None))

    def _read(self, *, offset: int, limit: int | None) -> list[Message]:
        columns = ", ".join(
            [f"b.{name}" for name in _LATE_MESSAGE_FIELDS]
            + [f"c.{name}" for name in _LATE_CASE_FIELDS]
            + ["reply.at"]
        )
        sql = (
            f"SELECT {columns} {self._from} ORDER BY b.created_at DESC, b.id DESC"  # noqa: S608
            " LIMIT %(_limit)s OFFSET %(_offset)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, {**self._params, "_limit": limit, "_offset": offset})
            rows = cursor.fetchall()
        width = len(_LATE_MESSAGE_FIELDS)
        messages = []
        for row in rows:
            message = Message.from_db(connection.alias, _LATE_MESSAGE_FIELDS, row[:width])
            message.case = Case.from_db(connection.alias, _LATE_CASE_FIELDS, row[width:-1])
            message.reply_at = row[-1]  # type: ignore[attr-defined]
            messages.append(message)
        return messages


_LATE_MESSAGE_FIELDS = fields_in_model_order(Message, {"id", "case_id", "created_at"})
_LATE_CASE_FIELDS = fields_in_model_order(Case, {"id", "subject", "order_number", "buyer_alias"})


def metrics_computed_at() -> datetime | None:
    return (
        MetricsWatermark.objects.filter(name=METRICS_WATERMARK)
        .values_list("computed_at", flat=True)
        .first()
    )
