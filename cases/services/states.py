"""The state of a case (SPEC section 3): its transitions, each in the case's history, and what
each new message does to its case."""

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import require_seller_member
from cases import policy
from cases.models import CASE_TABLE, Case, CaseStatus, CaseTransition
from cases.services.assignment import case_assign_on_reply
from cases.services.summary import case_summary_write
from core.refusals import raise_if_refused

REOPENED_BY_BUYER_CAUSE = "buyer message"

# The state changes and its stamp: the live inbox and the R21 metrics see the case as changed.
# `needs_response` comes back as the database derives it for the new state.
_STATUS_SQL = f"""
UPDATE {CASE_TABLE} SET status = %s, status_changed_at = %s, summary_changed_at = %s
WHERE id = %s RETURNING needs_response, summary_changed_at
"""  # noqa: S608


def _status_change(
    case: Case, *, to_status: str, actor: User | None, cause: str, at: datetime
) -> None:
    """Move `case`, locked by the caller, to `to_status`, recorded in its history; the object
    in hand follows. MessageRefused when the state machine does not allow it."""
    raise_if_refused(policy.refuse_transition(from_status=case.status, to_status=to_status))
    CaseTransition.objects.create(
        case=case,
        from_status=case.status,
        to_status=to_status,
        actor=actor,
        cause=cause,
        created_at=at,
    )
    with connection.cursor() as cursor:
        cursor.execute(_STATUS_SQL, [to_status, at, timezone.now(), case.pk])
        case.needs_response, case.summary_changed_at = cursor.fetchone()
    case.status, case.status_changed_at = to_status, at


@transaction.atomic
def case_transition(
    *, case: Case, to_status: str, actor: User | None, cause: str, at: datetime | None = None
) -> Case:
    """Move a case to `to_status` and record who or what did it (SPEC section 3). Its messages
    do not change, so neither does its inbox summary (a closed case's `needs_response` follows
    from the state in the database)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _status_change(case, to_status=to_status, actor=actor, cause=cause, at=at or timezone.now())
    return case


def case_change_state_by_seller(
    *, case: Case, actor: User, to_status: str, at: datetime | None = None
) -> Case:
    """Resolve, Close or Reopen from the web inbox (never by email)."""
    require_seller_member(actor, case.seller_id)
    return case_transition(case=case, to_status=to_status, actor=actor, cause="seller", at=at)


def case_record_message(
    *, case: Case, sender: User | None, from_seller: bool, opened_it: bool, at: datetime
) -> Case:
    """Everything a message just stored on `case` does to the case: the send funnel's one call
    into cases per message, inside its transaction, with the case row locked by it.

    - A buyer message on a Resolved case opens it again (SPEC section 3).
    - A member's reply on an unassigned case makes it theirs (issue 14); not the message that
      opened the case (`opened_it`), nor one the system sends for the seller (no `sender`).
    - The message is activity (R10), and is in the inbox summary, computed again once.

    Returns `case`, updated."""
    if not from_seller and case.status == CaseStatus.RESOLVED:
        _status_change(
            case, to_status=CaseStatus.OPENED, actor=sender, cause=REOPENED_BY_BUYER_CAUSE, at=at
        )
    if from_seller and not opened_it and sender is not None:
        case_assign_on_reply(case=case, member=sender, at=at)
    case_summary_write(case, activity_at=at)
    return case
