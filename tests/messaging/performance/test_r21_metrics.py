"""R21 response-time metrics on hand-built timelines: every message made by the real services
at a chosen moment, the periodic computation run, the stored daily figures read back."""

from datetime import UTC, datetime, timedelta

import pytest

from cases.models import CaseStatus
from cases.services import case_change_state_by_seller
from messaging.models import ResponseTimeDaily
from messaging.moderation.services.flags import message_mark_no_response_needed, message_report
from messaging.performance import selectors
from messaging.performance.services import response_metrics_compute
from messaging.sending import services
from tests.factories import OrderFactory

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday morning
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def _buyer_writes(order, at, body="Where is it?"):
    draft = services.Draft(body_text=body, subject="Question", contact_reason="other")
    return services.message_send(sender=order.buyer, order=order, draft=draft, now=at)


def _buyer_again(case, at):
    return services.message_send(
        sender=case.buyer, case=case, draft=services.Draft(body_text="And?"), now=at
    )


def _seller_replies(case, member, at):
    return services.message_send(
        sender=member, case=case, draft=services.Draft(body_text="On its way."), now=at
    )


def _day_row(seller, day) -> ResponseTimeDaily:
    return ResponseTimeDaily.objects.get(seller=seller, day=day)


@pytest.fixture
def order(seller):
    return OrderFactory(seller=seller, placed_at=T0 - 3 * DAY)


@pytest.mark.parametrize(
    ("after", "bucket"),
    [(24 * HOUR, "within_target"), (24 * HOUR + timedelta(seconds=1), "later")],
    ids=["exactly-24h", "24h-plus-1s"],
)
def test_r21_a_reply_at_exactly_24_hours_is_within_target_one_second_later_is_not(
    seller, seller_owner, order, after, bucket
):
    case = _buyer_writes(order, T0).case
    _seller_replies(case, seller_owner, T0 + after)
    response_metrics_compute(now=T0 + 3 * DAY)
    row = _day_row(seller, T0.date())
    assert row.counted == 1
    assert getattr(row, bucket) == 1
    assert row.response_seconds_total == int(after.total_seconds())


def test_r21_one_reply_answers_every_earlier_buyer_message_of_the_case(seller, seller_owner, order):
    case = _buyer_writes(order, T0).case
    _buyer_again(case, T0 + 2 * HOUR)
    _seller_replies(case, seller_owner, T0 + 5 * HOUR)
    response_metrics_compute(now=T0 + 3 * DAY)
    row = _day_row(seller, T0.date())
    assert (row.counted, row.within_target) == (2, 2)
    assert row.response_seconds_total == int((5 * HOUR + 3 * HOUR).total_seconds())


def test_r21_no_response_needed_and_reported_messages_are_not_counted(seller, seller_owner, order):
    first = _buyer_writes(order, T0)
    message_mark_no_response_needed(message=first, actor=seller_owner, at=T0 + HOUR)
    second = _buyer_writes(OrderFactory(seller=seller), T0 + HOUR, body="Spam spam")
    message_report(message=second, reporter=seller_owner, reason="spam", at=T0 + HOUR)
    counted = _buyer_writes(OrderFactory(seller=seller), T0 + 2 * HOUR)
    response_metrics_compute(now=T0 + 3 * DAY)
    row = _day_row(seller, T0.date())
    assert row.counted == 1
    assert row.unanswered == 1
    assert counted.pk


def test_r21_unanswered_for_more_than_24_hours_counts_younger_ones_wait(seller, order):
    _buyer_writes(order, T0)
    response_metrics_compute(now=T0 + 23 * HOUR)
    assert _day_row(seller, T0.date()).counted == 0
    response_metrics_compute(now=T0 + 25 * HOUR)
    row = _day_row(seller, T0.date())
    assert (row.counted, row.unanswered) == (1, 1)


def test_r21_a_case_closed_before_any_reply_is_not_answered_within_24_hours(
    seller, seller_owner, order
):
    case = _buyer_writes(order, T0).case
    case_change_state_by_seller(
        case=case, actor=seller_owner, to_status=CaseStatus.CLOSED, at=T0 + HOUR
    )
    response_metrics_compute(now=T0 + 2 * HOUR)
    row = _day_row(seller, T0.date())
    assert (row.counted, row.unanswered, row.within_target) == (1, 1, 0)


def test_r21_a_blocked_or_earlier_seller_message_is_no_reply(seller, seller_owner, order):
    case = _buyer_writes(order, T0).case
    _seller_replies(case, seller_owner, T0 + HOUR)  # answers the first
    _buyer_again(case, T0 + 2 * HOUR)  # not answered by the earlier reply
    response_metrics_compute(now=T0 + 3 * DAY)
    row = _day_row(seller, T0.date())
    assert (row.counted, row.within_target, row.unanswered) == (2, 1, 1)


def test_r21_windows_of_7_30_and_90_days_end_today(seller, seller_owner):
    today = (T0 + 100 * DAY).date()
    for days_ago in (0, 6, 7, 29, 30, 89, 90):
        at = datetime.combine(today, T0.timetz()) - days_ago * DAY
        case = _buyer_writes(OrderFactory(seller=seller, placed_at=at - DAY), at).case
        _seller_replies(case, seller_owner, at + HOUR)
    response_metrics_compute(now=datetime.combine(today, T0.timetz()) + 2 * HOUR)
    figures = {f.days: f for f in selectors.response_figures(seller=seller, today=today)}
    assert figures[7].counted == 2  # today and 6 days ago
    assert figures[30].counted == 4  # + 7 and 29 days ago
    assert figures[90].counted == 6  # + 30 and 89; 90 days ago is outside
    assert figures[7].within_percent == 100
    assert figures[7].average_seconds == 3600


def test_r21_rerunning_gives_the_same_figures(seller, seller_owner, order):
    case = _buyer_writes(order, T0).case
    _seller_replies(case, seller_owner, T0 + 30 * HOUR)
    now = T0 + 3 * DAY
    response_metrics_compute(now=now)
    first = list(ResponseTimeDaily.objects.values("seller", "day", "counted", "later"))
    response_metrics_compute(now=now, full=True)
    response_metrics_compute(now=now)
    assert list(ResponseTimeDaily.objects.values("seller", "day", "counted", "later")) == first


def test_r21_the_incremental_run_recomputes_only_touched_days(
    seller, seller_owner, django_assert_max_num_queries
):
    old = _buyer_writes(OrderFactory(seller=seller), T0).case
    _seller_replies(old, seller_owner, T0 + HOUR)
    response_metrics_compute(now=T0 + 10 * DAY)
    ResponseTimeDaily.objects.filter(day=T0.date()).update(within_target=99)  # a marker
    later_case = _buyer_writes(OrderFactory(seller=seller), T0 + 5 * DAY).case
    _seller_replies(later_case, seller_owner, T0 + 5 * DAY + HOUR)
    response_metrics_compute(now=T0 + 10 * DAY)
    # the untouched day keeps its (marked) row; the touched one is computed
    assert _day_row(seller, T0.date()).within_target == 99
    assert _day_row(seller, (T0 + 5 * DAY).date()).within_target == 1


def test_r21_the_dashboard_lists_the_late_and_the_unanswered_newest_first(
    seller, seller_owner, other_seller
):
    """The list reads the same buckets as the stored figures: answered later, and unanswered
    past the target or on a closed case; not those answered in time, still waiting, marked No
    Response Needed, or another seller's."""
    now = T0 + 10 * DAY
    late = _buyer_writes(OrderFactory(seller=seller), T0 + DAY)
    _seller_replies(late.case, seller_owner, T0 + DAY + 30 * HOUR)
    in_time = _buyer_writes(OrderFactory(seller=seller), T0 + 2 * DAY)
    _seller_replies(in_time.case, seller_owner, T0 + 2 * DAY + HOUR)
    unanswered = _buyer_writes(OrderFactory(seller=seller), T0 + 3 * DAY)
    closed = _buyer_writes(OrderFactory(seller=seller), now - 2 * HOUR)
    case_change_state_by_seller(
        case=closed.case, actor=seller_owner, to_status=CaseStatus.CLOSED, at=now - HOUR
    )
    _buyer_writes(OrderFactory(seller=seller), now - HOUR)  # still within the target
    skipped = _buyer_writes(OrderFactory(seller=seller), T0 + 4 * DAY)
    message_mark_no_response_needed(message=skipped, actor=seller_owner, at=T0 + 4 * DAY)
    _buyer_writes(OrderFactory(seller=other_seller), T0 + 5 * DAY)  # another seller's
    _buyer_writes(OrderFactory(seller=seller), now - 31 * DAY)  # before the window

    listed = selectors.late_and_unanswered_messages(seller=seller, now=now)
    assert len(listed) == 3
    rows = [(m.pk, m.case_id, m.case.subject, m.case.buyer_alias, m.reply_at) for m in listed]
    assert rows == [
        (closed.pk, closed.case_id, "Question", closed.case.buyer_alias, None),
        (unanswered.pk, unanswered.case_id, "Question", unanswered.case.buyer_alias, None),
        (late.pk, late.case_id, "Question", late.case.buyer_alias, T0 + DAY + 30 * HOUR),
    ]
    assert [m.pk for m in listed[1:3]] == [unanswered.pk, late.pk]
    assert listed[2].case.order_number == late.case.order_number
    response_metrics_compute(now=now)
    stored = ResponseTimeDaily.objects.filter(seller=seller, day__gte=(now - 30 * DAY).date())
    assert sum(row.later + row.unanswered for row in stored) == 3
    assert sum(row.within_target for row in stored) == 1
