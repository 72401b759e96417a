"""Reads of the messaging domain, always scoped to the party asking."""

from datetime import UTC, datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.selectors import seller_for_user
from cases.models import INBOX_SUMMARY_FIELDS, MESSAGES_VISIBLE_TO_BUYER, Case, CaseStatus
from core.refusals import Refusal
from messaging import policy
from messaging.models import Attachment, BlockedMessageNotice, Direction, Message, Outcome
from orders.models import Order, OrderStatus
from orders.selectors import order_category_flags

# Inbox filters: (label, condition on the case row, ordering). The default view is an index scan
# on (seller, needs_response, waiting_since).
INBOX_FILTERS: dict[str, tuple[str, Q, tuple[str, ...]]] = {
    "response-needed": (
        "Response Needed",
        Q(needs_response=True),
        ("waiting_since", "id"),
    ),
    "all": ("All", Q(), ("-latest_message_at", "-id")),
    "no-response-needed": (
        "No Response Needed",
        Q(has_no_response_needed=True),
        ("-latest_message_at", "-id"),
    ),
    "responded": ("Responded", Q(responded=True), ("-latest_message_at", "-id")),
    "sent": ("Sent", Q(has_sent=True), ("-latest_message_at", "-id")),
    "reported": ("Reported", Q(reported=True), ("-latest_message_at", "-id")),
    "opened": ("Opened", Q(status=CaseStatus.OPENED), ("-latest_message_at", "-id")),
    "resolved": ("Resolved", Q(status=CaseStatus.RESOLVED), ("-latest_message_at", "-id")),
    "closed": ("Closed", Q(status=CaseStatus.CLOSED), ("-latest_message_at", "-id")),
}
DEFAULT_INBOX_FILTER = "response-needed"

INBOX_COLUMNS = ("id", "subject", "status", "buyer_alias", "order_number", *INBOX_SUMMARY_FIELDS)


def case_list_for_seller(
    *, seller: SellerAccount, filter_key: str = "", query: str = ""
) -> QuerySet[Case]:
    """The inbox: the seller's cases under one filter, optionally searched.

    Search looks at the buyer alias, the order ID, the subject and the text of the messages.
    The matching case ids are one UNION of the two sides, so on PostgreSQL each side is a
    trigram index lookup (cases/0005, messaging/0005) rather than a test of every case row.
    """
    _, condition, ordering = INBOX_FILTERS.get(filter_key) or INBOX_FILTERS[DEFAULT_INBOX_FILTER]
    cases = Case.objects.filter(condition, seller=seller)
    query = query.strip()
    if query:
        on_case = Case.objects.filter(
            Q(buyer_alias__icontains=query.lower())
            | Q(order_number__icontains=query)
            | Q(subject__icontains=query),
            seller=seller,
        ).values("id")
        in_messages = Message.objects.filter(seller=seller, body_text__icontains=query).values(
            "case_id"
        )
        # No ORDER BY inside a compound subquery (SQLite refuses it; the models have orderings).
        on_case, in_messages = on_case.order_by(), in_messages.order_by()
        cases = cases.filter(id__in=on_case.union(in_messages))
    return cases.order_by(*ordering).only(*INBOX_COLUMNS)


def case_scope_for_seller(*, seller: SellerAccount) -> QuerySet[Case]:
    """Cases a seller's member may open; another seller's case is simply not in it."""
    return Case.objects.filter(seller=seller).select_related("order", "product", "relationship")


def case_scope_for_buyer(*, buyer: User) -> QuerySet[Case]:
    """The buyer's cases that reached them: a case whose only messages were blocked (a seller's
    proactive message to an opted-out buyer, R2) is not the buyer's to see."""
    return _cases_reached_buyer(buyer).select_related("order", "product", "relationship", "seller")


def _cases_reached_buyer(buyer: User) -> QuerySet[Case]:
    return Case.objects.filter(buyer=buyer, buyer_latest_at__isnull=False)


def _attachments() -> "Prefetch[str, QuerySet[Attachment], str]":
    return Prefetch("attachments", queryset=Attachment.objects.order_by("id"))


def message_list_for_seller(*, case: Case) -> QuerySet[Message]:
    """Every message of the case, blocked ones included (the seller sees why)."""
    return (
        Message.objects.filter(case=case)
        .select_related("sender")
        .prefetch_related(_attachments(), "reports")
        .order_by("created_at", "id")
    )


def message_list_for_buyer(*, case: Case) -> QuerySet[Message]:
    """What the buyer received or wrote: seller messages that were not delivered stay hidden."""
    return (
        Message.objects.filter(case=case)
        .filter(MESSAGES_VISIBLE_TO_BUYER)
        .prefetch_related(_attachments(), "reports")
        .order_by("created_at", "id")
    )


def message_scope_for_seller(*, seller: SellerAccount) -> QuerySet[Message]:
    return Message.objects.filter(seller=seller).select_related("case")


def message_scope_for_buyer(*, buyer: User) -> QuerySet[Message]:
    return (
        Message.objects.filter(case__buyer=buyer)
        .filter(MESSAGES_VISIBLE_TO_BUYER)
        .select_related("case")
    )


def attachment_scope_for_user(*, user: User) -> QuerySet[Attachment]:
    """R13: attachments only for the two parties of their case and for staff; anyone else's
    is simply not in it (views answer 404)."""
    attachments = Attachment.objects.select_related("message__case")
    if user.is_staff:
        return attachments
    seller = seller_for_user(user=user)
    if seller is not None:
        return attachments.filter(message__seller=seller)
    return attachments.filter(message__in=message_scope_for_buyer(buyer=user))


def case_list_for_buyer(*, buyer: User) -> QuerySet[Case]:
    """The buyer message center: their cases, latest first."""
    return _cases_reached_buyer(buyer).select_related("seller").order_by("-buyer_latest_at", "-id")


def blocked_notices_for_seller(
    *, seller: SellerAccount, limit: int = 5
) -> tuple[list[BlockedMessageNotice], int]:
    """R4: the seller's undismissed "not delivered" notices, newest first, for the inbox, and
    how many more there are beyond `limit`.

    One query: each notice comes with its message and the message's case (subject, buyer alias,
    order ID). A second one counts the rest only when there are more than `limit`.
    """
    undismissed = BlockedMessageNotice.objects.filter(seller=seller, dismissed_at__isnull=True)
    notices = list(
        undismissed.select_related("message", "message__case").order_by("-created_at", "-id")[
            : limit + 1
        ]
    )
    if len(notices) <= limit:
        return notices, 0
    return notices[:limit], undismissed.count() - limit


def blocked_notice_scope_for_seller(*, seller: SellerAccount) -> QuerySet[BlockedMessageNotice]:
    """Notices a seller's member may act on; another seller's notice is simply not in it."""
    return BlockedMessageNotice.objects.filter(seller=seller)


# ---- what a seller may still send (R5, R6, R8, R17)


def _utc_midnight(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def seller_daily_allowance(
    *, seller: SellerAccount, now: datetime | None = None
) -> tuple[int, int]:
    """R8: (messages delivered today, UTC, and the daily limit), for the send funnel and for
    the "N of M messages left today" line."""
    now = now or timezone.now()
    orders = Order.objects.filter(
        seller=seller,
        placed_at__gte=now - timedelta(days=policy.DAILY_LIMIT_WINDOW_DAYS),
        placed_at__lte=now,
    ).count()
    sent = Message.objects.filter(
        seller=seller,
        direction=Direction.SELLER_TO_BUYER,
        outcome=Outcome.DELIVERED,
        created_at__gte=_utc_midnight(now),
        created_at__lte=now,
    ).count()
    return sent, policy.daily_message_limit(orders_last_30_days=orders)


def seller_messages_left_today(*, seller: SellerAccount) -> tuple[int, int]:
    """R8 for the pages: (messages left today, the daily limit)."""
    sent, limit = seller_daily_allowance(seller=seller)
    return max(limit - sent, 0), limit


def contact_reasons_for(order: Order) -> list[policy.ReasonAvailability]:
    """R5 for one order, as the Contact Buyer page shows it."""
    if order.status in (OrderStatus.PENDING, OrderStatus.CANCELED):
        return []
    return policy.contact_reasons_for_order(
        status=order.status, category_flags=order_category_flags(order)
    )


def contact_buyer_refusal(order: Order) -> Refusal | None:
    """Why Contact Buyer is closed for this order (R5, R6), or None (no query)."""
    return policy.refuse_contact_buyer(
        status=order.status,
        order_number=order.number,
        completed_at=order.completed_at,
        now=timezone.now(),
    )


def review_already_requested(order: Order) -> bool:
    return Message.objects.filter(order=order, contact_reason=policy.REVIEW_REQUEST_REASON).exists()


def review_request_refusal(order: Order) -> Refusal | None:
    """Why "Request a Review" is not possible for this order right now (R17), or None."""
    return policy.refuse_review_request(
        delivered_at=order.delivered_at,
        already_requested=review_already_requested(order),
        now=timezone.now(),
    )
