"""Reads of the messaging domain, always scoped to the party asking."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, overload

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import (
    NotificationPreferences,
    Relationship,
    SellerAccount,
    User,
)
from accounts.selectors import seller_for_user
from cases.models import (
    INBOX_SUMMARY_FIELDS,
    MESSAGES_VISIBLE_TO_BUYER,
    Case,
    CaseStatus,
    CaseTransition,
    ResponseState,
)
from core.pagination import CappedPage, capped_page_sql, page_number_for
from core.refusals import Refusal
from core.rows import fields_in_model_order
from messaging import policy
from messaging.models import (
    Attachment,
    BlockedMessageNotice,
    Direction,
    InboundMail,
    Message,
    MessageReport,
    MessagingPermission,
    MetricsWatermark,
    OutboundEmail,
    Outcome,
    ResponseTimeDaily,
    StaffWarning,
)
from orders.models import Order, OrderStatus, Product
from orders.numbers import ORDER_NUMBER_DIGITS, order_number_fragments
from orders.selectors import (
    order_category_flags,
    order_volume_last_30_days,
)

# Inbox filters: (label, condition on the case row `c`, the list's order), in SQL. The default
# view is an index scan on (seller, waiting_since) of the cases needing a response.
_LATEST_FIRST = "c.latest_message_at DESC, c.id DESC"
INBOX_FILTERS: dict[str, tuple[str, str, str]] = {
    "response-needed": ("Response Needed", "c.needs_response", "c.waiting_since ASC, c.id ASC"),
    # Issue 14: beside Response Needed; "Assigned to me" is completed with the member asking.
    "assigned-to-me": ("Assigned to me", "c.assigned_to_id = %(member)s", _LATEST_FIRST),
    "unassigned": ("Unassigned", "c.assigned_to_id IS NULL", _LATEST_FIRST),
    "all": ("All", "TRUE", _LATEST_FIRST),
    "no-response-needed": ("No Response Needed", "c.has_no_response_needed", _LATEST_FIRST),
    "responded": ("Responded", "c.responded", _LATEST_FIRST),
    "sent": ("Sent", "c.has_sent", _LATEST_FIRST),
    "reported": ("Reported", "c.reported", _LATEST_FIRST),
    "opened": ("Opened", f"c.status = '{CaseStatus.OPENED.value}'", _LATEST_FIRST),
    "resolved": ("Resolved", f"c.status = '{CaseStatus.RESOLVED.value}'", _LATEST_FIRST),
    "closed": ("Closed", f"c.status = '{CaseStatus.CLOSED.value}'", _LATEST_FIRST),
}
DEFAULT_INBOX_FILTER = "response-needed"
ASSIGNED_TO_ME = "assigned-to-me"

# How far a search counts ("200+ cases"): each case counted may be a look into its messages.
INBOX_SEARCH_COUNT_CAP = 200


def inbox_page_for_seller(
    *,
    seller: SellerAccount,
    filter_key: str,
    query: str,
    member: User,
    page_number: str | None,
    per_page: int,
    count_cap: int,
) -> CappedPage[Any]:
    """One page of the inbox: the seller's cases under one filter, optionally searched
    (`_inbox_search`), with the capped count, in one statement of plain SQL into InboxRow:
    the ORM took longer to build its queries than PostgreSQL took to run them, on the page
    every seller opens most (issue 13)."""
    _, condition, ordering = INBOX_FILTERS.get(filter_key) or INBOX_FILTERS[DEFAULT_INBOX_FILTER]
    own = f"c.seller_id = %(seller)s AND {condition}"
    params: dict[str, Any] = {"seller": seller.pk, "member": member.pk}
    page = partial(
        capped_page_sql,
        joins="LEFT JOIN accounts_user u ON u.id = c.assigned_to_id",
        columns=_INBOX_SQL_COLUMNS,
        ordering=ordering,
        row=InboxRow,
        page_number=page_number,
        per_page=per_page,
        count_cap=count_cap,
    )
    query = query.strip()
    if not query:
        return page(table="cases_case c", where=own, params=params)
    # The cases a search may list: as many as the capped count and the page asked for need.
    asked = page_number_for(
        page_number, count=count_cap + 1, per_page=per_page, count_cap=count_cap
    )
    params["_first"] = max(count_cap + 1, asked * per_page + 1)
    matching = _inbox_search(query, own=own, ordering=ordering, params=params)
    return page(with_=f"WITH {matching}", table="matching c", params=params)


class InboxRow:
    """A case of an inbox page as its SQL reads it: the attributes of the case row the page
    shows (INBOX_COLUMNS, `pk`, `assigned_to` with the owner's name), and room for the view's
    (url, age, row_html …)."""

    def __init__(self, values: tuple[Any, ...]) -> None:
        named = dict(zip(_INBOX_ROW_ATTRIBUTES, values, strict=True))
        owner = {
            "id": named["assigned_to_id"],
            "full_name": named.pop("owner_full_name"),
            "email": named.pop("owner_email"),
        }
        self.__dict__.update(named)
        self.pk: int = named["id"]
        self.assigned_to: User | None = (
            User.from_db("default", _OWNER_FIELDS, [owner[name] for name in _OWNER_FIELDS])
            if owner["id"] is not None
            else None
        )


_OWNER_FIELDS = fields_in_model_order(User, {"id", "full_name", "email"})

INBOX_COLUMNS = (
    "id",
    "subject",
    "status",
    "buyer_alias",
    "order_number",
    "assigned_to_id",
    *INBOX_SUMMARY_FIELDS,
)
_INBOX_ROW_ATTRIBUTES = (*INBOX_COLUMNS, "owner_full_name", "owner_email")
_INBOX_SQL_COLUMNS = ", ".join([f"c.{name}" for name in INBOX_COLUMNS] + ["u.full_name", "u.email"])
# What a search keeps of each matching case: the page's columns (those the filters order by too).
_MATCHING_COLUMNS = ", ".join(f"c.{name}" for name in INBOX_COLUMNS)


# ---- inbox search

# A search looks into the newest INBOX_SEARCH_SAMPLE cases of the list first: when at least
# INBOX_SEARCH_WALK_HITS of them match, it walks on through the cases, looking into at most
# INBOX_SEARCH_WALK_CASES cases for each case it needs; otherwise it asks the trigram indexes.
INBOX_SEARCH_SAMPLE = 100
INBOX_SEARCH_WALK_HITS = 6
INBOX_SEARCH_WALK_CASES = 20


def _inbox_search(query: str, *, own: str, ordering: str, params: dict[str, Any]) -> str:
    """The WITH clauses of a search, ending in `matching`: the first `_first` cases (in
    `ordering`) of those the inbox lists (`own`, a condition on `cases_case c`) whose buyer
    alias, order ID (typed with or without its dashes) or subject (read from the case's
    CaseSearchText), or the text of any of whose messages, contains `query` (any case). Adds
    its values to `params`.

    Two ways find those cases, and which one is cheap depends on how common `query` is:
    - the walk: the listed cases in the list's order, each looked into (its texts, then its
      messages through the index on case_id) until enough match. Cheap for a common word
      ("parcel": one message in nine), whose matches fill the page and the capped count within
      a few hundred cases; a rare one would be looked for in every case of the seller;
    - the lookup: two trigram index lookups (cases/0011 on the cases' texts, messaging/0005 on
      the messages'), the matching cases then sorted. Cheap for a rare text (an alias, an order
      ID, an unusual word: a handful of rows); a common word would read every matching
      message of every seller.
    The newest INBOX_SEARCH_SAMPLE cases of the list decide: they are looked into first (a
    millisecond or two), and the walk goes on when at least INBOX_SEARCH_WALK_HITS of them
    match (about 1 in 16), or when they are all the cases listed. The walk stops after
    INBOX_SEARCH_WALK_CASES cases per case it needs (a word common only among the newest
    cases); unless it found them all, or looked into every case listed, the lookup runs
    instead. Both ways are in the one statement, and PostgreSQL runs only what the rows
    decide (one-time filters), whatever the table statistics say.
    """
    texts = _case_text_contains(query, params)
    body = _contains("m.body_text", query, params)
    params.update(
        {
            "_sample": INBOX_SEARCH_SAMPLE,
            "_walk_hits": INBOX_SEARCH_WALK_HITS,
            "_walk_cases": INBOX_SEARCH_WALK_CASES * params["_first"],
        }
    )
    return _SEARCH_SQL.format(
        own=own,
        ordering=ordering,
        columns=_MATCHING_COLUMNS,
        matches=_SEARCH_MATCHES.format(texts=texts, body=body),
        texts=texts,
        body=body,
    )


# Whether the case `c` matches, looked into on its own. Scalar subqueries, run for each case
# looked into: an EXISTS under OR would be hashed by PostgreSQL, reading every matching message
# first.
_SEARCH_MATCHES = """(
    (SELECT 1 FROM cases_casesearchtext t WHERE t.case_id = c.id AND ({texts})) IS NOT NULL
    OR (SELECT 1 FROM messaging_message m WHERE m.case_id = c.id AND {body} LIMIT 1) IS NOT NULL
)"""
_SEARCH_SQL = """
    sample AS MATERIALIZED (
        SELECT {matches} AS hit
        FROM (SELECT c.id FROM cases_case c WHERE {own} ORDER BY {ordering} LIMIT %(_sample)s) c
    ),
    decision AS (
        SELECT COUNT(*) < %(_sample)s OR COUNT(*) FILTER (WHERE hit) >= %(_walk_hits)s AS walk
        FROM sample
    ),
    walked AS MATERIALIZED (
        SELECT {columns}
        FROM (SELECT {columns} FROM cases_case c WHERE {own} AND (SELECT walk FROM decision)
              ORDER BY {ordering} LIMIT %(_walk_cases)s) c
        WHERE {matches}
        ORDER BY {ordering} LIMIT %(_first)s
    ),
    walk_found AS (
        SELECT (SELECT walk FROM decision) AND (
            (SELECT COUNT(*) FROM walked) >= %(_first)s
            OR (SELECT COUNT(*) FROM (SELECT 1 FROM cases_case c WHERE {own}
                                      LIMIT %(_walk_cases)s) listed) < %(_walk_cases)s
        ) AS all_needed
    ),
    matching AS MATERIALIZED (
        SELECT * FROM walked WHERE (SELECT all_needed FROM walk_found)
        UNION ALL
        (SELECT {columns} FROM cases_case c
         WHERE {own} AND NOT (SELECT all_needed FROM walk_found) AND c.id IN (
             SELECT t.case_id FROM cases_casesearchtext t
             WHERE t.seller_id = %(seller)s AND ({texts})
             UNION
             SELECT m.case_id FROM messaging_message m WHERE m.seller_id = %(seller)s AND {body}
         )
         ORDER BY {ordering} LIMIT %(_first)s)
    )
"""


def _case_text_contains(query: str, params: dict[str, Any]) -> str:
    """A condition on a CaseSearchText `t`: its buyer alias, order ID or subject contains
    `query`, an order ID also when typed without its dashes (orders.numbers)."""
    fragments = []
    for index, fragment in enumerate(order_number_fragments(query)):
        params[f"order_{index}"] = f"%{connection.ops.prep_for_like_query(fragment)}%"
        fragments.append(f"UPPER(t.order_number) LIKE UPPER(%(order_{index})s)")
    return " OR ".join(
        [
            _contains("t.buyer_alias", query, params),
            *fragments,
            _contains("t.subject", query, params),
        ]
    )


def _contains(column: str, query: str, params: dict[str, Any]) -> str:
    """`column` contains `query` (any case), as `icontains` finds it: `UPPER(column) LIKE`,
    which the column's trigram index serves, but cheaper when the query is an alias or part of
    one (it has an "@"). Every alias ends in the same "@domain", whose trigrams are in every
    alias: asked for a whole alias, the trigram index would read the posting lists of the whole
    table (issue 13: 40 times a bare page). So the index is asked only for what comes before
    the "@", with the "@" (an alias's own random characters: a handful of rows), and the whole
    text is then checked on those rows only (STRPOS, which no index serves). The same rows
    either way: a text that contains the query contains its start."""
    local, at, _ = query.partition("@")
    if not (at and local.strip()):
        params["_like"] = f"%{connection.ops.prep_for_like_query(query)}%"
        return f"UPPER({column}) LIKE UPPER(%(_like)s)"
    params["_like_local"] = f"%{connection.ops.prep_for_like_query(local)}@%"
    params["_whole"] = query
    return (
        f"UPPER({column}) LIKE UPPER(%(_like_local)s)"
        f" AND STRPOS(UPPER({column}), UPPER(%(_whole)s)) > 0"
    )


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


def case_scope_for_buyer(*, buyer: User) -> QuerySet[Case]:
    """The buyer's cases that reached them: a case whose only messages were blocked (a seller's
    proactive message to an opted-out buyer, R2) is not the buyer's to see."""
    return _cases_reached_buyer(buyer).select_related("order", "product", "relationship", "seller")


def _cases_reached_buyer(buyer: User) -> QuerySet[Case]:
    return Case.objects.filter(buyer=buyer, buyer_latest_at__isnull=False)


def _attachments() -> "Prefetch[str, QuerySet[Attachment], str]":
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


def order_cases_for_buyer(*, buyer: User, order: Order) -> QuerySet[Case]:
    """The buyer's cases about one order that reached them (as in the message center)."""
    return (
        _cases_reached_buyer(buyer)
        .filter(order=order)
        .order_by("-buyer_latest_at", "-id")
        .only(*ORDER_CASE_COLUMNS)
    )


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


_INBOX_NOTICES_SQL = """
    SELECT
      (SELECT COUNT(*) FROM {notice} WHERE seller_id = %(seller)s AND dismissed_at IS NULL),
      EXISTS (SELECT 1 FROM {warning}
              WHERE seller_id = %(seller)s AND party = %(party)s AND dismissed_at IS NULL)
"""


def inbox_notices_for_seller(*, seller: SellerAccount) -> tuple[int, list[StaffWarning]]:
    """What the inbox shows above the list: the number of undismissed "not delivered" notices
    (R4) and the undismissed staff warnings (R16). One small query on every inbox page; the
    warnings themselves, a query of three joins, only when there are some (issue 13: asking
    for an empty list of them cost a tenth of the page)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _INBOX_NOTICES_SQL.format(
                notice=BlockedMessageNotice._meta.db_table, warning=StaffWarning._meta.db_table
            ),
            {"seller": seller.pk, "party": StaffWarning.Party.SELLER.value},
        )
        notices, has_warnings = cursor.fetchone()
    return int(notices), staff_warnings_for_seller(seller=seller) if has_warnings else []


def blocked_notice_list_for_seller(*, seller: SellerAccount) -> QuerySet[BlockedMessageNotice]:
    """R4: the undismissed notices, newest first, each with its message and case (one query a
    page)."""
    return (
        BlockedMessageNotice.objects.filter(seller=seller, dismissed_at__isnull=True)
        .select_related("message", "message__case")
        .order_by("-created_at", "-id")
    )


def blocked_notice_scope_for_seller(*, seller: SellerAccount) -> QuerySet[BlockedMessageNotice]:
    """Notices a seller's member may act on; another seller's notice is simply not in it."""
    return BlockedMessageNotice.objects.filter(seller=seller)


# ---- staff warnings (R16): at the top of the warned party's message center until dismissed

STAFF_WARNINGS_SHOWN = 5


def _warnings_shown(warnings: QuerySet[StaffWarning]) -> list[StaffWarning]:
    return list(
        warnings.filter(dismissed_at__isnull=True)
        .select_related("report__message__case__seller")
        .order_by("-created_at", "-id")[:STAFF_WARNINGS_SHOWN]
    )


def staff_warning_scope_for_seller(*, seller: SellerAccount) -> QuerySet[StaffWarning]:
    """Warnings to this seller account; a warning to its buyer or to another seller is not in
    it (views answer 404)."""
    return StaffWarning.objects.filter(seller=seller, party=StaffWarning.Party.SELLER)


def staff_warning_scope_for_buyer(*, buyer: User) -> QuerySet[StaffWarning]:
    return StaffWarning.objects.filter(buyer=buyer, party=StaffWarning.Party.BUYER)


def staff_warnings_for_seller(*, seller: SellerAccount) -> list[StaffWarning]:
    """The seller's undismissed warnings (the latest few), newest first, each with the reported
    message and its case (one query). Only the columns the inbox's lines show: the inbox asks
    on every request, and a query of some 80 columns costs more to build than to run."""
    return list(
        staff_warning_scope_for_seller(seller=seller)
        .filter(dismissed_at__isnull=True)
        .select_related("report__message__case")
        .only(
            "id",
            "report__reason",
            "report__message__direction",
            "report__message__subject",
            "report__message__case__id",
        )
        .order_by("-created_at", "-id")[:STAFF_WARNINGS_SHOWN]
    )


def staff_warnings_for_buyer(*, buyer: User) -> list[StaffWarning]:
    return _warnings_shown(staff_warning_scope_for_buyer(buyer=buyer))


# ---- staff: the dispute file of one order, alias or case (R25)

DISPUTE_FILE_MAX_CASES = 200
_CASE_ID = re.compile(r"(?:case\s*)?#?\s*(\d{1,12})", re.IGNORECASE)


@dataclass(frozen=True)
class DisputeFile:
    """Everything about one order, alias or case, for staff: its relationship (the buyer, the
    seller and their two aliases), every case with its state transitions and all its messages
    both ways (blocked and rejected ones too), each message with its attachments, its inbox
    notice (R4), its reports with the warnings issued, the inbound mail it came from (with any
    bounce) and the emails sent for it; for an alias, the mail to it that became no message.

    The cases are oldest first; past `DISPUTE_FILE_MAX_CASES` only the latest are listed
    (`more_cases`)."""

    kind: str  # "order", "alias" or "case"
    key: str  # the order ID, the alias or the case ID
    relationship: Relationship
    cases: list[Case]
    more_cases: bool
    orders: list[Order]
    unthreaded_mails: list[InboundMail]

    @property
    def message_count(self) -> int:
        return sum(len(case.messages.all()) for case in self.cases)

    @property
    def not_delivered_count(self) -> int:
        return sum(
            message.outcome != Outcome.DELIVERED
            for case in self.cases
            for message in case.messages.all()
        )

    @property
    def report_count(self) -> int:
        return sum(
            len(message.reports.all()) for case in self.cases for message in case.messages.all()
        )


def _emails() -> "Prefetch[str, QuerySet[OutboundEmail], str]":
    return Prefetch("emails", queryset=OutboundEmail.objects.defer("payload").order_by("id"))


def _bounces() -> "Prefetch[str, QuerySet[OutboundEmail], str]":
    return Prefetch("bounces", queryset=OutboundEmail.objects.defer("payload").order_by("id"))


def _dispute_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases with everything the file shows, in a fixed number of queries whatever the
    number of messages: one per kind of row (raw mail and email payloads left out)."""
    reports = MessageReport.objects.select_related("reporter", "reviewed_by").prefetch_related(
        Prefetch(
            "warnings",
            queryset=StaffWarning.objects.select_related("issued_by", "dismissed_by").order_by(
                "created_at", "id"
            ),
        )
    )
    messages = (
        Message.objects.select_related("sender", "notice", "no_response_needed_by")
        .prefetch_related(
            _attachments(),
            Prefetch("reports", queryset=reports.order_by("created_at", "id")),
            Prefetch(
                "inbound_mails",
                queryset=InboundMail.objects.defer("raw")
                .prefetch_related(_bounces())
                .order_by("received_at", "id"),
            ),
            _emails(),
        )
        .order_by("created_at", "id")
    )
    return cases.select_related(
        "order", "product", "relationship__buyer", "relationship__seller"
    ).prefetch_related(
        Prefetch(
            "transitions",
            queryset=CaseTransition.objects.select_related("actor").order_by("created_at", "id"),
        ),
        Prefetch("messages", queryset=messages),
    )


def _dispute_subject(
    text: str,
) -> tuple[str, str, Relationship | None, Order | None, QuerySet[Case]] | None:
    """What the staff member typed: an alias (buyer or seller), an order ID (17 digits, dashes
    and spaces optional) or a case ID ("1234", "#1234", "case 1234"); None when it is none of
    them or names nothing."""
    relationships = Relationship.objects.select_related("buyer", "seller")
    if "@" in text:
        alias = text.lower()
        relationship = relationships.filter(
            Q(buyer_alias__iexact=alias) | Q(seller_alias__iexact=alias)
        ).first()
        if relationship is None:
            return None
        return "alias", alias, relationship, None, Case.objects.filter(relationship=relationship)
    compact = re.sub(r"[\s-]", "", text)
    if compact.isdigit() and len(compact) == ORDER_NUMBER_DIGITS:
        number = order_number_fragments(compact)[0]
        order = (
            Order.objects.select_related("relationship__buyer", "relationship__seller")
            .filter(number=number)
            .first()
        )
        if order is None:
            return None
        in_messages = Message.objects.filter(order=order).order_by().values("case_id")
        cases = Case.objects.filter(Q(order=order) | Q(pk__in=in_messages))
        return "order", number, order.relationship, order, cases
    match = _CASE_ID.fullmatch(text)
    if match is None:
        return None
    return "case", match.group(1), None, None, Case.objects.filter(pk=int(match.group(1)))


def dispute_file(query: str) -> DisputeFile | None:
    """R25: the dispute file for an order ID, an alias or a case ID (staff only: the admin view
    checks the permissions); None when nothing matches."""
    text = query.strip()
    subject = _dispute_subject(text) if text else None
    if subject is None:
        return None
    kind, key, relationship, order, cases = subject
    latest_first = list(
        _dispute_cases(cases.order_by("-created_at", "-id"))[: DISPUTE_FILE_MAX_CASES + 1]
    )
    if relationship is None:  # a case ID: the case names its relationship
        if not latest_first:
            return None
        relationship = latest_first[0].relationship
    orders: list[Order] = []
    unthreaded: list[InboundMail] = []
    if kind == "alias":
        orders = list(Order.objects.filter(relationship=relationship).order_by("-placed_at"))
        unthreaded = list(
            InboundMail.objects.filter(
                Q(recipient__iexact=relationship.buyer_alias)
                | Q(recipient__iexact=relationship.seller_alias),
                message__isnull=True,
            )
            .defer("raw")
            .prefetch_related(_bounces())
            .order_by("received_at", "id")
        )
    elif order is not None:
        orders = [order]
    else:
        orders = [case.order for case in latest_first if case.order is not None][:1]
    return DisputeFile(
        kind=kind,
        key=key,
        relationship=relationship,
        cases=latest_first[:DISPUTE_FILE_MAX_CASES][::-1],
        more_cases=len(latest_first) > DISPUTE_FILE_MAX_CASES,
        orders=orders,
        unthreaded_mails=unthreaded,
    )


# ---- what a seller may still send (R5, R6, R8, R17)


def _utc_midnight(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def seller_daily_allowance(
    *, seller: SellerAccount, now: datetime | None = None
) -> tuple[int, int]:
    """R8: (messages delivered today, UTC, and the daily limit), for the send funnel: counted
    afresh on every call (the funnel holds the seller's lock while it counts).

    The limit comes from the orders of the 30 whole UTC days before today, so it stays the same
    all day; that count is cached for the day (orders.selectors.order_volume_last_30_days)."""
    now = now or timezone.now()
    midnight = _utc_midnight(now)
    orders = order_volume_last_30_days(seller_id=seller.pk, today=midnight.date())
    sent = _sent_since(seller_id=seller.pk, midnight=midnight, now=now)
    return sent, policy.daily_message_limit(orders_last_30_days=orders)


def _sent_since(*, seller_id: int, midnight: datetime, now: datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            _SENT_TODAY_SQL.format(message=Message._meta.db_table),
            {
                "seller": seller_id,
                "midnight": midnight,
                "now": now,
                "s2b": Direction.SELLER_TO_BUYER.value,
                "delivered": Outcome.DELIVERED.value,
            },
        )
        (sent,) = cursor.fetchone()
    return int(sent)


# R8's messages delivered today, in plain SQL: the case page and every send ask for it, and
# compiling the equivalent queryset cost more than running it. Counted index-only on
# message_sent_delivered (partial: delivered seller messages).
_SENT_TODAY_SQL = """
    SELECT COUNT(*) FROM {message}
    WHERE seller_id = %(seller)s AND direction = %(s2b)s AND outcome = %(delivered)s
      AND created_at >= %(midnight)s AND created_at <= %(now)s
"""

# How long the pages may show a count of today's delivered messages: each delivery through the
# funnel drops it at once (sent_today_forget); this bounds what a race with a page reading it
# as a send commits, or a bulk load past the funnel (the demo data), can leave.
SENT_TODAY_CACHE_SECONDS = 60


def sent_today_cache_key(*, seller_id: int, today: date) -> str:
    return f"r8:sent:{seller_id}:{today.isoformat()}"


def sent_today_forget(*, seller_id: int, today: date) -> None:
    """The seller delivered a message today: the pages count again (the send funnel calls
    this when the message commits)."""
    cache.delete(sent_today_cache_key(seller_id=seller_id, today=today))


def seller_messages_left_today(*, seller: SellerAccount) -> tuple[int, int]:
    """R8 for the pages: (messages left today, the daily limit). The count of today's delivered
    messages comes from the cache while no message of the seller was delivered since it was
    counted (at most SENT_TODAY_CACHE_SECONDS old): a large seller's case page counted
    thousands of index entries on every view. Sending counts afresh (seller_daily_allowance)."""
    now = timezone.now()
    midnight = _utc_midnight(now)
    key = sent_today_cache_key(seller_id=seller.pk, today=midnight.date())
    sent = cache.get(key)
    if sent is None:
        sent = _sent_since(seller_id=seller.pk, midnight=midnight, now=now)
        cache.set(key, sent, SENT_TODAY_CACHE_SECONDS)
    orders = order_volume_last_30_days(seller_id=seller.pk, today=midnight.date())
    limit = policy.daily_message_limit(orders_last_30_days=orders)
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
    """R17: once per order counts a request that reached the buyer; one blocked by the buyer's
    opt-out (R2) did not, so it does not use up the order's one request."""
    return Message.objects.filter(
        order=order, contact_reason=policy.REVIEW_REQUEST_REASON, outcome=Outcome.DELIVERED
    ).exists()


def review_request_refusal(order: Order) -> Refusal | None:
    """Why "Request a Review" is not possible for this order right now (R17), or None."""
    return policy.refuse_review_request(
        delivered_at=order.delivered_at,
        already_requested=review_already_requested(order),
        now=timezone.now(),
    )


# ---- the email channel


def messaging_permissions_for_seller(*, seller: SellerAccount) -> QuerySet[MessagingPermission]:
    """R11: the seller's sender addresses with who added each."""
    return MessagingPermission.objects.filter(seller=seller).select_related("added_by")


def copies_address_for_seller(*, seller_id: int) -> str:
    """Where "Buyer Messages" copies go (R22), for recording a one-click report's origin."""
    return (
        NotificationPreferences.objects.filter(seller_id=seller_id)
        .values_list("buyer_message_copies_email", flat=True)
        .first()
        or ""
    )


# ---- response-time metrics (R21)


def _target() -> timedelta:
    return timedelta(hours=settings.MESSAGING_RESPONSE_TARGET_HOURS)


# R21 in SQL, the one definition the metrics task (messaging.services.metrics) and the
# dashboard's list of late messages both read. The buyer messages (`b`, with their case `c`)
# each with `reply.at`: the first delivered seller message on its case at or after it (NULL
# while unanswered). One reply answers every earlier unanswered buyer message of the case. A
# LATERAL subquery: the reply is looked up once per message, however often the buckets name
# it (an expression would be evaluated again in each).
R21_MESSAGES = f"""
    {Message._meta.db_table} b
    JOIN {Case._meta.db_table} c ON c.id = b.case_id
    LEFT JOIN LATERAL (
        SELECT r.created_at AS at FROM {Message._meta.db_table} r
        WHERE r.case_id = b.case_id AND r.direction = '{Direction.SELLER_TO_BUYER.value}'
          AND r.outcome = '{Outcome.DELIVERED.value}' AND r.created_at >= b.created_at
        ORDER BY r.created_at LIMIT 1
    ) reply ON TRUE
"""  # noqa: S608  (names and values from the models)
# The buyer messages that count: those marked No Response Needed or reported do not.
R21_COUNTED = (
    f"b.direction = '{Direction.BUYER_TO_SELLER.value}' AND b.response_state NOT IN "
    f"('{ResponseState.NO_RESPONSE_NEEDED.value}', '{ResponseState.REPORTED.value}')"
)
# The buckets a counted message falls in once its fate is known: answered within the target,
# answered later, or unanswered for longer than the target or on a case closed before any
# reply; none yet while it waits within the target. Parameters: `target` and `now` (r21_params).
R21_BUCKETS = {
    "within": "reply.at <= b.created_at + %(target)s",
    "later": "reply.at > b.created_at + %(target)s",
    "unanswered": (
        "reply.at IS NULL AND "
        f"(b.created_at < %(now)s - %(target)s OR c.status = '{CaseStatus.CLOSED.value}')"
    ),
}


def r21_params(now: datetime) -> dict[str, Any]:
    """The values R21_BUCKETS' conditions take."""
    return {"target": _target(), "now": now}


METRIC_WINDOWS = (7, 30, 90)
METRICS_WATERMARK = "response_time"


@dataclass(frozen=True)
class ResponseFigures:
    days: int
    counted: int
    within_target: int
    later: int
    unanswered: int
    average_seconds: int | None

    @property
    def within_percent(self) -> float | None:
        return 100 * self.within_target / self.counted if self.counted else None

    @property
    def average_hours(self) -> float | None:
        return self.average_seconds / 3600 if self.average_seconds is not None else None

    @property
    def later_percent(self) -> float | None:
        return 100 * self.later / self.counted if self.counted else None


def response_figures(*, seller: SellerAccount, today: date | None = None) -> list[ResponseFigures]:
    """R21 for the last 7, 30 and 90 days (today included), from the stored daily rows: one
    query."""
    today = today or timezone.now().date()
    start = {n: today - timedelta(days=n - 1) for n in METRIC_WINDOWS}
    sums = {}
    for n in METRIC_WINDOWS:
        in_window = Q(day__gte=start[n], day__lte=today)
        sums.update(
            {
                f"counted_{n}": Sum("counted", filter=in_window, default=0),
                f"within_{n}": Sum("within_target", filter=in_window, default=0),
                f"later_{n}": Sum("later", filter=in_window, default=0),
                f"unanswered_{n}": Sum("unanswered", filter=in_window, default=0),
                f"seconds_{n}": Sum("response_seconds_total", filter=in_window, default=0),
            }
        )
    totals = ResponseTimeDaily.objects.filter(seller=seller).aggregate(**sums)
    figures = []
    for n in METRIC_WINDOWS:
        answered = totals[f"within_{n}"] + totals[f"later_{n}"]
        figures.append(
            ResponseFigures(
                days=n,
                counted=totals[f"counted_{n}"],
                within_target=totals[f"within_{n}"],
                later=totals[f"later_{n}"],
                unanswered=totals[f"unanswered_{n}"],
                average_seconds=totals[f"seconds_{n}"] // answered if answered else None,
            )
        )
    return figures


def response_days(
    *, seller: SellerAccount, days: int = 90, today: date | None = None
) -> list[tuple[date, ResponseTimeDaily | None]]:
    """Every day of the window with its stored row (None where no buyer message counted)."""
    today = today or timezone.now().date()
    start = today - timedelta(days=days - 1)
    rows = {
        row.day: row
        for row in ResponseTimeDaily.objects.filter(seller=seller, day__gte=start, day__lte=today)
    }
    return [(start + timedelta(days=n), rows.get(start + timedelta(days=n))) for n in range(days)]


def late_and_unanswered_messages(
    *, seller: SellerAccount, days: int = 30, now: datetime | None = None
) -> "LateMessages":
    """The buyer messages of the window answered after the target or not at all (R21), with
    their case, newest first: a list Paginator pages (each count and page a query)."""
    now = now or timezone.now()
    return LateMessages(seller_id=seller.pk, since=now - timedelta(days=days), now=now)


class LateMessages(Sequence[Message]):
    """R21's late and unanswered messages of a seller since a moment, for Paginator: its length
    and each slice are one query. Each item is a Message (its id, case and time) with
    `reply_at` and its `case` (subject, order ID, buyer alias)."""

    def __init__(self, *, seller_id: int, since: datetime, now: datetime) -> None:
        late = f"(({R21_BUCKETS['later']}) OR ({R21_BUCKETS['unanswered']}))"
        self._from = (
            f"FROM {R21_MESSAGES} WHERE {R21_COUNTED} AND b.seller_id = %(seller)s"  # noqa: S608
            f" AND b.created_at >= %(since)s AND {late}"
        )
        self._params = {**r21_params(now), "seller": seller_id, "since": since}

    def __len__(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {self._from}", self._params)
            (count,) = cursor.fetchone()
        return int(count)

    @overload
    def __getitem__(self, index: int) -> Message: ...
    @overload
    def __getitem__(self, index: slice) -> list[Message]: ...
    def __getitem__(self, index: int | slice) -> Message | list[Message]:
        if isinstance(index, int):
            found = self._read(offset=index, limit=1) if index >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step is not None or (index.start or 0) < 0 or (index.stop or 0) < 0:
            raise ValueError("LateMessages takes slices from a start, without a step")
        start = index.start or 0
        return self._read(offset=start, limit=None if index.stop is None else index.stop - start)

    def __iter__(self) -> Iterator[Message]:
        return iter(self._read(offset=0, limit=None))

    def _read(self, *, offset: int, limit: int | None) -> list[Message]:
        columns = ", ".join(
            [f"b.{name}" for name in _LATE_MESSAGE_FIELDS]
            + [f"c.{name}" for name in _LATE_CASE_FIELDS]
            + ["reply.at"]
        )
        sql = (
            f"SELECT {columns} {self._from} ORDER BY b.created_at DESC, b.id DESC"  # noqa: S608
            " LIMIT %(_limit)s OFFSET %(_offset)s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, {**self._params, "_limit": limit, "_offset": offset})
            rows = cursor.fetchall()
        width = len(_LATE_MESSAGE_FIELDS)
        messages = []
        for row in rows:
            message = Message.from_db(connection.alias, _LATE_MESSAGE_FIELDS, row[:width])
            message.case = Case.from_db(connection.alias, _LATE_CASE_FIELDS, row[width:-1])
            message.reply_at = row[-1]  # type: ignore[attr-defined]
            messages.append(message)
        return messages


_LATE_MESSAGE_FIELDS = fields_in_model_order(Message, {"id", "case_id", "created_at"})
_LATE_CASE_FIELDS = fields_in_model_order(Case, {"id", "subject", "order_number", "buyer_alias"})


def metrics_computed_at() -> datetime | None:
    return (
        MetricsWatermark.objects.filter(name=METRICS_WATERMARK)
        .values_list("computed_at", flat=True)
        .first()
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
