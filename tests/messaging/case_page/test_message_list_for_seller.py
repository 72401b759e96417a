"""The seller's case page reads its messages in one statement (arrays of each message's
attachments and report reasons): every message of the case, oldest first (the id breaks a tie),
blocked ones too, each with its sender's name, its attachments by id and its report reasons
newest first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging.case_page import selectors
from messaging.models import Direction, Outcome, ReportReason
from tests.factories import (
    AttachmentFactory,
    CaseFactory,
    MessageFactory,
    MessageReportFactory,
    seller_user,
)

pytestmark = pytest.mark.django_db


def test_the_rows_hold_each_message_with_its_sender_attachments_and_reports(seller):
    case = CaseFactory(order__seller=seller)
    start = timezone.now() - timedelta(hours=3)
    first = MessageFactory(case=case, created_at=start)
    same_moment = MessageFactory(case=case, created_at=start, body_html="<p>Hi <b>there</b></p>")
    nameless = seller_user(seller, user__full_name="")
    reply = MessageFactory(
        case=case,
        direction=Direction.SELLER_TO_BUYER,
        sender=nameless,
        created_at=start + timedelta(minutes=5),
    )
    blocked = MessageFactory(
        case=case,
        direction=Direction.SELLER_TO_BUYER,
        sender=None,
        outcome=Outcome.BLOCKED,
        outcome_rule="R2",
        outcome_reason="The buyer opted out.",
        created_at=start + timedelta(minutes=9),
    )
    attachments = [AttachmentFactory(message=first, display_name=n) for n in ("b", "a", "c")]
    MessageReportFactory(message=same_moment, reason=ReportReason.SPAM)
    MessageReportFactory(message=same_moment, reason=ReportReason.OTHER)
    MessageReportFactory(message=reply, reason=ReportReason.SPAM)
    MessageFactory(order=None, seller=seller)  # another case of the seller

    with CaptureQueriesContext(connection) as captured:
        rows = selectors.message_list_for_seller(case=case)
    assert len(captured) == 1
    assert [row.pk for row in rows] == [first.pk, same_moment.pk, reply.pk, blocked.pk]
    assert [a["name"] for a in rows[0].attachment_rows] == ["b", "a", "c"]
    assert rows[0].attachment_rows == [
        {"id": a.pk, "name": a.display_name, "size": a.size} for a in attachments
    ]
    assert rows[1].report_reasons == [ReportReason.OTHER, ReportReason.SPAM]
    assert rows[1].body_html == "<p>Hi <b>there</b></p>"
    assert (rows[2].sender_id, rows[2].sender_full_name) == (nameless.pk, "")
    assert rows[2].sender_email == nameless.email
    assert rows[2].report_reasons == [ReportReason.SPAM]
    assert not rows[2].from_buyer
    assert rows[0].from_buyer
    assert (rows[3].sender_id, rows[3].sender_full_name, rows[3].sender_email) == (None, "", "")
    assert (rows[3].outcome, rows[3].outcome_rule) == (Outcome.BLOCKED, "R2")
    assert rows[3].outcome_reason == "The buyer opted out."
    assert (rows[3].attachment_rows, rows[3].report_reasons) == ([], [])
    for row, message in zip(rows, [first, same_moment, reply, blocked], strict=True):
        message.refresh_from_db()
        assert (row.direction, row.channel, row.subject, row.body_text) == (
            message.direction,
            message.channel,
            message.subject,
            message.body_text,
        )
        assert (row.created_at, row.response_state) == (message.created_at, message.response_state)


def test_a_case_without_messages_has_no_rows(seller):
    assert selectors.message_list_for_seller(case=CaseFactory(order__seller=seller)) == []
