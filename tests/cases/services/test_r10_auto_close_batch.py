"""R10 at scale: auto-close writes each batch of due cases set-based (one statement: the UPDATE
of their state and one INSERT of their transitions). It must leave exactly the rows that closing
each case one by one through `case_transition` leaves, for every kind of case."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from cases.models import Case, CaseStatus, CaseTransition
from cases.services import (
    auto_close,
    case_change_state_by_seller,
    case_transition,
    cases_auto_close,
)
from messaging.sending import services
from tests.factories import OrderFactory

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
NOW = T0 + 30 * DAY
CLOCK = T0 + 31 * DAY  # the wall clock the summary stamp (`summary_changed_at`) reads


class _Undo(Exception):
    pass


@pytest.fixture(autouse=True)
def _days(settings, monkeypatch):
    settings.CASE_AUTO_CLOSE_DAYS = 14
    settings.CASE_RESOLVED_CLOSE_DAYS = 3
    monkeypatch.setattr(auto_close, "AUTO_CLOSE_BATCH", 2)  # several batches
    # (`timezone` is Django's module: every service reads this clock)
    monkeypatch.setattr(auto_close.timezone, "now", lambda: CLOCK)


def _open(seller, body="Where is it?", at=T0) -> Case:
    order = OrderFactory(seller=seller, placed_at=at - DAY)
    draft = services.Draft(body_text=body, subject="Parcel question", contact_reason="other")
    return services.message_send(sender=order.buyer, order=order, draft=draft, now=at).case


def _mix(seller, seller_owner) -> list[Case]:
    waiting = _open(seller, body="  Still   waiting\n for my\tparcel  " * 10)
    answered = _open(seller)
    services.message_send(
        sender=seller_owner, case=answered, draft=services.Draft(body_text="On its way."), now=T0
    )
    resolved = _open(seller)
    case_change_state_by_seller(
        case=resolved, actor=seller_owner, to_status=CaseStatus.RESOLVED, at=T0 + DAY
    )
    two_buyer_messages = _open(seller)
    services.message_send(
        sender=two_buyer_messages.buyer,
        case=two_buyer_messages,
        draft=services.Draft(body_text="Hello again?"),
        now=T0 + DAY,
    )
    recent = _open(seller, at=NOW - DAY)  # not due
    already_closed = _open(seller)
    case_transition(
        case=already_closed, to_status=CaseStatus.CLOSED, actor=seller_owner, cause="seller", at=T0
    )
    return [waiting, answered, resolved, two_buyer_messages, recent, already_closed]


def _rows() -> tuple[list[dict], list[tuple]]:
    cases = list(Case.objects.order_by("pk").values())  # every column
    transitions = list(
        CaseTransition.objects.order_by("case_id", "id").values_list(
            "case_id", "from_status", "to_status", "actor_id", "cause", "created_at"
        )
    )
    return cases, transitions


def _after(close) -> tuple[list[dict], list[tuple]]:
    try:
        with transaction.atomic():
            close()
            rows = _rows()
            raise _Undo
    except _Undo:
        return rows


def _one_by_one() -> None:
    causes = {
        CaseStatus.OPENED: "closed automatically after 14 days without activity",
        CaseStatus.RESOLVED: "closed automatically after 3 days resolved",
    }
    due = Case.objects.filter(
        status__in=causes, last_activity_at__lte=NOW - 14 * DAY
    ) | Case.objects.filter(status=CaseStatus.RESOLVED, status_changed_at__lte=NOW - 3 * DAY)
    for case in due.distinct().order_by("pk"):
        case_transition(
            case=case, to_status=CaseStatus.CLOSED, actor=None, cause=causes[case.status], at=NOW
        )


def test_r10_the_batch_close_leaves_the_same_rows_as_closing_one_by_one(seller, seller_owner):
    cases = _mix(seller, seller_owner)
    before = _rows()
    expected = _after(_one_by_one)
    batched = _after(lambda: cases_auto_close(now=NOW))
    assert _rows() == before  # both undone
    assert batched == expected
    statuses = {c["id"]: c["status"] for c in batched[0]}
    assert [statuses[c.pk] for c in cases] == [
        CaseStatus.CLOSED,
        CaseStatus.CLOSED,
        CaseStatus.CLOSED,
        CaseStatus.CLOSED,
        CaseStatus.OPENED,
        CaseStatus.CLOSED,
    ]
    waiting = next(c for c in batched[0] if c["id"] == cases[0].pk)
    assert not waiting["needs_response"]
    assert waiting["waiting_since"] is not None
    assert waiting["summary_changed_at"] == CLOCK


def test_r10_a_case_that_got_a_reply_meanwhile_stays_open(seller, seller_owner):
    case = _open(seller)
    services.message_send(
        sender=case.buyer, case=case, draft=services.Draft(body_text="Hi?"), now=NOW - DAY
    )
    assert cases_auto_close(now=NOW) == 0
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPENED
