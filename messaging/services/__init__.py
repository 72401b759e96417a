"""The writes of the messaging domain that pages call, split by what they write. Views, email
handlers, commands and tasks call these; reads are in `messaging.selectors`.

- `sending`: the one send funnel (`message_send`, and `message_check` for the live check);
- `notices`: the inbox notices of blocked messages (R4);
- `reviews`, `files`, `metrics`: what the periodic tasks run.

The email channel's writes are in `messaging.email.services`; No Response Needed and Report
Message (R15, R16) and staff decisions on reports in `messaging.moderation.services`. The names
the pages use are importable from here.
"""

from messaging.moderation.services.decisions import staff_warning_dismiss
from messaging.moderation.services.flags import (
    ALREADY_REPORTED_MSG,
    CANNOT_REPORT_OWN_MSG,
    NOTHING_TO_UNDO_MSG,
    ONLY_BUYER_MESSAGES_MSG,
    message_mark_no_response_needed,
    message_report,
    message_undo_no_response_needed,
)
from messaging.services.notices import (
    NOTICE_NOT_YOURS_MSG,
    blocked_notice_dismiss,
    blocked_notices_dismiss_all,
)
from messaging.services.sending import Draft, message_check, message_send, review_request_send

__all__ = [
    "ALREADY_REPORTED_MSG",
    "CANNOT_REPORT_OWN_MSG",
    "NOTHING_TO_UNDO_MSG",
    "NOTICE_NOT_YOURS_MSG",
    "ONLY_BUYER_MESSAGES_MSG",
    "Draft",
    "blocked_notice_dismiss",
    "blocked_notices_dismiss_all",
    "message_check",
    "message_mark_no_response_needed",
    "message_report",
    "message_send",
    "message_undo_no_response_needed",
    "review_request_send",
    "staff_warning_dismiss",
]
