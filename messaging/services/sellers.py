"""Sellers write: replies, Contact Buyer, Request a Review, and the checks every seller
message meets (R2-R8, R12, R13, R17)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.selectors import (
    buyer_profile_for_user,
    notification_preferences_for_seller,
)
from cases import policy as case_policy
from cases.models import Case
from messaging import policy
from messaging.content_rules import refuse_content
from messaging.models import (
    BlockedMessageNotice,
    Channel,
    Direction,
    MarketingPhrase,
    Message,
    Outcome,
    Relationship,
    ResponseState,
)
from messaging.policy import Refusal
from messaging.services.storage import (
    Draft,
    case_open,
    case_summary_refresh,
    check_attachments,
    raise_if_refused,
    require_seller_member,
    store_message,
)
from orders.models import Order
from templates_app.platform import review_request_text


def _utc_midnight(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def seller_daily_allowance(
    *, seller: SellerAccount, now: datetime | None = None
) -> tuple[int, int]:
    """R8: (messages sent today, UTC, and the daily limit) for the "N of M left" line."""
    now = now or timezone.now()
    orders = Order.objects.filter(
        seller=seller, placed_at__gte=now - timedelta(days=policy.DAILY_LIMIT_WINDOW_DAYS)
    ).count()
    sent = Message.objects.filter(
        seller=seller,
        direction=Direction.SELLER_TO_BUYER,
        outcome=Outcome.DELIVERED,
        created_at__gte=_utc_midnight(now),
    ).count()
    return sent, policy.daily_message_limit(orders_last_30_days=orders)


def _marketing_phrases() -> list[str]:
    return list(MarketingPhrase.objects.filter(active=True).values_list("phrase", flat=True))


def seller_draft_problems(*, draft: Draft, relationship: Relationship) -> Refusal | None:
    """R12 for a draft, as the live compliance check and the send path both judge it."""
    aliases = (relationship.buyer_alias, relationship.seller_alias)
    phrases = _marketing_phrases()
    return refuse_content(
        text=draft.subject, allowed_addresses=aliases, marketing_phrases=phrases
    ) or refuse_content(
        text=draft.body_text,
        html=draft.body_html,
        allowed_addresses=aliases,
        marketing_phrases=phrases,
    )


def _judge_and_store_seller_message(
    *, sender: User, case: Case, draft: Draft, channel: str, now: datetime, **store
) -> Message:
    """The checks every seller message meets (R12, R13, R8, R2), then one stored message."""
    raise_if_refused(seller_draft_problems(draft=draft, relationship=case.relationship))
    checked = check_attachments(draft)
    # One sender at a time per seller account, so two members sending at once cannot both
    # take the last message of the day (R8).
    SellerAccount.objects.select_for_update().filter(pk=case.seller_id).first()
    sent_today, limit = seller_daily_allowance(seller=case.seller, now=now)
    raise_if_refused(policy.refuse_daily_limit(sent_today=sent_today, limit=limit))
    buyer_profile = buyer_profile_for_user(user=case.buyer)
    blocked = policy.block_for_opt_out(
        buyer_opted_out=buyer_profile.opted_out_of_unsolicited,
        replies_to_buyer=(
            case.started_by == Case.StartedBy.BUYER
            or case.messages.filter(direction=Direction.BUYER_TO_SELLER).exists()
        ),
        critical=draft.is_critical,
    )
    message = store_message(
        case=case,
        direction=Direction.SELLER_TO_BUYER,
        sender=sender,
        draft=draft,
        channel=channel,
        checked_attachments=checked,
        at=now,
        outcome=Outcome.BLOCKED if blocked else Outcome.DELIVERED,
        outcome_rule=blocked.rule if blocked else "",
        outcome_reason=blocked.message if blocked else "",
        **store,
    )
    if blocked:
        _notify_blocked(message)
    else:
        Message.objects.filter(
            case=case, direction=Direction.BUYER_TO_SELLER, response_state=ResponseState.NEEDED
        ).update(response_state=ResponseState.RESPONDED, responded_at=now)
    case.last_activity_at = now
    case_summary_refresh(case)
    return message


def _notify_blocked(message: Message) -> None:
    """R4: a bounce-back notice in the inbox, unless the seller cleared "Buyer Opt-out"."""
    preferences = notification_preferences_for_seller(seller=message.case.seller)
    if preferences.opt_out_bounces:
        BlockedMessageNotice.objects.create(seller_id=message.seller_id, message=message)


@transaction.atomic
def message_reply_by_seller(
    *, sender: User, case: Case, draft: Draft, channel: str = Channel.WEB
) -> Message:
    """A seller answers on a case: every buyer message waiting on it counts as responded.

    A reply keeps its case's contact reason, so a reply on a case opened with a critical reason
    is critical too (R3)."""
    case = Case.objects.select_for_update().select_related("relationship", "seller").get(pk=case.pk)
    require_seller_member(sender, case.seller_id)
    raise_if_refused(case_policy.refuse_new_message(status=case.status))
    critical = policy.is_critical(
        reason=case.contact_reason, subject=draft.subject, by_email=channel == Channel.EMAIL
    )
    raise_if_refused(policy.refuse_important_mark(subject=draft.subject, critical=critical))
    draft = replace(draft, is_critical=critical)
    return _judge_and_store_seller_message(
        sender=sender, case=case, draft=draft, channel=channel, now=timezone.now()
    )


def _category_flags(order: Order) -> frozenset[str]:
    flags = set()
    for item in order.items.select_related("product__category"):
        category = item.product.category
        flags.update(
            flag
            for flag in ("customizable", "scheduled_delivery", "warranty")
            if getattr(category, flag)
        )
    return frozenset(flags)


def contact_buyer_refusal(order: Order) -> Refusal | None:
    """Why Contact Buyer is closed for this order (R5, R6), or None (no query)."""
    return policy.refuse_contact_buyer(
        status=order.status,
        order_number=order.number,
        completed_at=order.completed_at,
        now=timezone.now(),
    )


def contact_reasons_for(order: Order) -> list[policy.ReasonAvailability]:
    """R5 for one order, as the Contact Buyer page shows it."""
    if order.status in ("pending", "canceled"):
        return []
    return policy.contact_reasons_for_order(
        status=order.status, category_flags=_category_flags(order)
    )


@transaction.atomic
def case_open_by_seller(
    *,
    sender: User,
    order: Order,
    draft: Draft,
    channel: str = Channel.WEB,
    check_reason: bool = True,
) -> Message:
    """A proactive seller message about an order (Contact Buyer): always a new case.

    R5 (the reason fits the order), R6 (30 days after completion), R7 and R3 (the subject names
    the order and marks critical reasons "[Important]"), then the checks of every seller message.
    """
    require_seller_member(sender, order.seller_id)
    order = Order.objects.select_for_update().select_related("relationship").get(pk=order.pk)
    now = timezone.now()
    if check_reason:
        raise_if_refused(
            policy.refuse_contact_reason(
                reason=draft.contact_reason,
                status=order.status,
                category_flags=_category_flags(order),
            )
        )
    raise_if_refused(
        policy.refuse_outside_window(
            order_number=order.number, completed_at=order.completed_at, now=now
        )
    )
    critical = policy.is_critical(
        reason=draft.contact_reason, subject=draft.subject, by_email=channel == Channel.EMAIL
    )
    raise_if_refused(policy.refuse_important_mark(subject=draft.subject, critical=critical))
    subject = policy.subject_with_order_id(
        subject=draft.subject or policy.CONTACT_REASONS[draft.contact_reason].label,
        order_number=order.number,
        critical=critical,
    )
    draft = replace(draft, subject=subject, is_critical=critical)
    case = case_open(
        relationship=order.relationship,
        order=order,
        contact_reason=draft.contact_reason,
        subject=subject,
        started_by=Case.StartedBy.SELLER,
        actor=sender,
        at=now,
    )
    return _judge_and_store_seller_message(
        sender=sender, case=case, draft=draft, channel=channel, now=now
    )


@transaction.atomic
def review_request_send(*, sender: User, order: Order) -> Message:
    """R17: once per order, 5 to 30 days after delivery, the platform's review-request
    template in the buyer's language. It is not critical, so opt-out blocks it (R2, R3)."""
    require_seller_member(sender, order.seller_id)
    order = Order.objects.select_for_update().get(pk=order.pk)
    raise_if_refused(review_request_refusal(order))
    language = buyer_profile_for_user(user=order.buyer).preferred_language
    subject, body = review_request_text(
        language=language, business_name=order.seller.business_name, order_number=order.number
    )
    return case_open_by_seller(
        sender=sender,
        order=order,
        draft=Draft(body_text=body, subject=subject, contact_reason="review_request"),
        check_reason=False,
    )


def review_already_requested(order: Order) -> bool:
    return Message.objects.filter(order=order, contact_reason="review_request").exists()


def review_request_refusal(order: Order) -> Refusal | None:
    """Why "Request a Review" is not possible for this order right now (R17), or None."""
    return policy.refuse_review_request(
        delivered_at=order.delivered_at,
        already_requested=review_already_requested(order),
        now=timezone.now(),
    )
