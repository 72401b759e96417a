"""Reads of the cases domain for the team inbox (issue 14): who a case can be assigned to, how
it came to its owner, and what changed since a moment, for the live inbox and case page."""

from datetime import UTC, datetime

from django.db import connection

from accounts.models import SellerAccount, SellerMembership, User
from cases.models import Case, CaseTransition
from core.rows import fields_in_model_order


def seller_members(*, seller_id: int) -> list[User]:
    """The members of a seller account a case can be assigned to, by name: users with their id,
    name and email (all the assignment panel and `case_assign` read of them). In plain SQL: the
    ORM took ~0.8 ms to build and read this query of a handful of rows, on every case page."""
    with connection.cursor() as cursor:
        cursor.execute(
            _SELLER_MEMBERS_SQL.format(
                columns=", ".join(f"u.{name}" for name in _MEMBER_FIELDS),
                user=User._meta.db_table,
                membership=SellerMembership._meta.db_table,
            ),
            [seller_id],
        )
        return [User.from_db("default", _MEMBER_FIELDS, row) for row in cursor.fetchall()]


_MEMBER_FIELDS = fields_in_model_order(User, {"id", "full_name", "email"})
_SELLER_MEMBERS_SQL = """
    SELECT {columns} FROM {user} u
    JOIN {membership} m ON m.user_id = u.id
    WHERE m.seller_id = %s AND u.is_active
    ORDER BY u.full_name, u.email
"""


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


# The last token `token_time` can read (the end of year 9999); a larger one is no moment at all.
CHANGE_TOKEN_MAX = change_token(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))


def token_time(token: int) -> datetime:
    return datetime.fromtimestamp(token / 1_000_000, tz=UTC)


def cases_changed_count(*, seller: SellerAccount, since: datetime) -> int:
    """How many of the seller's cases changed (a message stored or answered, a state change, an
    assignment) after `since`. One query, a range scan of the (seller, summary_changed_at)
    index: when nothing changed it reads no row at all. Another seller's cases never count."""
    return Case.objects.filter(seller=seller, summary_changed_at__gt=since).count()
