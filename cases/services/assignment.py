"""Assignment (issue 14): a case can be owned by one member of its seller, or by nobody. Every
assignment and unassignment is an entry of the case's history."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import SellerMembership, User
from accounts.selectors import require_seller_member
from cases.models import Case, CaseTransition
from core.refusals import MessageRefused, Refusal

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
    Part of `case_record_message`, inside the send funnel's transaction, with the case as the
    funnel read it under a row lock and `member` known to be a member of the case's seller.
    Whether it assigned the case."""
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
