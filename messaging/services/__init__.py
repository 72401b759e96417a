"""Every write of the messaging domain. Views, email handlers, commands and tasks call these;
they call the policies (`messaging.policy`, `messaging.content_rules`, `cases.policy`), then
store everything in one transaction. A refusal raises `MessageRefused` and stores nothing."""

from messaging.services.buyers import case_open_by_buyer, message_reply_by_buyer
from messaging.services.relationships import relationship_get_or_create
from messaging.services.responses import (
    ALREADY_REPORTED_MSG,
    CANNOT_REPORT_OWN_MSG,
    NOTHING_TO_UNDO_MSG,
    NOTICE_NOT_YOURS_MSG,
    ONLY_BUYER_MESSAGES_MSG,
    blocked_notice_dismiss,
    blocked_notices_dismiss_all,
    message_mark_no_response_needed,
    message_report,
    message_undo_no_response_needed,
    seller_case_change_state,
)
from messaging.services.sellers import (
    case_open_by_seller,
    contact_buyer_refusal,
    contact_reasons_for,
    message_reply_by_seller,
    review_already_requested,
    review_request_refusal,
    review_request_send,
    seller_daily_allowance,
    seller_draft_problems,
)
from messaging.services.storage import (
    NOT_A_PARTY_MSG,
    SNIPPET_LENGTH,
    Draft,
    case_summary_refresh,
)

__all__ = [
    "ALREADY_REPORTED_MSG",
    "CANNOT_REPORT_OWN_MSG",
    "NOTHING_TO_UNDO_MSG",
    "NOTICE_NOT_YOURS_MSG",
    "NOT_A_PARTY_MSG",
    "SNIPPET_LENGTH",
    "ONLY_BUYER_MESSAGES_MSG",
    "Draft",
    "blocked_notice_dismiss",
    "blocked_notices_dismiss_all",
    "case_open_by_buyer",
    "case_open_by_seller",
    "case_summary_refresh",
    "contact_buyer_refusal",
    "contact_reasons_for",
    "message_mark_no_response_needed",
    "message_reply_by_buyer",
    "message_reply_by_seller",
    "message_report",
    "message_undo_no_response_needed",
    "relationship_get_or_create",
    "review_already_requested",
    "review_request_refusal",
    "review_request_send",
    "seller_case_change_state",
    "seller_daily_allowance",
    "seller_draft_problems",
]
