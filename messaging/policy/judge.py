"""The judge: every rule of a message, in one order, for every channel."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from cases.policy import refuse_new_message
from core.refusals import Refusal
from messaging.policy.buyer_contact import refuse_not_accepting, refuse_seller_to_seller
from messaging.policy.contact_reasons import refuse_contact_reason, refuse_important_mark
from messaging.policy.problem_with_order import (
    PROBLEM_WITH_ORDER_REASON,
    refuse_unconfirmed_adjustment,
)
from messaging.policy.sanctions import (
    SanctionFact,
    hold_for_review,
    refuse_limited,
    refuse_suspended,
)
from messaging.policy.seller_limits import (
    DAILY_LIMIT_BASE,
    REVIEW_REQUEST_REASON,
    block_for_opt_out,
    refuse_daily_limit,
    refuse_missing_order_id,
    refuse_outside_window,
    refuse_review_request,
)
from templates_app.content_rules import refuse_content
from templates_app.placeholders import refuse_unfilled_placeholders


@dataclass(frozen=True)
class SendFacts:
    """Everything the rules need to decide on one message, gathered by the send funnel
    (`messaging.sending.services`) from the database. Plain values only."""

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
    # Seller messages: the reason code the seller canceled the order with (R31), or "".
    adjustment_reason: str = ""
    # Seller messages: the seller's active staff sanctions (R35-R37).
    sanctions: tuple[SanctionFact, ...] = ()

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


@dataclass(frozen=True)
class Held:
    """Stored but not delivered until staff release it (R37); the hold takes this message."""

    refusal: Refusal
    sanction_id: int


Verdict = Delivered | Blocked | Held | Refused


def _refusals(facts: SendFacts) -> Iterator[Refusal | None]:
    """The rules in the order they are applied; the first refusal is the verdict.

    Who may write at all comes first (staff sanctions R35 and R36, R20, R18), then the case (R9),
    then what a proactive seller message may be about (R17, R5, R6, R7), then the message itself
    (R3, R12, R23, R13), and last the daily limit (R8), so a refused draft never uses up a
    message of the day. A seller message that passes may still be blocked (R2) or held (R37).
    """
    if facts.from_seller and facts.sanctions:
        yield refuse_suspended(sanctions=facts.sanctions)
        yield refuse_limited(sanctions=facts.sanctions, replies_to_buyer=facts.replies_to_buyer)
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
            if facts.contact_reason == PROBLEM_WITH_ORDER_REASON:
                yield refuse_unconfirmed_adjustment(
                    subject=facts.subject,
                    body_text=facts.body_text,
                    adjustment_reason=facts.adjustment_reason,
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
    `Refused` (not stored), `Blocked` (stored, not delivered: R2), `Held` (stored until staff
    decide: R37) or `Delivered`."""
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
        held = hold_for_review(sanctions=facts.sanctions)
        if held is not None:
            return Held(refusal=held[1], sanction_id=held[0])
    return Delivered()
