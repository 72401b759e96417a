"""Case state machine (SPEC section 3) as pure functions."""

from django.utils.translation import gettext_noop

from cases.models import CaseStatus
from core.refusals import Refusal

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.OPENED: frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED}),
    CaseStatus.RESOLVED: frozenset({CaseStatus.OPENED, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}

# Buyers meet this refusal too: marked for translation (gettext_noop returns the text itself);
# buyer pages show it in the buyer's language (messaging.presentation).
CASE_CLOSED_MSG = gettext_noop(
    "This case is closed and takes no more messages. Start a new case to contact the other party."
)
TRANSITION_NOT_ALLOWED_MSG = "A case cannot go from {from_status} to {to_status}."


def refuse_new_message(*, status: str) -> Refusal | None:
    """R9: a closed case accepts nothing, by web or email."""
    if status == CaseStatus.CLOSED:
        return Refusal(rule="R9", message=CASE_CLOSED_MSG)
    return None


def refuse_transition(*, from_status: str, to_status: str) -> Refusal | None:
    if to_status in ALLOWED_TRANSITIONS[from_status]:
        return None
    return Refusal(
        rule="R9" if from_status == CaseStatus.CLOSED else "CASE",
        message=TRANSITION_NOT_ALLOWED_MSG.format(
            from_status=CaseStatus(from_status).label, to_status=CaseStatus(to_status).label
        ),
    )
