"""R10: auto-close of cases without activity, with a warning the day before."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from cases import policy
from cases.models import CASE_TABLE, CASE_TRANSITION_TABLE, Case, CaseStatus, CaseTransition
from core.refusals import raise_if_refused

AUTO_CLOSE_BATCH = 5000  # locked for about a second per batch; larger batches rescan less
INACTIVE_CAUSE = "closed automatically after {days} days without activity"
RESOLVED_CAUSE = "closed automatically after {days} days resolved"

# One batch: lock the due cases (skipping rows a reply holds; the reply's case is then no
# longer due), close them, and log each closing as `case_transition` does. Closing changes no
# message, so the inbox summary stays as the last message left it: only its stamp moves, and
# `needs_response` follows from the state in the database (cases.models.Case).
_CLOSE_BATCH_SQL = """
WITH due AS (
    SELECT id, status FROM {cases} WHERE status = %(from_status)s AND {since} <= %(before)s
    ORDER BY {since} LIMIT %(limit)s FOR UPDATE SKIP LOCKED
), closed AS (
    UPDATE {cases} AS c SET status = %(closed)s, status_changed_at = %(at)s,
        summary_changed_at = %(stamp)s
    FROM due WHERE c.id = due.id AND c.status = %(from_status)s
    RETURNING c.id
)
INSERT INTO {transitions}
    (case_id, kind, from_status, to_status, actor_id, cause, assignee_id, created_at)
SELECT id, %(kind)s, %(from_status)s, %(closed)s, NULL, %(cause)s, NULL, %(at)s FROM closed
"""


def _close_in_batches(
    *, from_status: str, since: str, before: datetime, cause: str, at: datetime
) -> int:
    """Close the cases in `from_status` whose `since` column is at or before `before`, one
    statement and one transaction per batch of AUTO_CLOSE_BATCH cases; each case is left as
    `case_transition` leaves it (tests/cases/services/test_r10_auto_close_batch.py). Returns
    how many closed."""
    raise_if_refused(policy.refuse_transition(from_status=from_status, to_status=CaseStatus.CLOSED))
    sql = _CLOSE_BATCH_SQL.format(cases=CASE_TABLE, transitions=CASE_TRANSITION_TABLE, since=since)
    closed = 0
    while True:
        params: dict[str, Any] = {
            "from_status": from_status,
            "before": before,
            "limit": AUTO_CLOSE_BATCH,
            "closed": CaseStatus.CLOSED.value,
            "at": at,
            "stamp": timezone.now(),
            "kind": CaseTransition.Kind.STATUS.value,
            "cause": cause,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            written = int(cursor.rowcount)
        if not written:
            return closed
        closed += written


def cases_auto_close(*, now: datetime | None = None) -> int:
    """R10: close Opened cases with no buyer or seller activity for CASE_AUTO_CLOSE_DAYS and
    Resolved cases CASE_RESOLVED_CLOSE_DAYS after they were resolved, set-based in batches
    (`_close_in_batches`), each case logged and left as `case_transition` leaves it. Safe to
    run twice."""
    now = now or timezone.now()
    inactive_days, resolved_days = settings.CASE_AUTO_CLOSE_DAYS, settings.CASE_RESOLVED_CLOSE_DAYS
    return _close_in_batches(
        from_status=CaseStatus.OPENED,
        since="last_activity_at",
        before=now - timedelta(days=inactive_days),
        cause=INACTIVE_CAUSE.format(days=inactive_days),
        at=now,
    ) + _close_in_batches(
        from_status=CaseStatus.RESOLVED,
        since="status_changed_at",
        before=now - timedelta(days=resolved_days),
        cause=RESOLVED_CAUSE.format(days=resolved_days),
        at=now,
    )


def cases_closing_warn(*, now: datetime | None = None) -> list[Case]:
    """R10: the Opened cases that close within a day unless someone writes, not yet warned
    about for this quiet spell; marks them warned and returns them (the caller tells the
    buyer). A reply moves `last_activity_at`, so the next quiet spell is warned about again."""
    now = now or timezone.now()
    days = settings.CASE_AUTO_CLOSE_DAYS
    due = Case.objects.filter(
        status=CaseStatus.OPENED,
        last_activity_at__lte=now - timedelta(days=days - 1),
        last_activity_at__gt=now - timedelta(days=days),
    ).exclude(closing_warned_for=F("last_activity_at"))
    warned = []
    for case in due.select_related("relationship", "seller")[:AUTO_CLOSE_BATCH]:
        if (
            Case.objects.filter(pk=case.pk, last_activity_at=case.last_activity_at)
            .exclude(closing_warned_for=F("last_activity_at"))
            .update(closing_warned_for=F("last_activity_at"))
        ):
            case.closing_warned_for = case.last_activity_at
            warned.append(case)
    return warned
