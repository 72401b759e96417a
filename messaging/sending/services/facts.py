"""What the send funnel works out before it asks the judge: the draft (what a sender wrote,
however it arrived), its route (who sends it, on which case or order, from which side: SPEC
section 1) and the facts the rules need, gathered from the database."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accounts.models import BuyerProfile, Relationship, SellerAccount, User
from accounts.selectors import membership_for_user
from cases.models import Case
from core.refusals import NotAParty
from messaging import policy
from messaging.attachments import IncomingAttachment
from messaging.models import SUBJECT_MAX_LENGTH, Channel, Direction
from messaging.sanctions.selectors import sanction_facts
from messaging.sending import selectors
from messaging.sending.services.subjects import subject_fit
from orders.adjustments.selectors import order_cancel_reason
from orders.models import Order, Product
from orders.selectors import order_category_flags
from templates_app import selectors as template_selectors


@dataclass(frozen=True)
class Draft:
    """What a sender wrote, however it arrived (web form, email or a task)."""

    body_text: str
    subject: str = ""
    body_html: str = ""
    contact_reason: str = ""
    attachments: Sequence[IncomingAttachment] = field(default_factory=list)
    # The seller template the sender started from (R23): the stored message links it and its
    # use is counted. Another seller's template id is ignored.
    template_id: int | None = None
    # The platform template (its key) the text is, in the buyer's language (R23, R17).
    platform_template: str = ""

    @property
    def from_template(self) -> bool:
        return self.template_id is not None or bool(self.platform_template)


@dataclass
class Route:
    """Where a message goes and from which side; the case is None until a new one is opened."""

    from_seller: bool
    seller: SellerAccount
    buyer_id: int
    case: Case | None = None
    order: Order | None = None
    product: Product | None = None
    relationship: Relationship | None = None


def route_for(
    *,
    sender: User | None,
    case: Case | None,
    order: Order | None,
    seller: SellerAccount | None,
    product: Product | None,
    lock: bool,
) -> Route:
    """Who may send this (SPEC section 1): a member of the case's or order's seller, its buyer,
    or, for "Ask a question", any buyer. Anyone else gets NotAParty. With `lock`, the case or
    order row is locked so two sends cannot both pass a once-only rule (R17) or the R8 limit."""
    membership = membership_for_user(user=sender) if sender is not None else None

    def from_seller(seller_id: int, buyer_id: int) -> bool:
        """Which side the sender writes from; no sender is the system on behalf of the seller
        (a periodic task)."""
        if sender is None or (membership is not None and membership.seller_id == seller_id):
            return True
        if sender.pk == buyer_id:
            return False
        raise NotAParty()

    if case is not None:
        cases = Case.objects.select_related("relationship", "seller", "order")
        case = (cases.select_for_update(of=("self",)) if lock else cases).get(pk=case.pk)
        return Route(
            from_seller=from_seller(case.seller_id, case.buyer_id),
            seller=case.seller,
            buyer_id=case.buyer_id,
            case=case,
            order=case.order,
            product=case.product,
            relationship=case.relationship,
        )
    if order is not None:
        orders = Order.objects.select_related("relationship", "seller")
        order = (orders.select_for_update(of=("self",)) if lock else orders).get(pk=order.pk)
        if (seller is not None and seller.pk != order.seller_id) or (
            product is not None and product.seller_id != order.seller_id
        ):
            raise NotAParty()
        return Route(
            from_seller=from_seller(order.seller_id, order.buyer_id),
            seller=order.seller,
            buyer_id=order.buyer_id,
            order=order,
            product=product,
            relationship=order.relationship,
        )
    if seller is None or sender is None:
        raise ValueError("A message goes on a case, about an order, or to a seller (Ask).")
    if product is not None and product.seller_id != seller.pk:
        raise NotAParty()
    return Route(
        from_seller=False,
        seller=seller,
        buyer_id=sender.pk,
        product=product,
        relationship=Relationship.objects.filter(buyer=sender, seller=seller).first(),
    )


def _final_subject(route: Route, draft: Draft, *, critical: bool, channel: str) -> str:
    """R7 and R3: a proactive web or system message names its order and marks critical ones.
    By email the sender's subject stands (R7 then requires the order ID in it)."""
    if route.case is None and route.from_seller and channel != Channel.EMAIL:
        assert route.order is not None
        reason = policy.CONTACT_REASONS.get(draft.contact_reason)
        return policy.subject_with_order_id(
            subject=draft.subject or (reason.label if reason else ""),
            order_number=route.order.number,
            critical=critical,
            max_length=SUBJECT_MAX_LENGTH,
        )
    return draft.subject


def facts_for(
    route: Route, sender: User | None, draft: Draft, *, channel: str, now: datetime
) -> policy.SendFacts:
    """Gather from the database everything the judge needs for this message."""
    case, order, seller = route.case, route.order, route.seller
    reason = case.contact_reason if case is not None else draft.contact_reason
    critical = policy.is_critical(
        reason=reason, subject=draft.subject, by_email=channel == Channel.EMAIL
    )
    composed = _final_subject(route, draft, critical=critical, channel=channel)
    subject = subject_fit(composed)
    common: dict[str, Any] = {
        "channel": channel,
        "now": now,
        "subject": subject,
        "body_text": draft.body_text,
        "body_html": draft.body_html,
        "contact_reason": reason,
        "critical": critical,
        "case_status": case.status if case is not None else None,
        "from_template": draft.from_template,
    }
    if not route.from_seller:
        assert sender is not None  # a message without a sender is the seller's (_route)
        relationship = route.relationship
        return policy.SendFacts(
            from_seller=False,
            sender_is_seller_member=membership_for_user(user=sender) is not None,
            is_new_question=case is None and order is None,
            seller_business_name=seller.business_name,
            seller_accepting=seller.accepting_buyer_messages,
            seller_stopped_accepting_at=seller.accepting_changed_at,
            first_order_at=relationship.first_order_at if relationship else None,
            **common,
        )
    assert route.relationship is not None
    sent_today, limit = selectors.seller_daily_allowance(seller=seller, now=now)
    opted_out = BuyerProfile.objects.filter(
        user_id=route.buyer_id, opted_out_of_unsolicited=True
    ).exists()
    replies_to_buyer = case is not None and (
        case.started_by == Case.StartedBy.BUYER
        or case.messages.filter(direction=Direction.BUYER_TO_SELLER).exists()
    )
    order_facts: dict[str, Any] = {}
    if case is None and order is not None:
        order_facts = {
            "order_number": order.number,
            "order_status": order.status,
            "order_completed_at": order.completed_at,
            "order_delivered_at": order.delivered_at,
            "category_flags": order_category_flags(order),
            "adjustment_reason": order_cancel_reason(order),
            "review_already_requested": selectors.review_already_requested(order),
            # The whole subject: an order ID the column's cut took off was still named.
            "names_order_id": order.number in composed or order.number in draft.body_text,
        }
    return policy.SendFacts(
        from_seller=True,
        sent_today=sent_today,
        daily_limit=limit,
        buyer_opted_out=opted_out,
        replies_to_buyer=replies_to_buyer,
        allowed_addresses=(route.relationship.buyer_alias, route.relationship.seller_alias),
        marketing_phrases=template_selectors.marketing_phrases_active(),
        sanctions=sanction_facts(seller_id=seller.pk, now=now),
        **order_facts,
        **common,
    )
