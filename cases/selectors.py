"""Reads of the cases domain for the team inbox (issue 14): who a case can be assigned to, how
it came to its owner, and what changed since a moment, for the live inbox and case page."""

from datetime import UTC, datetime

from django.db.models import QuerySet

from accounts.models import SellerAccount, User
from cases.models import Case, CaseTransition


def seller_members(*, seller_id: int) -> QuerySet[User]:
    """The members of a seller account a case can be assigned to, by name."""
    return User.objects.filter(seller_membership__seller_id=seller_id, is_active=True).order_by(
        "full_name", "email"
    )


def case_assignment_latest(*, case: Case) -> CaseTransition | None:
    """The latest assignment entry of the case's history (assigned or unassigned), with who
    made it and to whom, or None when it was never assigned."""
    return (
        CaseTransition.objects.filter(case=case)
        .exclude(kind=CaseTransition.Kind.STATUS)
        .select_related("actor", "assignee")
        .order_by("-created_at", "-id")
        .first()
    )


# ---- "what changed since": a token is a case's summary_changed_at in whole microseconds


def change_token(at: datetime | None) -> int:
    return int(at.timestamp() * 1_000_000) if at is not None else 0


def token_time(token: int) -> datetime:
    return datetime.fromtimestamp(token / 1_000_000, tz=UTC)


def cases_changed_count(*, seller: SellerAccount, since: datetime) -> int:
    """How many of the seller's cases changed (a message stored or answered, a state change, an
    assignment) after `since`. One query, a range scan of the (seller, summary_changed_at)
    index: when nothing changed it reads no row at all. Another seller's cases never count."""
    return Case.objects.filter(seller=seller, summary_changed_at__gt=since).count()
