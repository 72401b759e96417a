"""One case's page, as the seller and as the buyer read it: the case, its messages (the seller's
in one plain statement; those the buyer may see), what another member sent meanwhile (the team
inbox); the scopes a party may act in (cases, messages, attachments); the seller's cases of an
order, which its order page lists."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet

from accounts.models import SellerAccount, User
from accounts.selectors import seller_for_user
from cases.models import MESSAGES_VISIBLE_TO_BUYER, Case
from core.rows import fields_in_model_order
from messaging.models import Attachment, Direction, Message, MessageReport
from orders.models import Order, Product


def case_scope_for_seller(*, seller: SellerAccount) -> QuerySet[Case]:
    """Cases a seller's member may open; another seller's case is simply not in it. The case
    page reads the order ID and the buyer alias from the case row itself; the order and the
    relationship load when something asks for them."""
    return Case.objects.filter(seller=seller)


def case_for_seller(*, seller: SellerAccount, case_id: int) -> Case | None:
    """The seller's case `case_id` with its product (a question from a product page has one),
    or None when the seller has no such case: every seller case view's first read. One plain
    statement into the models (Model.from_db): the ORM's join cost the case page more to build
    than to run."""
    with connection.cursor() as cursor:
        cursor.execute(_CASE_FOR_SELLER_SQL, [case_id, seller.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(_CASE_FIELDS)
    case = Case.from_db(connection.alias, _CASE_FIELDS, row[:width])
    if case.product_id is not None:
        case.product = Product.from_db(connection.alias, _CASE_PRODUCT_FIELDS, row[width:])
    return case


_CASE_FIELDS = [field.attname for field in Case._meta.concrete_fields]
# What the case page shows of a product; its other fields load if asked for.
_CASE_PRODUCT_FIELDS = fields_in_model_order(Product, {"id", "title", "sku"})
_CASE_FOR_SELLER_SQL = "SELECT {case}, {product} FROM {cases} c LEFT JOIN {products} p ON p.id = c.product_id WHERE c.id = %s AND c.seller_id = %s".format(  # noqa: E501, S608  (names from the models)
    case=", ".join(f"c.{field.column}" for field in Case._meta.concrete_fields),
    product=", ".join(f"p.{name}" for name in _CASE_PRODUCT_FIELDS),
    cases=Case._meta.db_table,
    products=Product._meta.db_table,
)


def attachments_by_id() -> "Prefetch[str, QuerySet[Attachment], str]":
    """A message's attachments in the order they were added (a prefetch)."""
    return Prefetch("attachments", queryset=Attachment.objects.order_by("id"))


@dataclass
class SellerCaseMessage:
    """One message as the seller's case page shows it (`message_list_for_seller`)."""

    id: int
    direction: str
    channel: str
    subject: str
    body_text: str
    body_html: str
    created_at: datetime
    outcome: str
    outcome_rule: str
    outcome_reason: str
    response_state: str
    sender_id: int | None
    sender_full_name: str  # the sender's User.full_name and email (for get_full_name)
    sender_email: str
    attachment_rows: list[dict[str, Any]]  # {"id", "name", "size"}, by id
    report_reasons: list[str]  # reason codes of its reports, newest first (as MessageReport)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def from_buyer(self) -> bool:
        return self.direction == Direction.BUYER_TO_SELLER


def _seller_case_messages_sql() -> str:
    message, user = Message._meta.db_table, User._meta.db_table
    attachment, report = Attachment._meta.db_table, MessageReport._meta.db_table
    return f"""
        SELECT m.id, m.direction, m.channel, m.subject, m.body_text, m.body_html, m.created_at,
               m.outcome, m.outcome_rule, m.outcome_reason, m.response_state, m.sender_id,
               COALESCE(u.full_name, ''), COALESCE(u.email, ''),
               ARRAY(SELECT json_build_object('id', a.id, 'name', a.display_name, 'size', a.size)
                     FROM {attachment} a WHERE a.message_id = m.id ORDER BY a.id),
               ARRAY(SELECT r.reason FROM {report} r WHERE r.message_id = m.id
                     ORDER BY r.created_at DESC, r.id DESC)
        FROM {message} m LEFT JOIN {user} u ON u.id = m.sender_id
        WHERE m.case_id = %s
        ORDER BY m.created_at, m.id
    """  # noqa: S608 (table names from the models, the one value a parameter)


def message_list_for_seller(*, case: Case) -> list[SellerCaseMessage]:
    """Every message of the case, blocked ones included (the seller sees why), oldest first, in
    one query: each with its sender's name, its attachments and the reasons it was reported,
    computed by PostgreSQL as arrays. The case page costs the same query however many messages,
    attachments and reports it has. Plain SQL into plain rows: building and compiling the
    equivalent queryset (and a model instance per message and sender) cost several times the
    query itself on the hot case page."""
    with connection.cursor() as cursor:
        cursor.execute(_seller_case_messages_sql(), [case.pk])
        return [SellerCaseMessage(*row) for row in cursor.fetchall()]


def message_list_for_buyer(*, case: Case) -> QuerySet[Message]:
    """What the buyer received or wrote: seller messages that were not delivered stay hidden."""
    return (
        Message.objects.filter(case=case)
        .filter(MESSAGES_VISIBLE_TO_BUYER)
        .prefetch_related(attachments_by_id(), "reports")
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


ORDER_CASE_COLUMNS = (
    "id",
    "subject",
    "status",
    "needs_response",
    "message_count",
    "latest_message_at",
    "latest_direction",
    "latest_snippet",
    "buyer_latest_at",
    "buyer_latest_snippet",
)


def order_cases_for_seller(*, seller: SellerAccount, order: Order) -> QuerySet[Case]:
    """The seller's cases about one order (its order page lists them), latest first."""
    return (
        Case.objects.filter(seller=seller, order=order)
        .order_by("-latest_message_at", "-id")
        .only(*ORDER_CASE_COLUMNS)
    )


# ---- the team inbox (issue 14): what a member has not seen yet on a case


def seller_message_after(*, case: Case, after_id: int, member: User) -> Message | None:
    """The latest message to the buyer on `case` newer than message `after_id` that `member`
    did not send (another member's reply, or an automatic one), with its sender; None when
    there is none. One query on the case's messages."""
    return (
        Message.objects.filter(case=case, direction=Direction.SELLER_TO_BUYER, id__gt=after_id)
        .exclude(sender=member)
        .select_related("sender")
        .order_by("-id")
        .first()
    )
