"""R18 and R20: who may start a conversation with a seller through the storefront."""

from datetime import datetime

from django.utils.translation import gettext_noop

from core.refusals import Refusal

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
