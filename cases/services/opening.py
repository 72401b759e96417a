"""Opening a case: the case row, the first entry of its history, and what inbox search matches
on it (`CaseSearchText`)."""

from collections.abc import Iterable
from datetime import datetime

from django.db import connection

from accounts.models import Relationship, User
from cases.models import (
    CASE_SEARCH_TEXT_TABLE,
    CASE_TABLE,
    Case,
    CaseSearchText,
    CaseStatus,
    CaseTransition,
)
from orders.models import Order, Product

SEARCH_TEXT_FIELDS = ("buyer_alias", "order_number", "subject")


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
            f"INSERT INTO {CASE_SEARCH_TEXT_TABLE} (case_id, seller_id, {columns}) "  # noqa: S608
            f"SELECT id, seller_id, {columns} FROM {CASE_TABLE} WHERE id BETWEEN %s AND %s",
            [first_id, last_id],
        )
        return int(cursor.rowcount)
