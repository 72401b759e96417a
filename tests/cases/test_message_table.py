"""cases reads messages by their table's name (cases.models.MESSAGE_TABLE): the messaging
model it names must be that table, with the columns the inbox summary reads."""

from cases.models import MESSAGE_TABLE
from messaging.models import Message

SUMMARY_READS = {"id", "case_id", "created_at", "direction", "response_state", "body_text"} | {
    "outcome",
    "outcome_rule",
}


def test_the_messages_table_is_the_one_cases_names():
    assert Message._meta.db_table == MESSAGE_TABLE
    columns = {field.column for field in Message._meta.concrete_fields}
    assert columns >= SUMMARY_READS
