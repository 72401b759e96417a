"""Staff sanctions on a seller's messaging (R30), as the judge applies them:

- R35 suspended: no seller message leaves (buyers' messages still arrive and are kept);
- R36 limited: no proactive message (Contact Buyer, a follow-up nobody asked for, a review
  request); replies to a buyer's messages still go through;
- R37 held: the seller's next message is stored but not delivered until staff release it.

The facts are plain values (`SanctionFact`), gathered by the send funnel.
"""

from dataclasses import dataclass
from datetime import datetime

from core.refusals import Refusal

SUSPEND = "suspend"
LIMIT_PROACTIVE = "limit"
HOLD_MESSAGE = "hold"

SUSPENDED_RULE = "R35"
LIMITED_RULE = "R36"
HELD_RULE = "R37"

SUSPENDED_MSG = (
    "AlphaDiscounters staff have suspended your messaging{until}: {reason} No message can be "
    "sent to buyers until then. Buyers' messages still reach you and are kept."
)
LIMITED_MSG = (
    "AlphaDiscounters staff have limited your proactive messaging{until}: {reason} Contact Buyer "
    "and review requests are off until then; replies to a buyer's own messages still go through."
)
HELD_MSG = (
    "Held for review by AlphaDiscounters staff: {reason} The message is kept and is delivered "
    "only if staff release it."
)
REJECTED_MSG = "Rejected by AlphaDiscounters staff, never delivered: {reason}"


@dataclass(frozen=True)
class SanctionFact:
    """One active sanction of the seller."""

    kind: str
    reason: str
    ends_at: datetime | None = None
    sanction_id: int = 0


def until_text(ends_at: datetime | None) -> str:
    return f" until {ends_at:%b %-d, %Y %H:%M} UTC" if ends_at is not None else ""


def _reason(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def refuse_suspended(*, sanctions: tuple[SanctionFact, ...]) -> Refusal | None:
    """R35: a suspended seller sends nothing, on any channel."""
    for sanction in sanctions:
        if sanction.kind == SUSPEND:
            return Refusal(
                rule=SUSPENDED_RULE,
                message=SUSPENDED_MSG.format(
                    until=until_text(sanction.ends_at), reason=_reason(sanction.reason)
                ),
            )
    return None


def refuse_limited(
    *, sanctions: tuple[SanctionFact, ...], replies_to_buyer: bool
) -> Refusal | None:
    """R36: a limited seller may only reply on a conversation the buyer started or wrote on."""
    if replies_to_buyer:
        return None
    for sanction in sanctions:
        if sanction.kind == LIMIT_PROACTIVE:
            return Refusal(
                rule=LIMITED_RULE,
                message=LIMITED_MSG.format(
                    until=until_text(sanction.ends_at), reason=_reason(sanction.reason)
                ),
            )
    return None


def hold_for_review(*, sanctions: tuple[SanctionFact, ...]) -> tuple[int, Refusal] | None:
    """R37: the first hold waiting for a message takes this one: (its id, why it is held)."""
    for sanction in sanctions:
        if sanction.kind == HOLD_MESSAGE:
            message = HELD_MSG.format(reason=_reason(sanction.reason))
            return sanction.sanction_id, Refusal(rule=HELD_RULE, message=message)
    return None


def proactive_refusal(*, sanctions: tuple[SanctionFact, ...]) -> Refusal | None:
    """Why Contact Buyer and Request a Review are off (R35, R36), before anyone writes."""
    return refuse_suspended(sanctions=sanctions) or refuse_limited(
        sanctions=sanctions, replies_to_buyer=False
    )
