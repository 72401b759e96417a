from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases import policy
from cases.models import Case, CaseStatus, CaseTransition
from messaging.policy import MessageRefused


@transaction.atomic
def case_transition(
    *, case: Case, to_status: str, actor: User | None, cause: str, at: datetime | None = None
) -> Case:
    """Move a case to `to_status` and record who or what did it (SPEC section 3)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    refusal = policy.refuse_transition(from_status=case.status, to_status=to_status)
    if refusal:
        raise MessageRefused(refusal)
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
