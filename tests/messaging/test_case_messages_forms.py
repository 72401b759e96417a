"""The seller's case page reads its messages in one statement of PostgreSQL (arrays of each
message's attachments and report reasons); where the database has no arrays (SQLite, `make
run`), the ORM gives the same rows. Checked equal here, on PostgreSQL, where both run."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from messaging import selectors
from messaging.models import Direction, Outcome, ReportReason
from tests.factories import (
    AttachmentFactory,
    CaseFactory,
    MessageFactory,
    MessageReportFactory,
    seller_user,
)

pytestmark = pytest.mark.django_db


def test_the_orm_rows_are_the_sql_rows(seller):
    case = CaseFactory(order__seller=seller)
    start = timezone.now() - timedelta(hours=3)
    first = MessageFactory(case=case, created_at=start)
    same_moment = MessageFactory(case=case, created_at=start, body_html="<p>Hi <b>there</b></p>")
    reply = MessageFactory(
        case=case,
        direction=Direction.SELLER_TO_BUYER,
        sender=seller_user(seller, user__full_name=""),
        created_at=start + timedelta(minutes=5),
    )
    MessageFactory(
        case=case,
        direction=Direction.SELLER_TO_BUYER,
        sender=None,
        outcome=Outcome.BLOCKED,
        outcome_rule="R2",
        outcome_reason="The buyer opted out.",
        created_at=start + timedelta(minutes=9),
    )
    for name in ("b.txt", "a.txt", "c.txt"):
        AttachmentFactory(message=first, display_name=name)
    MessageReportFactory(message=same_moment, reason=ReportReason.SPAM)
    MessageReportFactory(message=same_moment, reason=ReportReason.OTHER)
    MessageReportFactory(message=reply, reason=ReportReason.SPAM)
    MessageFactory(order=None, seller=seller)  # another case of the seller
    orm = selectors._seller_case_messages_orm(case)
    assert len(orm) == 4
    assert [a["name"] for a in orm[0].attachment_rows] == ["b.txt", "a.txt", "c.txt"]
    assert orm[1].report_reasons == [ReportReason.OTHER, ReportReason.SPAM]
    assert orm[3].sender_id is None
    assert (orm[3].sender_full_name, orm[3].sender_email) == ("", "")
    if connection.vendor == "postgresql":
        assert selectors.message_list_for_seller(case=case) == orm
