"""Buyers write: contact a seller about an order, Ask a question (R24), reply."""

from django.db import transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.selectors import membership_for_user
from cases import policy as case_policy
from cases.models import Case, CaseStatus
from cases.services import case_transition
from messaging import policy
from messaging.models import (
    Channel,
    Direction,
    Message,
)
from messaging.services.relationships import relationship_get_or_create
from messaging.services.storage import (
    NOT_A_PARTY_MSG,
    Draft,
    case_open,
    case_summary_refresh,
    check_attachments,
    raise_if_refused,
    store_message,
)
from orders.models import Order, Product


@transaction.atomic
def case_open_by_buyer(
    *,
    buyer: User,
    seller: SellerAccount,
    order: Order | None,
    draft: Draft,
    channel: str = Channel.WEB,
    product: Product | None = None,
) -> Message:
    """A buyer contacts a seller about an order, or asks a question without one (R24),
    optionally about one of the seller's products."""
    raise_if_refused(
        policy.refuse_seller_to_seller(
            sender_is_seller_member=membership_for_user(user=buyer) is not None
        )
    )
    if order is not None and (order.buyer_id != buyer.pk or order.seller_id != seller.pk):
        raise PermissionError(NOT_A_PARTY_MSG)
    if product is not None and product.seller_id != seller.pk:
        raise PermissionError(NOT_A_PARTY_MSG)
    relationship = (
        order.relationship
        if order is not None
        else relationship_get_or_create(buyer=buyer, seller=seller)
    )
    raise_if_refused(
        policy.refuse_not_accepting(
            business_name=seller.business_name,
            accepting=seller.accepting_buyer_messages,
            stopped_at=seller.accepting_changed_at,
            first_order_at=relationship.first_order_at,
            is_new_question=order is None,
        )
    )
    checked = check_attachments(draft)
    now = timezone.now()
    case = case_open(
        relationship=relationship,
        order=order,
        product=product,
        contact_reason=draft.contact_reason,
        subject=draft.subject,
        started_by=Case.StartedBy.BUYER,
        actor=buyer,
        at=now,
    )
    return _store_buyer_message(case, buyer, draft, channel, checked, now)


@transaction.atomic
def message_reply_by_buyer(
    *, buyer: User, case: Case, draft: Draft, channel: str = Channel.WEB
) -> Message:
    """A buyer writes on one of their cases; a Resolved case opens again (SPEC section 3)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.buyer_id != buyer.pk:
        raise PermissionError(NOT_A_PARTY_MSG)
    raise_if_refused(case_policy.refuse_new_message(status=case.status))
    checked = check_attachments(draft)
    now = timezone.now()
    if case.status == CaseStatus.RESOLVED:
        case = case_transition(
            case=case, to_status=CaseStatus.OPENED, actor=buyer, cause="buyer message", at=now
        )
    return _store_buyer_message(case, buyer, draft, channel, checked, now)


def _store_buyer_message(case: Case, buyer: User, draft: Draft, channel: str, checked, now):
    """A buyer message needs a response (SPEC section 3) and is buyer activity (R10)."""
    message = store_message(
        case=case,
        direction=Direction.BUYER_TO_SELLER,
        sender=buyer,
        draft=draft,
        channel=channel,
        checked_attachments=checked,
        at=now,
    )
    case.last_activity_at = now
    case_summary_refresh(case)
    return message
