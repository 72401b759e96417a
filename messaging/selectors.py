"""Reads of the messaging domain, always scoped to the party asking."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import SellerAccount, User
from accounts.selectors import seller_for_user
from cases.models import Case, CaseStatus
from messaging.models import Attachment, BlockedMessageNotice, Direction, Message, Outcome

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

INBOX_COLUMNS = (
    "id",
    "subject",
    "status",
    "buyer_alias",
    "order_number",
    "needs_response",
    "waiting_since",
    "reported",
    "message_count",
    "latest_message_at",
    "latest_direction",
    "latest_snippet",
    "latest_blocked_rule",
)


def case_list_for_seller(*, seller: SellerAccount, filter_key: str = "", query: str = ""):
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
    return Case.objects.filter(buyer=buyer, buyer_latest_at__isnull=False).select_related(
        "order", "product", "relationship", "seller"
    )


def _attachments() -> Prefetch:
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
        .filter(Q(direction=Direction.BUYER_TO_SELLER) | Q(outcome=Outcome.DELIVERED))
        .prefetch_related(_attachments(), "reports")
        .order_by("created_at", "id")
    )


def message_scope_for_seller(*, seller: SellerAccount) -> QuerySet[Message]:
    return Message.objects.filter(seller=seller).select_related("case")


def message_scope_for_buyer(*, buyer: User) -> QuerySet[Message]:
    return (
        Message.objects.filter(case__buyer=buyer)
        .filter(Q(direction=Direction.BUYER_TO_SELLER) | Q(outcome=Outcome.DELIVERED))
        .select_related("case")
    )


def attachment_for_user(*, user: User, attachment_id: int) -> Attachment:
    """R13: an attachment only for the two parties of its case and for staff.

    Raises Attachment.DoesNotExist for anyone else, so views answer 404.
    """
    attachments = Attachment.objects.select_related("message__case")
    if user.is_staff:
        return attachments.get(pk=attachment_id)
    seller = seller_for_user(user=user)
    if seller is not None:
        return attachments.get(pk=attachment_id, message__seller=seller)
    return attachments.get(
        Q(message__direction=Direction.BUYER_TO_SELLER) | Q(message__outcome=Outcome.DELIVERED),
        pk=attachment_id,
        message__case__buyer=user,
    )


def case_list_for_buyer(*, buyer: User) -> QuerySet[Case]:
    return (
        Case.objects.filter(buyer=buyer, buyer_latest_at__isnull=False)
        .select_related("seller")
        .order_by("-buyer_latest_at", "-id")
    )


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
