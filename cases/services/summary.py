"""The inbox summary on the case row: what the inbox filters, sorts and shows of a case's
messages, kept on the case so that the inbox reads cases only (ARCHITECTURE.md, "What the inbox
reads"). One SQL statement computes and writes it, for one case (every message, flag and
answer) as for thousands (the benchmark loaders). `needs_response` is not written here: the
database derives it from `waiting_since` and the state (cases.models.Case).

The statement reads the messages by their table's name (`MESSAGE_TABLE`): `Message` lives in
messaging, a layer above, and cases imports nothing from it."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from cases.models import (
    CASE_TABLE,
    INBOX_SUMMARY_FIELDS,
    MESSAGE_TABLE,
    SUMMARY_STAMP_FIELD,
    Case,
    Direction,
    Outcome,
    ResponseState,
)

SNIPPET_LENGTH = 160
SUMMARY_BATCH_SIZE = 1000
# What the statement gives back for the case in hand: the summary, its stamp and the activity.
RETURNED = (*INBOX_SUMMARY_FIELDS, SUMMARY_STAMP_FIELD, "last_activity_at")

# What Python's `str.split()` splits on: a snippet is the text with each run of spaces, tabs,
# line breaks and Unicode spaces made one space.
_WHITESPACE_CLASS = (
    r"[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u001c-\u001f]+"
)

# `{cases}` is a condition on a case id, written with `{id}`: the messages are read by case id
# (the `message_case_created` index), the case rows by primary key. A case without messages
# gets the empty summary through the LEFT JOINs.
_SUMMARIES_SQL = """
WITH agg AS (
    SELECT case_id,
        MIN(created_at) FILTER (WHERE direction = %(b2s)s AND response_state = %(needed)s)
            AS waiting_since,
        bool_or(response_state = %(responded)s) AS responded,
        bool_or(response_state = %(nrn)s) AS nrn,
        bool_or(response_state = %(reported)s) AS reported,
        bool_or(direction = %(s2b)s) AS has_sent,
        COUNT(*) AS n
    FROM {messages} WHERE {of_messages} GROUP BY case_id
), latest AS (
    SELECT DISTINCT ON (case_id) case_id, created_at, direction, body_text, outcome, outcome_rule
    FROM {messages} WHERE {of_messages}
    ORDER BY case_id, created_at DESC, id DESC
), buyer_latest AS (
    -- What the buyer sees: their own messages, and the seller messages that reached them.
    SELECT DISTINCT ON (case_id) case_id, created_at, body_text
    FROM {messages}
    WHERE {of_messages} AND (direction = %(b2s)s OR outcome = %(delivered)s)
    ORDER BY case_id, created_at DESC, id DESC
)
UPDATE {cases} c SET
    waiting_since = agg.waiting_since,
    responded = COALESCE(agg.responded, false),
    has_no_response_needed = COALESCE(agg.nrn, false),
    reported = COALESCE(agg.reported, false),
    has_sent = COALESCE(agg.has_sent, false),
    message_count = COALESCE(agg.n, 0),
    latest_message_at = latest.created_at,
    latest_direction = COALESCE(latest.direction, ''),
    latest_snippet = COALESCE(
        left(btrim(regexp_replace(latest.body_text, %(space)s, ' ', 'g')), %(length)s), ''),
    -- The rule that blocked the latest message (its outcome when no rule is named).
    latest_blocked_rule = CASE WHEN latest.outcome IS NULL OR latest.outcome = %(delivered)s
        THEN '' ELSE COALESCE(NULLIF(latest.outcome_rule, ''), latest.outcome) END,
    buyer_latest_at = buyer_latest.created_at,
    buyer_latest_snippet = COALESCE(
        left(btrim(regexp_replace(buyer_latest.body_text, %(space)s, ' ', 'g')), %(length)s), ''),
    -- A new message is activity (R10); a refresh leaves it as it was.
    last_activity_at = COALESCE(%(activity_at)s, c.last_activity_at),
    summary_changed_at = %(stamp)s
FROM {cases} k
LEFT JOIN agg ON agg.case_id = k.id
LEFT JOIN latest ON latest.case_id = k.id
LEFT JOIN buyer_latest ON buyer_latest.case_id = k.id
WHERE c.id = k.id AND {of_cases}
RETURNING c.id{returned}
"""


def _summaries_write(
    cases: str,
    params: dict[str, Any],
    *,
    activity_at: datetime | None = None,
    returned: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Compute and write the inbox summary of the cases whose id meets `cases`, in one
    statement. Returns a row per case written: its id, then the `returned` columns."""
    sql = _SUMMARIES_SQL.format(
        messages=MESSAGE_TABLE,
        cases=CASE_TABLE,
        of_messages=cases.format(id="case_id"),
        of_cases=cases.format(id="k.id"),
        returned="".join(f", c.{name}" for name in returned),
    )
    params = {
        "b2s": Direction.BUYER_TO_SELLER.value,
        "s2b": Direction.SELLER_TO_BUYER.value,
        "needed": ResponseState.NEEDED.value,
        "responded": ResponseState.RESPONDED.value,
        "nrn": ResponseState.NO_RESPONSE_NEEDED.value,
        "reported": ResponseState.REPORTED.value,
        "delivered": Outcome.DELIVERED.value,
        "length": SNIPPET_LENGTH,
        "space": _WHITESPACE_CLASS,
        "activity_at": activity_at,
        "stamp": timezone.now(),
        **params,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def case_summary_write(case: Case, *, activity_at: datetime | None = None) -> None:
    """The inbox summary of one case (and, with `activity_at`, its last activity), also set on
    the `case` object in hand: the send funnel's path, through `case_record_message`."""
    (row,) = _summaries_write(
        "{id} = %(id)s", {"id": case.pk}, activity_at=activity_at, returned=RETURNED
    )
    for name, value in zip(RETURNED, row[1:], strict=True):
        setattr(case, name, value)


def case_summaries_refresh(case_ids: Iterable[int]) -> int:
    """Recompute the inbox summary of these cases from their messages: one statement per batch
    of SUMMARY_BATCH_SIZE cases. Every service that changes a message calls it in the same
    transaction; the benchmark top-up calls it for thousands at once. Returns how many cases
    were refreshed."""
    ids = list(case_ids)
    refreshed = 0
    for start in range(0, len(ids), SUMMARY_BATCH_SIZE):
        chunk = ids[start : start + SUMMARY_BATCH_SIZE]
        refreshed += len(_summaries_write("{id} = ANY(%(ids)s)", {"ids": chunk}))
    return refreshed


def case_summaries_refresh_id_range(first_id: int, last_id: int) -> int:
    """`case_summaries_refresh` for every case with an id in [first_id, last_id], in one
    statement: a bulk load of hundreds of thousands of cases (`seed_scale`). Returns how many
    cases were refreshed."""
    which = "{id} BETWEEN %(first)s AND %(last)s"
    return len(_summaries_write(which, {"first": first_id, "last": last_id}))
