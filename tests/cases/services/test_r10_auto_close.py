"""R10: cases without buyer or seller activity close automatically (CASE_AUTO_CLOSE_DAYS), and
Resolved cases CASE_RESOLVED_CLOSE_DAYS after they were resolved; the buyer is warned once, a day
before, and replying keeps the case open."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import Case, CaseStatus
from cases.services import case_change_state_by_seller, cases_auto_close
from messaging.models import OutboundEmail
from messaging.sending import services
from messaging.tasks import cases_closing_warn_task
from tests.clients import signed_in_client
from tests.factories import OrderFactory

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _days(settings):
    settings.CASE_AUTO_CLOSE_DAYS = 14
    settings.CASE_RESOLVED_CLOSE_DAYS = 3


def _case(seller, at=T0) -> Case:
    order = OrderFactory(seller=seller, placed_at=at - DAY)
    draft = services.Draft(
        body_text="Where is it?", subject="Parcel question 7731", contact_reason="other"
    )
    return services.message_send(sender=order.buyer, order=order, draft=draft, now=at).case


def _status(case: Case) -> str:
    return Case.objects.get(pk=case.pk).status


@pytest.mark.parametrize(
    ("after", "closed"),
    [(14 * DAY - SECOND, False), (14 * DAY, True)],
    ids=["day-14-minus-1s", "day-14"],
)
def test_r10_an_opened_case_closes_after_14_days_without_activity(seller, after, closed):
    case = _case(seller)
    assert cases_auto_close(now=T0 + after) == int(closed)
    assert _status(case) == (CaseStatus.CLOSED if closed else CaseStatus.OPENED)
    if closed:
        transition = case.transitions.order_by("-id").first()
        assert transition.cause == "closed automatically after 14 days without activity"
        assert transition.actor is None


@pytest.mark.parametrize(
    ("after", "closed"),
    [(3 * DAY - SECOND, False), (3 * DAY, True)],
    ids=["day-3-minus-1s", "day-3"],
)
def test_r10_a_resolved_case_closes_3_days_after_it_was_resolved(
    seller, seller_owner, after, closed
):
    case = _case(seller)
    resolved_at = T0 + 2 * DAY
    case_change_state_by_seller(
        case=case, actor=seller_owner, to_status=CaseStatus.RESOLVED, at=resolved_at
    )
    cases_auto_close(now=resolved_at + after)
    assert _status(case) == (CaseStatus.CLOSED if closed else CaseStatus.RESOLVED)
    if closed:
        assert case.transitions.order_by("-id").first().cause == (
            "closed automatically after 3 days resolved"
        )


def test_r10_the_inbox_summary_is_right_after_closing(seller, seller_owner):
    case = _case(seller)
    assert Case.objects.get(pk=case.pk).needs_response
    cases_auto_close(now=T0 + 15 * DAY)
    closed = Case.objects.get(pk=case.pk)
    assert not closed.needs_response
    page = signed_in_client(seller_owner).get(reverse("messaging:inbox"))
    assert closed.subject not in page.text  # no longer under Response Needed
    closed_filter = signed_in_client(seller_owner).get(
        reverse("messaging:inbox") + "?filter=closed"
    )
    assert closed.subject in closed_filter.text


def test_r10_running_twice_closes_nothing_more(seller):
    _case(seller)
    assert cases_auto_close(now=T0 + 15 * DAY) == 1
    assert cases_auto_close(now=T0 + 15 * DAY) == 0


def test_r10_the_buyer_is_warned_once_a_day_before_and_a_reply_keeps_the_case_open(
    seller, settings, django_capture_on_commit_callbacks, monkeypatch
):
    case = _case(seller)
    monkeypatch.setattr("cases.services.auto_close.timezone.now", lambda: T0 + 13 * DAY + SECOND)
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_closing_warn_task.apply().get() == 1
        assert cases_closing_warn_task.apply().get() == 0  # once
    warning = OutboundEmail.objects.get(kind=OutboundEmail.Kind.CASE_CLOSING)
    assert warning.recipient == case.buyer.email
    assert any("closes automatically tomorrow" in e.body for e in mail.outbox)
    page = signed_in_client(case.buyer).get(reverse("messaging:buyer_case_detail", args=[case.pk]))
    assert 'id="case-closing-notice"' in page.text
    # the buyer replies: the case stays open past the original 14 days
    services.message_send(
        sender=case.buyer,
        case=case,
        draft=services.Draft(body_text="Still waiting!"),
        now=T0 + 13 * DAY + 2 * SECOND,
    )
    assert cases_auto_close(now=T0 + 14 * DAY + SECOND) == 0
    assert _status(case) == CaseStatus.OPENED
    page = signed_in_client(case.buyer).get(reverse("messaging:buyer_case_detail", args=[case.pk]))
    assert 'id="case-closing-notice"' not in page.text


def test_r10_no_warning_before_the_last_day(seller, monkeypatch):
    _case(seller)
    monkeypatch.setattr("cases.services.auto_close.timezone.now", lambda: T0 + 13 * DAY - SECOND)
    assert cases_closing_warn_task.apply().get() == 0
