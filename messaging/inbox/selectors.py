"""The seller's inbox: one page of cases under a filter, optionally searched, in one plain
statement; and what the inbox shows above the list (R4 "not delivered" notices, R16 staff
warnings)."""

from functools import partial
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from accounts.models import SellerAccount, User
from cases.models import INBOX_SUMMARY_FIELDS, CaseStatus
from core.pagination import CappedPage, capped_page_sql, page_number_for
from core.rows import fields_in_model_order
from messaging.models import BlockedMessageNotice, StaffWarning
from messaging.moderation.selectors import staff_warnings_for_seller
from orders.numbers import order_number_fragments

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
