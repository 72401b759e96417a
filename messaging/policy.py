"""Messaging rules as pure functions: plain values in, `None` or a `Refusal` out. No ORM, no I/O.

Every path that makes a message (web forms, inbound email, tasks) reaches these through
`messaging.services`, so the same message gets the same decision however it arrives.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_noop

from cases.policy import refuse_new_message
from core.refusals import Refusal
from templates_app.content_rules import refuse_content
from templates_app.placeholders import refuse_unfilled_placeholders

# Refusals a buyer can meet are marked for translation (gettext_noop: the text itself, nothing is
# translated here); buyer pages show them in the buyer's language (messaging.presentation).
SELLER_TO_SELLER_MSG = gettext_noop(
    "Members of a seller account cannot contact other sellers through “Ask a question”."
)
NOT_ACCEPTING_MSG = gettext_noop(
    "{business_name} is not accepting messages from new buyers at the moment. "
    "If you have an order with them, contact them from the order page."
)


def refuse_seller_to_seller(*, sender_is_seller_member: bool) -> Refusal | None:
    """R20: no seller-to-seller contact through the storefront."""
    if sender_is_seller_member:
        return Refusal(rule="R20", message=SELLER_TO_SELLER_MSG)
    return None


def refuse_not_accepting(
    *,
    business_name: str,
    accepting: bool,
    stopped_at: datetime | None,
    first_order_at: datetime | None,
    is_new_question: bool,
) -> Refusal | None:
    """R18: a seller on vacation hears only from buyers whose first order came before.

    New "Ask a question" contacts are refused; a buyer whose first order with the seller was
    placed before the seller stopped accepting may still write.
    """
    if accepting:
        return None
    earlier_buyer = first_order_at is not None and (
        stopped_at is None or first_order_at < stopped_at
    )
    if earlier_buyer and not is_new_question:
        return None
    return Refusal(rule="R18", message=NOT_ACCEPTING_MSG.format(business_name=business_name))


# ---- R3 critical messages, R5 contact reasons


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
    _rule("return_question", "Return-related question", False, ["delivered"]),
    _rule("warranty", "Warranty information", False, ["delivered"], "warranty"),
    _rule("invoice", "Invoice", False, ["shipped", "delivered"]),
)  # fmt: skip
CONTACT_REASONS = {rule.key: rule for rule in CONTACT_REASON_RULES}
CRITICAL_REASONS = frozenset(rule.key for rule in CONTACT_REASON_RULES if rule.critical)
IMPORTANT_MARK = "[Important]"
CATEGORY_FLAG_LABELS = {
    "customizable": "a customizable item (e.g. Handmade)",
    "scheduled_delivery": "an item delivered by appointment (e.g. Furniture, Large Appliances)",
    "warranty": "an item with a warranty (e.g. Electronics)",
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
NO_REASONS_CANCELED_MSG = "This order was canceled: there is nothing to contact the buyer about."
REASON_UNAVAILABLE_MSG = "“{label}” is not available for this order: {why}."


@dataclass(frozen=True)
class ReasonAvailability:
    key: str
    label: str
    critical: bool
    available: bool
    why: str  # empty when available


def _status_phrase(statuses: frozenset[str]) -> str:
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


def refuse_contact_reason(
    *, reason: str, status: str, category_flags: frozenset[str] | set[str]
) -> Refusal | None:
    """R5: the reason must be offered for this order's status and categories."""
    if status in ("pending", "canceled"):
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
    "critical contact reason (product customization question, delivery scheduling or shipping "
    "address issue). Remove it from the subject, or choose a critical reason."
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


def subject_with_order_id(*, subject: str, order_number: str, critical: bool) -> str:
    """R7 and R3: a proactive web message names its order and marks critical ones."""
    subject = " ".join(subject.split())
    if order_number not in subject:
        subject = f"{subject} (Order: {order_number})"
    if critical and IMPORTANT_MARK.lower() not in subject.lower():
        subject = f"{IMPORTANT_MARK} {subject}"
    return subject


# ---- R2 opt-out


OPTED_OUT_BLOCK_MSG = (
    "The buyer has opted out of unsolicited messages, so this message was not delivered. "
    "Replies to the buyer's own messages always go through. If the message is critical to "
    "completing the order, send it with a critical contact reason (product customization "
    "question, delivery scheduling or shipping address issue) from Contact Buyer, or with "
    "“[Important]” in the email subject."
)


OPT_OUT_RULE = "R2"
# Said once above the list of undelivered messages (R4), not again for each of them.
OPTED_OUT_LIST_MSG = (
    "These messages were not delivered because the buyers opted out of unsolicited messages. "
    "Replies to a buyer's own messages always go through. If a message is critical to "
    "completing the order, send it again from Contact Buyer with a critical contact reason "
    "(product customization question, delivery scheduling or shipping address issue), or with "
    "“[Important]” in the email subject."
)


def block_for_opt_out(
    *, buyer_opted_out: bool, replies_to_buyer: bool, critical: bool
) -> Refusal | None:
    """R2: a seller message to an opted-out buyer is blocked, unless it replies to the buyer (on
    a case the buyer started or has written on: buyers cannot opt out of replies to their own
    messages), or it is critical (R3). A block is stored and bounced back (R4), not refused."""
    if buyer_opted_out and not replies_to_buyer and not critical:
        return Refusal(rule=OPT_OUT_RULE, message=OPTED_OUT_BLOCK_MSG)
    return None


# ---- R6 30-day window, R7 order ID


PROACTIVE_WINDOW_DAYS = 30
OUTSIDE_WINDOW_MSG = (
    "Order {order_number} was completed on {completed:%b %-d, %Y %H:%M} UTC, more than 30 days "
    "ago: sellers may not start new messages about it."
)
ORDER_ID_MISSING_MSG = (
    "A message that starts a conversation must name its order ID (e.g. 123-1234567-1234567) "
    "in the subject or body."
)


def refuse_outside_window(
    *, order_number: str, completed_at: datetime | None, now: datetime
) -> Refusal | None:
    """R6: no proactive seller message later than 30 days after completion."""
    if completed_at is not None and now > completed_at + timedelta(days=PROACTIVE_WINDOW_DAYS):
        return Refusal(
            rule="R6",
            message=OUTSIDE_WINDOW_MSG.format(order_number=order_number, completed=completed_at),
        )
    return None


def refuse_contact_buyer(
    *, status: str, order_number: str, completed_at: datetime | None, now: datetime
) -> Refusal | None:
    """Whether Contact Buyer is possible for this order at all, before anyone writes: Pending
    and Canceled orders offer no reason (R5), and 30 days after completion the window has
    closed (R6)."""
    if status in ("pending", "canceled"):
        return Refusal(rule="R5", message=no_reasons_message(status=status))
    return refuse_outside_window(order_number=order_number, completed_at=completed_at, now=now)


def refuse_missing_order_id(*, has_order_id: bool) -> Refusal | None:
    """R7: by email, a proactive message without an order ID is rejected."""
    if not has_order_id:
        return Refusal(rule="R7", message=ORDER_ID_MISSING_MSG)
    return None


# ---- R8 daily limit
#
# The average daily order volume is over the 30 whole UTC days before today (days D−30 … D−1,
# D today's UTC date): orders placed today do not count yet. The limit is then the same all day,
# as the count of messages is per UTC day (orders.selectors.order_volume_last_30_days).


DAILY_LIMIT_BASE = 600
DAILY_LIMIT_PER_AVERAGE_ORDER = 5
DAILY_LIMIT_WINDOW_DAYS = 30
DAILY_LIMIT_REACHED_MSG = (
    "You have sent {limit} messages today (UTC), your daily limit: 5 × your average daily orders "
    "over the last 30 days before today + 600. You can send more after midnight UTC."
)


def daily_message_limit(*, orders_last_30_days: int) -> int:
    """R8: 5 × (average daily order volume over the 30 whole UTC days before today) + 600,
    rounded down; `orders_last_30_days` is the seller's orders placed in those days."""
    return (
        DAILY_LIMIT_PER_AVERAGE_ORDER * orders_last_30_days
    ) // DAILY_LIMIT_WINDOW_DAYS + DAILY_LIMIT_BASE


def refuse_daily_limit(*, sent_today: int, limit: int) -> Refusal | None:
    """R8: the message after the limit is refused."""
    if sent_today >= limit:
        return Refusal(rule="R8", message=DAILY_LIMIT_REACHED_MSG.format(limit=limit))
    return None


# ---- R17 Request a Review


REVIEW_WINDOW_START_DAYS = 5
REVIEW_WINDOW_END_DAYS = 30
REVIEW_NOT_DELIVERED_MSG = "You can request a review once the order has been delivered."
REVIEW_TOO_EARLY_MSG = (
    "You can request a review from {start:%b %-d, %Y} to {end:%b %-d, %Y} "
    "(5 to 30 days after delivery)."
)
REVIEW_TOO_LATE_MSG = (
    "Reviews could be requested from {start:%b %-d, %Y} to {end:%b %-d, %Y} "
    "(5 to 30 days after delivery); that window has closed."
)
REVIEW_ALREADY_MSG = "A review was already requested for this order."


def review_window(*, delivered_at: datetime | None) -> tuple[datetime, datetime] | None:
    """R17: (first, last) moment a review may be requested, or None before delivery."""
    if delivered_at is None:
        return None
    return (
        delivered_at + timedelta(days=REVIEW_WINDOW_START_DAYS),
        delivered_at + timedelta(days=REVIEW_WINDOW_END_DAYS),
    )


def refuse_review_request(
    *, delivered_at: datetime | None, already_requested: bool, now: datetime
) -> Refusal | None:
    """R17: once per order, from 5 to 30 days after delivery."""
    if already_requested:
        return Refusal(rule="R17", message=REVIEW_ALREADY_MSG)
    window = review_window(delivered_at=delivered_at)
    if window is None:
        return Refusal(rule="R17", message=REVIEW_NOT_DELIVERED_MSG)
    start, end = window
    if now < start:
        return Refusal(rule="R17", message=REVIEW_TOO_EARLY_MSG.format(start=start, end=end))
    if now > end:
        return Refusal(rule="R17", message=REVIEW_TOO_LATE_MSG.format(start=start, end=end))
    return None


# ---- the judge: every rule of a message, in one order, for every channel


@dataclass(frozen=True)
class SendFacts:
    """Everything the rules need to decide on one message, gathered by the send funnel
    (`messaging.services.sending`) from the database. Plain values only."""

    from_seller: bool
    channel: str  # "web", "email" or "system"
    now: datetime
    subject: str
    body_text: str
    body_html: str = ""
    contact_reason: str = ""
    critical: bool = False
    # The case the message goes on; None when the message opens a new case.
    case_status: str | None = None
    # Seller messages: the order of a proactive message (Contact Buyer, Request a Review).
    order_number: str = ""
    order_status: str = ""
    order_completed_at: datetime | None = None
    order_delivered_at: datetime | None = None
    category_flags: frozenset[str] = frozenset()
    review_already_requested: bool = False
    names_order_id: bool = True  # R7, by email: the subject or body names the order ID
    sent_today: int = 0
    daily_limit: int = DAILY_LIMIT_BASE
    buyer_opted_out: bool = False
    replies_to_buyer: bool = False
    allowed_addresses: tuple[str, ...] = ()
    marketing_phrases: tuple[str, ...] = ()
    # Buyer messages.
    sender_is_seller_member: bool = False
    is_new_question: bool = False
    seller_business_name: str = ""
    seller_accepting: bool = True
    seller_stopped_accepting_at: datetime | None = None
    first_order_at: datetime | None = None
    # R13: the attachments' own check (they are decoded before judging).
    attachment_refusal: Refusal | None = None
    # A live check while the sender types: a contact reason not chosen yet is no problem yet.
    live: bool = False
    # Started from a seller or platform template (R23): no placeholder may be left in it.
    from_template: bool = False

    @property
    def proactive(self) -> bool:
        """A seller message that opens a new case (Contact Buyer, Request a Review)."""
        return self.from_seller and self.case_status is None

    @property
    def is_review_request(self) -> bool:
        return self.contact_reason == REVIEW_REQUEST_REASON


@dataclass(frozen=True)
class Delivered:
    """The message goes through."""


@dataclass(frozen=True)
class Blocked:
    """Stored but not delivered (R2 opt-out); the seller gets a bounce-back (R4)."""

    refusal: Refusal


@dataclass(frozen=True)
class Refused:
    """Not stored: the sender is told why and what to do."""

    refusal: Refusal


Verdict = Delivered | Blocked | Refused
REVIEW_REQUEST_REASON = "review_request"


def _refusals(facts: SendFacts) -> Iterator[Refusal | None]:
    """The rules in the order they are applied; the first refusal is the verdict.

    Who may write at all comes first (R20, R18), then the case (R9), then what a proactive
    seller message may be about (R17, R5, R6, R7), then the message itself (R3, R12, R23, R13), and
    last the daily limit (R8), so a refused draft never uses up a message of the day.
    """
    if not facts.from_seller and facts.case_status is None:
        yield refuse_seller_to_seller(sender_is_seller_member=facts.sender_is_seller_member)
        yield refuse_not_accepting(
            business_name=facts.seller_business_name,
            accepting=facts.seller_accepting,
            stopped_at=facts.seller_stopped_accepting_at,
            first_order_at=facts.first_order_at,
            is_new_question=facts.is_new_question,
        )
    if facts.case_status is not None:
        yield refuse_new_message(status=facts.case_status)
    if facts.proactive:
        if facts.is_review_request:
            yield refuse_review_request(
                delivered_at=facts.order_delivered_at,
                already_requested=facts.review_already_requested,
                now=facts.now,
            )
        elif facts.channel == "web" and (facts.contact_reason or not facts.live):
            yield refuse_contact_reason(
                reason=facts.contact_reason,
                status=facts.order_status,
                category_flags=facts.category_flags,
            )
        yield refuse_outside_window(
            order_number=facts.order_number, completed_at=facts.order_completed_at, now=facts.now
        )
        if facts.channel == "email":
            yield refuse_missing_order_id(has_order_id=facts.names_order_id)
    if facts.from_seller:
        yield refuse_important_mark(subject=facts.subject, critical=facts.critical)
        # Every content problem of the subject and the body in one refusal (R12).
        yield refuse_content(
            subject=facts.subject,
            text=facts.body_text,
            html=facts.body_html,
            allowed_addresses=facts.allowed_addresses,
            marketing_phrases=facts.marketing_phrases,
        )
        if facts.from_template:
            yield refuse_unfilled_placeholders(f"{facts.subject}\n{facts.body_text}")
    yield facts.attachment_refusal
    if facts.from_seller:
        yield refuse_daily_limit(sent_today=facts.sent_today, limit=facts.daily_limit)


def judge(facts: SendFacts) -> Verdict:
    """Every rule of SPEC section 4 that decides on a message, for web, email and tasks alike:
    `Refused` (not stored), `Blocked` (stored, not delivered: R2) or `Delivered`."""
    for refusal in _refusals(facts):
        if refusal is not None:
            return Refused(refusal)
    if facts.from_seller:
        blocked = block_for_opt_out(
            buyer_opted_out=facts.buyer_opted_out,
            replies_to_buyer=facts.replies_to_buyer,
            critical=facts.critical,
        )
        if blocked is not None:
            return Blocked(blocked)
    return Delivered()
