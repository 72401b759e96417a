"""What a message does to its case, in the send funnel's one call into cases
(`cases.services.case_record_message`): a buyer message reopens a Resolved case, every message
is activity (R10), and the inbox summary is computed once per message."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseStatus, CaseTransition
from cases.services import case_change_state_by_seller
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies


def _case_row_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "UPDATE cases_case " in q["sql"] or 'UPDATE "cases_case" ' in q["sql"]
    ]


def test_a_buyer_message_reopens_a_resolved_case_with_one_summary(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    seller_replies(case, seller_owner)
    case_change_state_by_seller(case=case, actor=seller_owner, to_status=CaseStatus.RESOLVED)
    with CaptureQueriesContext(connection) as queries:
        message = buyer_replies(case, body="It broke again.")
    assert message.case.status == CaseStatus.OPENED
    reopened = CaseTransition.objects.filter(case=case).latest("id")
    assert (reopened.from_status, reopened.to_status) == (CaseStatus.RESOLVED, CaseStatus.OPENED)
    assert (reopened.actor, reopened.cause) == (case.buyer, "buyer message")
    summaries = [sql for sql in queries.captured_queries if "WITH agg AS" in sql["sql"]]
    assert len(summaries) == 1
    row = Case.objects.get(pk=case.pk)
    assert (row.status, row.needs_response, row.latest_snippet) == (
        CaseStatus.OPENED,
        True,
        "It broke again.",
    )
    assert row.last_activity_at == message.created_at


def test_a_reply_writes_the_case_row_once_for_summary_and_activity(seller, seller_owner):
    """The assigned member's reply: no state change, no assignment, so the case row is written
    by the summary statement alone (it also records the activity)."""
    case = buyer_opens_case(seller=seller).case
    seller_replies(case, seller_owner)  # assigns the case to the member
    with CaptureQueriesContext(connection) as queries:
        message = seller_replies(case, seller_owner, body="And a tracking number.")
    assert len(_case_row_writes(queries)) == 1
    row = Case.objects.get(pk=case.pk)
    assert row.last_activity_at == message.created_at
    assert row.latest_snippet == "And a tracking number."
