"""Writes of the cases domain: opening a case, its state changes, and the inbox summary on the
case row. The messaging services call these in the same transaction as each message."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Field,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from accounts.models import Relationship, SellerMembership, User
from accounts.selectors import require_seller_member
from cases import policy
from cases.models import (
    INBOX_SUMMARY_FIELDS,
    MESSAGES_VISIBLE_TO_BUYER,
    SUMMARY_STAMP_FIELD,
    Case,
    CaseSearchText,
    CaseStatus,
    CaseTransition,
    Direction,
    Outcome,
    ResponseState,
)
from core.refusals import MessageRefused, Refusal, raise_if_refused
from orders.models import Order, Product

SNIPPET_LENGTH = 160
WRITTEN = (*INBOX_SUMMARY_FIELDS, SUMMARY_STAMP_FIELD)
SUMMARY_BATCH_SIZE = 1000
UPDATE_BATCH_SIZE = 100


def case_open(
    *,
    relationship: Relationship,
    order: Order | None,
    contact_reason: str,
    subject: str,
    started_by: str,
    actor: User | None,
    at: datetime,
    product: Product | None = None,
) -> Case:
    """A new case between the two parties of `relationship`, its first transition recorded."""
    case = Case.objects.create(
        seller_id=relationship.seller_id,
        buyer_id=relationship.buyer_id,
        relationship=relationship,
        order=order,
        product=product,
        contact_reason=contact_reason,
        subject=subject,
        started_by=started_by,
        created_at=at,
        status_changed_at=at,
        last_activity_at=at,
        buyer_alias=relationship.buyer_alias,
        order_number=order.number if order else "",
    )
    case_search_texts_write([case])
    case_record_opened(case=case, actor=actor, cause=started_by, at=at)
    return case


SEARCH_TEXT_FIELDS = ("buyer_alias", "order_number", "subject")


def case_search_texts_write(cases: Iterable[Case]) -> None:
    """What inbox search matches on these new cases (`CaseSearchText`), written once."""
    CaseSearchText.objects.bulk_create(
        CaseSearchText(
            case_id=case.pk,
            seller_id=case.seller_id,
            **{name: getattr(case, name) for name in SEARCH_TEXT_FIELDS},
        )
        for case in cases
    )


def case_search_texts_fill(first_id: int, last_id: int) -> int:
    """`case_search_texts_write` for every case with an id in [first_id, last_id], in one
    statement (a bulk load of hundreds of thousands of cases). Returns how many were written."""
    columns = ", ".join(SEARCH_TEXT_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CaseSearchText._meta.db_table} (case_id, seller_id, {columns}) "  # noqa: S608
            f"SELECT id, seller_id, {columns} FROM {Case._meta.db_table} "
            "WHERE id BETWEEN %s AND %s",
            [first_id, last_id],
        )
        return int(cursor.rowcount)


@transaction.atomic
def case_transition(
    *, case: Case, to_status: str, actor: User | None, cause: str, at: datetime | None = None
) -> Case:
    """Move a case to `to_status` and record who or what did it (SPEC section 3). A closed case
    no longer waits for a reply, so the inbox summary is refreshed with it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    raise_if_refused(policy.refuse_transition(from_status=case.status, to_status=to_status))
    at = at or timezone.now()
    CaseTransition.objects.create(
        case=case,
        from_status=case.status,
        to_status=to_status,
        actor=actor,
        cause=cause,
        created_at=at,
    )
    case.status = to_status
    case.status_changed_at = at
    case.save(update_fields=["status", "status_changed_at"])
    case_summary_refresh(case)
    return case


def case_record_opened(*, case: Case, actor: User | None, cause: str, at: datetime) -> None:
    """The first entry of a new case's transition log."""
    CaseTransition.objects.create(
        case=case,
        from_status="",
        to_status=CaseStatus.OPENED,
        actor=actor,
        cause=cause,
        created_at=at,
    )


def case_activity_record(*, case: Case, at: datetime) -> None:
    """A buyer or seller message is activity: R10 counts inactivity from here."""
    Case.objects.filter(pk=case.pk).update(last_activity_at=at)
    case.last_activity_at = at


# ---- the inbox summary: what the inbox filters, sorts and shows, kept on the case row


def _snippet(text: str) -> str:
    return " ".join(text.split())[:SNIPPET_LENGTH]


def _summaries(case_ids: list[int]) -> QuerySet[Case]:
    """Each case with its summary computed from its messages: one query for any number of
    cases (correlated subqueries on the `message_case_created` index)."""
    message_model = cast(type[Model], Case._meta.get_field("messages").related_model)
    messages = message_model._default_manager
    of_case = messages.filter(case=OuterRef("pk")).order_by()
    latest = of_case.order_by("-created_at", "-id")
    buyer_visible = latest.filter(MESSAGES_VISIBLE_TO_BUYER)

    def count(condition: Q) -> Subquery:
        return Subquery(
            of_case.filter(condition).values("case").annotate(n=Count("id")).values("n")[:1]
        )

    return Case.objects.filter(pk__in=case_ids).annotate(
        s_waiting_since=Subquery(
            of_case.filter(direction=Direction.BUYER_TO_SELLER, response_state=ResponseState.NEEDED)
            .values("case")
            .annotate(m=Min("created_at"))
            .values("m")[:1]
        ),
        s_responded=Exists(of_case.filter(response_state=ResponseState.RESPONDED)),
        s_no_response_needed=Exists(
            of_case.filter(response_state=ResponseState.NO_RESPONSE_NEEDED)
        ),
        s_reported=Exists(of_case.filter(response_state=ResponseState.REPORTED)),
        s_sent=Exists(of_case.filter(direction=Direction.SELLER_TO_BUYER)),
        s_total=count(Q()),
        s_latest_at=Subquery(latest.values("created_at")[:1]),
        s_latest_direction=Subquery(latest.values("direction")[:1]),
        s_latest_text=Subquery(latest.values("body_text")[:1]),
        s_latest_outcome=Subquery(latest.values("outcome")[:1]),
        s_latest_rule=Subquery(latest.values("outcome_rule")[:1]),
        s_buyer_latest_at=Subquery(buyer_visible.values("created_at")[:1]),
        s_buyer_latest_text=Subquery(buyer_visible.values("body_text")[:1]),
    )


def _apply_summary(case: Case) -> None:
    s = case.__dict__
    case.summary_changed_at = timezone.now()
    case.waiting_since = s["s_waiting_since"]
    # A closed case takes no reply, so it no longer waits for one.
    case.needs_response = case.waiting_since is not None and case.status != CaseStatus.CLOSED
    case.responded = s["s_responded"]
    case.has_no_response_needed = s["s_no_response_needed"]
    case.reported = s["s_reported"]
    case.has_sent = s["s_sent"]
    case.message_count = s["s_total"] or 0
    if s["s_latest_at"] is not None:
        case.latest_message_at = s["s_latest_at"]
        case.latest_direction = s["s_latest_direction"]
        case.latest_snippet = _snippet(s["s_latest_text"])
        outcome = s["s_latest_outcome"]
        case.latest_blocked_rule = (
            "" if outcome == Outcome.DELIVERED else (s["s_latest_rule"] or outcome)
        )
    if s["s_buyer_latest_at"] is not None:
        case.buyer_latest_at = s["s_buyer_latest_at"]
        case.buyer_latest_snippet = _snippet(s["s_buyer_latest_text"])


def case_summary_refresh(case: Case) -> None:
    """`case_summaries_refresh` for one case, also updating the `case` object in hand."""
    if connection.vendor == "postgresql":
        rows = _summaries_write("case_id = %(id)s", {"id": case.pk})
        if rows:  # a case without messages keeps an empty summary: the ORM form writes it
            for name, value in zip(WRITTEN, rows[0][1:], strict=True):
                setattr(case, name, value)
            return
    (fresh,) = _refresh(_summaries([case.pk]))
    for name in WRITTEN:
        setattr(case, name, getattr(fresh, name))


def _refresh(summaries: QuerySet[Case]) -> list[Case]:
    batch = list(summaries.order_by().only("id", "status", *WRITTEN))
    for case in batch:
        _apply_summary(case)
    if len(batch) == 1:
        # The hot path (every message): a plain UPDATE by primary key.
        Case.objects.filter(pk=batch[0].pk).update(
            **{name: getattr(batch[0], name) for name in WRITTEN}
        )
    else:
        # Small CASE WHEN statements: one over a thousand rows costs far more than ten of 100.
        Case.objects.bulk_update(batch, WRITTEN, batch_size=UPDATE_BATCH_SIZE)
    return batch


def case_summaries_refresh(case_ids: Iterable[int]) -> int:
    """Recompute the inbox summary of these cases from their messages, set-based: one query
    reads every summary, one UPDATE per batch writes them. Every service that changes a message
    calls it in the same transaction; the benchmark top-up calls it for thousands at once.
    Returns how many cases were refreshed."""
    ids = list(case_ids)
    refreshed = 0
    for start in range(0, len(ids), SUMMARY_BATCH_SIZE):
        chunk = ids[start : start + SUMMARY_BATCH_SIZE]
        if connection.vendor == "postgresql":
            written = {row[0] for row in _summaries_write("case_id = ANY(%(ids)s)", {"ids": chunk})}
            # Cases without messages (none in practice) get the ORM form's empty summary.
            chunk = [pk for pk in chunk if pk not in written]
            refreshed += len(written)
        if chunk:
            refreshed += len(_refresh(_summaries(chunk)))
    return refreshed


# What `str.split()` splits on (`_snippet`), for the SQL form of the snippet.
_WHITESPACE_CLASS = (
    r"[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u001c-\u001f]+"
)

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
    FROM {messages} WHERE {which} GROUP BY case_id
), latest AS (
    SELECT DISTINCT ON (case_id) case_id, created_at, direction, body_text, outcome, outcome_rule
    FROM {messages} WHERE {which}
    ORDER BY case_id, created_at DESC, id DESC
), buyer_latest AS (
    SELECT DISTINCT ON (case_id) case_id, created_at, body_text
    FROM {messages}
    WHERE {which} AND (direction = %(b2s)s OR outcome = %(delivered)s)
    ORDER BY case_id, created_at DESC, id DESC
)
UPDATE {cases} c SET
    waiting_since = agg.waiting_since,
    needs_response = agg.waiting_since IS NOT NULL AND c.status <> %(closed)s,
    responded = agg.responded,
    has_no_response_needed = agg.nrn,
    reported = agg.reported,
    has_sent = agg.has_sent,
    message_count = agg.n,
    latest_message_at = latest.created_at,
    latest_direction = latest.direction,
    latest_snippet = left(btrim(regexp_replace(latest.body_text, %(space)s, ' ', 'g')), %(length)s),
    latest_blocked_rule = CASE WHEN latest.outcome = %(delivered)s THEN ''
        ELSE COALESCE(NULLIF(latest.outcome_rule, ''), latest.outcome) END,
    buyer_latest_at = COALESCE(buyer_latest.created_at, c.buyer_latest_at),
    buyer_latest_snippet = COALESCE(
        left(btrim(regexp_replace(buyer_latest.body_text, %(space)s, ' ', 'g')), %(length)s),
        c.buyer_latest_snippet),
    summary_changed_at = %(stamp)s
FROM agg
JOIN latest ON latest.case_id = agg.case_id
LEFT JOIN buyer_latest ON buyer_latest.case_id = agg.case_id
WHERE c.id = agg.case_id
RETURNING c.id, {written}
"""


def _summaries_write(which: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """PostgreSQL: compute and write the inbox summary of the cases whose messages match
    `which` (a condition on `case_id`) in one statement, what `_summaries` + `_apply_summary`
    compute (tests/test_case_summaries.py, tests/test_seed_scale.py). Returns a row per case
    that has messages: its id, then the WRITTEN columns."""
    columns = [cast("Field[Any, Any]", Case._meta.get_field(name)).column for name in WRITTEN]
    sql = _SUMMARIES_SQL.format(
        messages=_message_table(),
        cases=Case._meta.db_table,
        which=which,
        written=", ".join(f"c.{connection.ops.quote_name(c)}" for c in columns),
    )
    params = {
        "b2s": Direction.BUYER_TO_SELLER.value,
        "s2b": Direction.SELLER_TO_BUYER.value,
        "needed": ResponseState.NEEDED.value,
        "responded": ResponseState.RESPONDED.value,
        "nrn": ResponseState.NO_RESPONSE_NEEDED.value,
        "reported": ResponseState.REPORTED.value,
        "delivered": Outcome.DELIVERED.value,
        "closed": CaseStatus.CLOSED.value,
        "length": SNIPPET_LENGTH,
        "space": _WHITESPACE_CLASS,
        "stamp": timezone.now(),
        **params,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def case_summaries_refresh_id_range(first_id: int, last_id: int) -> int:
    """The inbox summary of every case with an id in [first_id, last_id], for a bulk load of
    hundreds of thousands of cases (`seed_scale`). Returns how many cases were refreshed."""
    if connection.vendor != "postgresql":
        ids = Case.objects.filter(pk__range=(first_id, last_id)).values_list("pk", flat=True)
        return case_summaries_refresh(list(ids))
    which = "case_id BETWEEN %(first)s AND %(last)s"
    return len(_summaries_write(which, {"first": first_id, "last": last_id}))


def _message_table() -> str:
    """The messages' table, named through the relation (messaging sits above cases)."""
    message_model = cast(type[Model], Case._meta.get_field("messages").related_model)
    return str(message_model._meta.db_table)


def case_change_state_by_seller(
    *, case: Case, actor: User, to_status: str, at: datetime | None = None
) -> Case:
    """Resolve, Close or Reopen from the web inbox (never by email)."""
    require_seller_member(actor, case.seller_id)
    return case_transition(case=case, to_status=to_status, actor=actor, cause="seller", at=at)


# ---- R10: auto-close of cases without activity, with a warning the day before

AUTO_CLOSE_BATCH = 5000  # locked for about a second per batch; larger batches rescan less
INACTIVE_CAUSE = "closed automatically after {days} days without activity"
RESOLVED_CAUSE = "closed automatically after {days} days resolved"


_CLOSE_BATCH_SQL = """
WITH due AS (
    SELECT id, status FROM {cases} WHERE status = %(from_status)s AND {since} <= %(before)s
    ORDER BY {since} LIMIT %(limit)s FOR UPDATE SKIP LOCKED
), closed AS (
    UPDATE {cases} AS c SET status = %(closed)s, status_changed_at = %(at)s,
        needs_response = false, summary_changed_at = %(stamp)s
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
    """Close the cases in `from_status` whose `since` column is at or before `before`, a batch
    per transaction: each batch is locked (skipping rows a reply holds; the reply's case is
    then no longer due), closed and logged, the same rows as `case_transition` for each case
    (tests/test_r10_auto_close_batch.py). On PostgreSQL a batch is one statement.

    Closing changes no message, so of the inbox summary only `needs_response` can change (a
    closed case waits for no reply) and its stamp; the rest stays as the last message left it
    rather than being computed again (issue 13: that read was half the cost of closing)."""
    raise_if_refused(policy.refuse_transition(from_status=from_status, to_status=CaseStatus.CLOSED))
    closed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                written = _close_batch_sql(
                    from_status=from_status, since=since, before=before, cause=cause, at=at
                )
            else:
                written = _close_batch_orm(
                    from_status=from_status, since=since, before=before, cause=cause, at=at
                )
        if not written:
            return closed
        closed += written


def _close_batch_sql(
    *, from_status: str, since: str, before: datetime, cause: str, at: datetime
) -> int:
    sql = _CLOSE_BATCH_SQL.format(
        cases=Case._meta.db_table,
        transitions=CaseTransition._meta.db_table,
        since=connection.ops.quote_name(since),
    )
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
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _close_batch_orm(
    *, from_status: str, since: str, before: datetime, cause: str, at: datetime
) -> int:
    """`_close_batch_sql` for databases without data-modifying WITH (SQLite)."""
    due = Case.objects.filter(status=from_status, **{f"{since}__lte": before}).order_by(since)
    ids = list(
        due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:AUTO_CLOSE_BATCH]
    )
    Case.objects.filter(pk__in=ids).update(
        status=CaseStatus.CLOSED,
        status_changed_at=at,
        needs_response=False,
        summary_changed_at=timezone.now(),
    )
    CaseTransition.objects.bulk_create(
        CaseTransition(
            case_id=pk,
            from_status=from_status,
            to_status=CaseStatus.CLOSED,
            actor=None,
            cause=cause,
            created_at=at,
        )
        for pk in ids
    )
    return len(ids)


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


# ---- assignment (issue 14): a case can be owned by one member of its seller, or by nobody

ASSIGNED_CAUSE = "assigned by a member"
AUTO_ASSIGNED_CAUSE = "replied on an unassigned case"
UNASSIGNED_CAUSE = "unassigned by a member"
NOT_A_MEMBER_MSG = "{name} is not a member of your seller account: choose one of your team."


def _assignment_record(
    *, case: Case, kind: str, assignee: User | None, actor: User, cause: str, at: datetime
) -> None:
    """An assignment entry in the case's history; the state stays as it was."""
    CaseTransition.objects.create(
        case=case,
        kind=kind,
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        assignee=assignee,
        cause=cause,
        created_at=at,
    )


def _assigned_to_write(case: Case, member: User | None) -> None:
    # The live inbox notices an assignment like any other change of the case row (the stamp is
    # wall-clock time, as the summary refresh writes it, whatever time the history entry says).
    stamp = timezone.now()
    Case.objects.filter(pk=case.pk).update(assigned_to=member, summary_changed_at=stamp)
    case.assigned_to = member
    case.summary_changed_at = stamp


@transaction.atomic
def case_assign(
    *, case: Case, member: User, by: User, now: datetime | None = None, cause: str = ASSIGNED_CAUSE
) -> Case:
    """Assign `case` to `member`, a member of its seller, as `by` (a member of the same seller:
    NotAParty otherwise). Recorded in the case history; assigning it to whoever already has it
    changes nothing. MessageRefused when `member` is not one of the seller's members."""
    require_seller_member(by, case.seller_id)
    if not SellerMembership.objects.filter(seller_id=case.seller_id, user=member).exists():
        raise MessageRefused(
            Refusal(rule="CASE", message=NOT_A_MEMBER_MSG.format(name=member.get_full_name()))
        )
    locked = Case.objects.select_for_update().only("id", "status", "assigned_to").get(pk=case.pk)
    if locked.assigned_to_id == member.pk:
        case.assigned_to = member
        return case
    at = now or timezone.now()
    case.status = locked.status
    _assignment_record(
        case=case, kind=CaseTransition.Kind.ASSIGNED, assignee=member, actor=by, cause=cause, at=at
    )
    _assigned_to_write(case, member)
    return case


@transaction.atomic
def case_unassign(*, case: Case, by: User, now: datetime | None = None) -> Case:
    """Take the case from whoever has it (nobody owns it then), as `by`, a member of its seller.
    Recorded in the case history; an unassigned case stays as it is."""
    require_seller_member(by, case.seller_id)
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("assigned_to")
        .only("id", "status", "assigned_to")
        .get(pk=case.pk)
    )
    if locked.assigned_to_id is None:
        case.assigned_to = None
        return case
    at = now or timezone.now()
    case.status = locked.status
    _assignment_record(
        case=case,
        kind=CaseTransition.Kind.UNASSIGNED,
        assignee=locked.assigned_to,
        actor=by,
        cause=UNASSIGNED_CAUSE,
        at=at,
    )
    _assigned_to_write(case, None)
    return case


def case_assign_on_reply(*, case: Case, member: User, at: datetime) -> bool:
    """A member's reply on an unassigned case makes it theirs (recorded as such in the history).
    Called by the send funnel inside its transaction, with the case as it read it under a row
    lock and `member` known to be a member of the case's seller. Whether it assigned the case."""
    if case.assigned_to_id is not None:
        return False
    _assignment_record(
        case=case,
        kind=CaseTransition.Kind.ASSIGNED,
        assignee=member,
        actor=member,
        cause=AUTO_ASSIGNED_CAUSE,
        at=at,
    )
    _assigned_to_write(case, member)
    return True
