"""R5 and R3: what a proactive seller message may be about (the contact reasons an order
offers), which of them are critical, and the "[Important]" mark of critical messages."""

import re
from dataclasses import dataclass

from core.refusals import Refusal
from core.text import text_fit, text_one_line


@dataclass(frozen=True)
class ContactReasonRule:
    key: str
    label: str
    critical: bool
    statuses: frozenset[str]
    # A category flag one of the order's items must carry ("customizable", ...), or "".
    category_flag: str = ""


def _rule(
    key: str, label: str, critical: bool, statuses: list[str], category_flag: str = ""
) -> ContactReasonRule:
    return ContactReasonRule(key, label, critical, frozenset(statuses), category_flag)


# R5 table, in the order the Contact Buyer page offers them.
CONTACT_REASON_RULES: tuple[ContactReasonRule, ...] = (
    _rule("product_customization", "Product customization question", True, ["unshipped"],
          "customizable"),
    _rule("delivery_scheduling", "Delivery scheduling", True, ["unshipped", "shipped"],
          "scheduled_delivery"),
    _rule("shipping_address", "Shipping address issue", True, ["unshipped"]),
    _rule("unexpected_problem", "Unexpected problem with the order", False,
          ["unshipped", "shipped"]),
    _rule("additional_information", "Additional information required", False,
          ["unshipped", "shipped", "delivered"]),
    # R29: only while the buyer has an open return ("open_return", orders.selectors).
    _rule("return_question", "Return-related question", False, ["delivered"], "open_return"),
    _rule("warranty", "Warranty information", False, ["delivered"], "warranty"),
    _rule("invoice", "Invoice", False, ["shipped", "delivered"]),
    # R28: once the seller canceled the order for No inventory or Could not ship; the message
    # must confirm that (R31, messaging.policy.problem_with_order).
    _rule("problem_with_order", "Problem with Order", True, ["canceled"],
          "adjusted_unavailable"),
)  # fmt: skip
CONTACT_REASONS = {rule.key: rule for rule in CONTACT_REASON_RULES}
CRITICAL_REASONS = frozenset(rule.key for rule in CONTACT_REASON_RULES if rule.critical)
IMPORTANT_MARK = "[Important]"
_IMPORTANT_MARK_RE = re.compile(re.escape(IMPORTANT_MARK), re.IGNORECASE)
# What `subject_with_order_id` adds at most to a subject: the mark and " (Order: 123-1234567-
# 1234567)".
ORDER_ID_AND_MARK_LENGTH = len(f"{IMPORTANT_MARK} ") + len(" (Order: 123-1234567-1234567)")
CATEGORY_FLAG_LABELS = {
    "customizable": "a customizable item (e.g. Handmade)",
    "scheduled_delivery": "an item delivered by appointment (e.g. Furniture, Large Appliances)",
    "warranty": "an item with a warranty (e.g. Electronics)",
    "adjusted_unavailable": "a cancellation in Manage Orders with the reason No inventory or "
    "Could not ship",
    "open_return": "an open return request from the buyer",
}
STATUS_LABELS = {
    "pending": "Pending",
    "unshipped": "Unshipped",
    "shipped": "Shipped",
    "delivered": "Delivered",
    "canceled": "Canceled",
}
NO_REASONS_PENDING_MSG = (
    "Payment for this order has not cleared yet (Pending): you can contact the buyer once it is "
    "Unshipped."
)
NO_REASONS_CANCELED_MSG = (
    "This order was canceled, and not for No inventory or Could not ship: there is nothing to "
    "contact the buyer about. AlphaDiscounters has sent the buyer the cancellation and refund "
    "notice."
)
# The flag (orders.selectors.order_category_flags) of an order the seller canceled for No
# inventory or Could not ship: it offers Problem with Order.
ADJUSTED_UNAVAILABLE_FLAG = "adjusted_unavailable"
REASON_UNAVAILABLE_MSG = "“{label}” is not available for this order: {why}."


@dataclass(frozen=True)
class ReasonAvailability:
    key: str
    label: str
    critical: bool
    available: bool
    why: str  # empty when available


def _status_phrase(statuses: frozenset[str]) -> str:
    if statuses == frozenset({"canceled"}):
        return "available once you cancel the order in Manage Orders"
    if statuses == frozenset({"delivered"}):
        return "available after delivery"
    names = [STATUS_LABELS[s] for s in ("unshipped", "shipped", "delivered") if s in statuses]
    return "available for " + " or ".join(names) + " orders"


def contact_reasons_for_order(
    *, status: str, category_flags: frozenset[str] | set[str]
) -> list[ReasonAvailability]:
    """R5: every reason with whether this order allows it, and why not."""
    result = []
    for rule in CONTACT_REASON_RULES:
        why = ""
        if status not in rule.statuses:
            why = _status_phrase(rule.statuses)
        elif rule.category_flag and rule.category_flag not in category_flags:
            why = "needs " + CATEGORY_FLAG_LABELS[rule.category_flag]
        result.append(ReasonAvailability(rule.key, rule.label, rule.critical, not why, why))
    return result


def no_reasons_message(*, status: str) -> str:
    """Why a Pending or Canceled order offers no contact reason at all (R5)."""
    return {"pending": NO_REASONS_PENDING_MSG, "canceled": NO_REASONS_CANCELED_MSG}.get(status, "")


def offers_no_reason(*, status: str, category_flags: frozenset[str] | set[str]) -> bool:
    """R5, R28: a Pending order offers no contact reason; a canceled one only Problem with
    Order, after the seller canceled it for No inventory or Could not ship."""
    return status == "pending" or (
        status == "canceled" and ADJUSTED_UNAVAILABLE_FLAG not in category_flags
    )


def refuse_contact_reason(
    *, reason: str, status: str, category_flags: frozenset[str] | set[str]
) -> Refusal | None:
    """R5: the reason must be offered for this order's status and categories."""
    if offers_no_reason(status=status, category_flags=category_flags):
        return Refusal(rule="R5", message=no_reasons_message(status=status))
    for option in contact_reasons_for_order(status=status, category_flags=category_flags):
        if option.key == reason:
            if option.available:
                return None
            return Refusal(
                rule="R5", message=REASON_UNAVAILABLE_MSG.format(label=option.label, why=option.why)
            )
    return Refusal(rule="R5", message="Choose a contact reason from the list.")


IMPORTANT_MARK_MISUSED_MSG = (
    "“[Important]” marks critical messages only, and it is added for you when you choose a "
    "critical contact reason (product customization question, delivery scheduling, shipping "
    "address issue or problem with order). Remove it from the subject, or choose a critical "
    "reason."
)


def is_critical(*, reason: str = "", subject: str = "", by_email: bool = False) -> bool:
    """R3: a critical contact reason; by email also “[Important]” anywhere in the subject. On
    the web the reason alone decides, so typing the mark does not make a message critical."""
    return reason in CRITICAL_REASONS or (by_email and IMPORTANT_MARK.lower() in subject.lower())


def refuse_important_mark(*, subject: str, critical: bool) -> Refusal | None:
    """R3: “[Important]” in the subject of a message that is not critical would mislead the
    buyer (and its misuse can cost selling privileges), so it is refused."""
    if not critical and IMPORTANT_MARK.lower() in subject.lower():
        return Refusal(rule="R3", message=IMPORTANT_MARK_MISUSED_MSG)
    return None


def subject_with_order_id(
    *, subject: str, order_number: str, critical: bool, max_length: int | None = None
) -> str:
    """R7 and R3: a proactive web message names its order and marks critical ones. Within
    `max_length` characters (the subject column) when given: a subject too long with them is
    cut at a word, with "…", and its order ID and mark then come whole around the cut text."""
    subject = text_one_line(subject)
    marked = critical and IMPORTANT_MARK.lower() not in subject.lower()
    prefix = f"{IMPORTANT_MARK} " if marked else ""
    suffix = "" if order_number in subject else f" (Order: {order_number})"
    whole = f"{prefix}{subject}{suffix}"
    if max_length is None or len(whole) <= max_length:
        return whole
    if critical:
        # The sender's own mark could be cut away: the one in front stands for it.
        subject = text_one_line(_IMPORTANT_MARK_RE.sub(" ", subject))
        prefix = f"{IMPORTANT_MARK} "
    fitted = text_fit(subject, max_length - len(prefix))
    if order_number in fitted:
        return f"{prefix}{fitted}"
    suffix = f" (Order: {order_number})"
    return f"{prefix}{text_fit(subject, max_length - len(prefix) - len(suffix))}{suffix}"
