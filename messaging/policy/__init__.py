"""Messaging rules as pure functions: plain values in, `None` or a `Refusal` out. No ORM, no I/O.

Every path that makes a message (web forms, inbound email, tasks) reaches these through the
send funnel (`messaging.sending.services`), so the same message gets the same decision however
it arrives.

By subject:
- `buyer_contact`: who may write to a seller through the storefront (R18, R20);
- `contact_reasons`: what a proactive seller message may be about, critical ones (R5, R3);
- `seller_limits`: opt-out (R2), the 30-day window and the order ID (R6, R7), the daily limit
  (R8), the review request (R17);
- `sanctions`: staff sanctions on a seller's messaging (R35-R37);
- `problem_with_order`: a Problem with Order message confirms the adjustment (R31);
- `judge`: `judge(SendFacts)`, which applies them all in one order for every channel.

Callers use `messaging.policy.<name>`; every public name of the four is importable from here.
"""

from messaging.policy.buyer_contact import (
    NOT_ACCEPTING_MSG,
    SELLER_TO_SELLER_MSG,
    refuse_not_accepting,
    refuse_seller_to_seller,
)
from messaging.policy.contact_reasons import (
    CATEGORY_FLAG_LABELS,
    CONTACT_REASON_RULES,
    CONTACT_REASONS,
    CRITICAL_REASONS,
    IMPORTANT_MARK,
    IMPORTANT_MARK_MISUSED_MSG,
    NO_REASONS_CANCELED_MSG,
    NO_REASONS_PENDING_MSG,
    ORDER_ID_AND_MARK_LENGTH,
    REASON_UNAVAILABLE_MSG,
    STATUS_LABELS,
    ContactReasonRule,
    ReasonAvailability,
    contact_reasons_for_order,
    is_critical,
    no_reasons_message,
    offers_no_reason,
    refuse_contact_reason,
    refuse_important_mark,
    subject_with_order_id,
)
from messaging.policy.judge import (
    Blocked,
    Delivered,
    Held,
    Refused,
    SendFacts,
    Verdict,
    judge,
)
from messaging.policy.problem_with_order import (
    PROBLEM_WITH_ORDER_REASON,
    refuse_unconfirmed_adjustment,
)
from messaging.policy.sanctions import (
    HELD_RULE,
    LIMITED_RULE,
    REJECTED_MSG,
    SUSPENDED_RULE,
    SanctionFact,
    proactive_refusal,
    until_text,
)
from messaging.policy.seller_limits import (
    DAILY_LIMIT_BASE,
    DAILY_LIMIT_PER_AVERAGE_ORDER,
    DAILY_LIMIT_REACHED_MSG,
    DAILY_LIMIT_WINDOW_DAYS,
    OPT_OUT_RULE,
    OPTED_OUT_BLOCK_MSG,
    OPTED_OUT_LIST_MSG,
    ORDER_ID_MISSING_MSG,
    OUTSIDE_WINDOW_MSG,
    PROACTIVE_WINDOW_DAYS,
    REVIEW_ALREADY_MSG,
    REVIEW_NOT_DELIVERED_MSG,
    REVIEW_REQUEST_REASON,
    REVIEW_TOO_EARLY_MSG,
    REVIEW_TOO_LATE_MSG,
    REVIEW_WINDOW_END_DAYS,
    REVIEW_WINDOW_START_DAYS,
    block_for_opt_out,
    daily_message_limit,
    refuse_contact_buyer,
    refuse_daily_limit,
    refuse_missing_order_id,
    refuse_outside_window,
    refuse_review_request,
    review_window,
)

__all__ = [
    "Blocked",
    "CATEGORY_FLAG_LABELS",
    "CONTACT_REASONS",
    "CONTACT_REASON_RULES",
    "CRITICAL_REASONS",
    "ContactReasonRule",
    "DAILY_LIMIT_BASE",
    "DAILY_LIMIT_PER_AVERAGE_ORDER",
    "DAILY_LIMIT_REACHED_MSG",
    "DAILY_LIMIT_WINDOW_DAYS",
    "Delivered",
    "HELD_RULE",
    "Held",
    "LIMITED_RULE",
    "REJECTED_MSG",
    "SUSPENDED_RULE",
    "SanctionFact",
    "proactive_refusal",
    "until_text",
    "IMPORTANT_MARK",
    "IMPORTANT_MARK_MISUSED_MSG",
    "NOT_ACCEPTING_MSG",
    "NO_REASONS_CANCELED_MSG",
    "NO_REASONS_PENDING_MSG",
    "ORDER_ID_AND_MARK_LENGTH",
    "OPTED_OUT_BLOCK_MSG",
    "OPTED_OUT_LIST_MSG",
    "OPT_OUT_RULE",
    "ORDER_ID_MISSING_MSG",
    "OUTSIDE_WINDOW_MSG",
    "PROACTIVE_WINDOW_DAYS",
    "REASON_UNAVAILABLE_MSG",
    "REVIEW_ALREADY_MSG",
    "REVIEW_NOT_DELIVERED_MSG",
    "REVIEW_REQUEST_REASON",
    "REVIEW_TOO_EARLY_MSG",
    "REVIEW_TOO_LATE_MSG",
    "REVIEW_WINDOW_END_DAYS",
    "REVIEW_WINDOW_START_DAYS",
    "ReasonAvailability",
    "Refused",
    "SELLER_TO_SELLER_MSG",
    "STATUS_LABELS",
    "SendFacts",
    "Verdict",
    "block_for_opt_out",
    "contact_reasons_for_order",
    "daily_message_limit",
    "is_critical",
    "judge",
    "no_reasons_message",
    "offers_no_reason",
    "PROBLEM_WITH_ORDER_REASON",
    "refuse_unconfirmed_adjustment",
    "refuse_contact_buyer",
    "refuse_contact_reason",
    "refuse_daily_limit",
    "refuse_important_mark",
    "refuse_missing_order_id",
    "refuse_not_accepting",
    "refuse_outside_window",
    "refuse_review_request",
    "refuse_seller_to_seller",
    "review_window",
    "subject_with_order_id",
]
