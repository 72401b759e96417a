"""Every write of the messaging domain, split by what it writes. Views, email handlers,
commands and tasks call these; reads are in `messaging.selectors`.

- `sending`: the one send funnel (`message_send`, and `message_check` for the live check);
- `flags`: No Response Needed (R15) and Report Message (R16) on a received message;
- `notices`: the inbox notices of blocked messages (R4);
- `moderation`: staff working through reports (R16), and the warned party dismissing a warning.
"""

from messaging.services.flags import (
    ALREADY_REPORTED_MSG,
    CANNOT_REPORT_OWN_MSG,
    NOTHING_TO_UNDO_MSG,
    ONLY_BUYER_MESSAGES_MSG,
    message_mark_no_response_needed,
    message_report,
    message_undo_no_response_needed,
)
from messaging.services.moderation import staff_warning_dismiss
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
