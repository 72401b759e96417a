"""Reads of reports and moderation: the staff warnings a warned party sees until dismissed (R16),
and the staff dispute file of one order, alias or case (R25)."""

import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Relationship, SellerAccount, User
from cases.models import Case, CaseTransition
from messaging.case_page.selectors import attachments_by_id
from messaging.models import (
    InboundMail,
    Message,
    MessageReport,
    OutboundEmail,
    Outcome,
    StaffWarning,
)
from orders.models import Order
from orders.numbers import ORDER_NUMBER_DIGITS, order_number_fragments

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
            attachments_by_id(),
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
