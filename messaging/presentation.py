"""What the pages show, computed in Python: the inbox's case rows, and refusals as buyers read
them.

The inbox is the hot page: formatting dates, ages and links here costs a fraction of the
equivalent template filters and tags, 25 times per page.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cases.models import Case, CaseStatus
from cases.policy import CASE_CLOSED_MSG
from core.refusals import Refusal
from messaging.models import BuyerContactReason, SellerContactReason
from messaging.policy import NOT_ACCEPTING_MSG, SELLER_TO_SELLER_MSG


@dataclass(frozen=True)
class Deadline:
    label: str  # "5 h left" or "overdue by 3 h"
    overdue: bool


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} d {hours % 24} h"


def response_deadline(*, waiting_since: datetime, now: datetime, target_hours: int) -> Deadline:
    """How long the oldest unanswered buyer message has waited against the target."""
    deadline = waiting_since + timedelta(hours=target_hours)
    if now <= deadline:
        return Deadline(f"{_duration(deadline - now)} left", overdue=False)
    return Deadline(f"overdue by {_duration(now - deadline)}", overdue=True)


def inbox_rows_decorate(
    cases: Iterable[Case], *, now: datetime, target_hours: int, case_url_prefix: str
) -> SafeString:
    """Give each case row its link, the age of its latest message, its deadline, and its HTML
    (`row_html`, see inbox_row_html); return the rows' HTML one after the other, as the page
    prints it. Each row's owner (`assignee_label`) is set before."""
    status_labels = {value: str(label) for value, label in CaseStatus.choices}  # translated once
    rows = []
    for case in cases:
        row: Any = case  # the attributes below exist for this page only: the model has none
        row.url = f"{case_url_prefix}{case.pk}/"
        latest = case.latest_message_at
        row.age = f"{_duration(now - latest)} ago" if latest else ""
        row.latest_at = f"{latest:%b %d, %Y %H:%M} UTC" if latest else ""
        row.deadline = (
            response_deadline(waiting_since=case.waiting_since, now=now, target_hours=target_hours)
            if case.needs_response and case.waiting_since
            else None
        )
        row.row_html = inbox_row_html(row, status_label=status_labels.get(case.status, case.status))
        rows.append(row.row_html)
    return mark_safe("\n".join(rows))  # noqa: S308  (rows of inbox_row_html, escaped there)


# The status badge of components/case_status_badge.html, by status.
_STATUS_BADGE = {"opened": "text-bg-primary", "resolved": "text-bg-info"}


def inbox_row_html(row: Any, *, status_label: str) -> SafeString:
    """One case row of the inbox (templates/messaging/inbox.html, `case-list`), built here: a
    template renders it at a tenth of the speed, 25 times per page (issue 13). The markup is the
    row the template had; every value from the database is escaped."""
    deadline = row.deadline
    order = (
        f'<span class="order-id text-secondary">Order {escape(row.order_number)}</span>'
        if row.order_number
        else '<span class="text-secondary">No order (question)</span>'
    )
    badges = []
    if deadline is not None:
        color = "text-bg-danger" if deadline.overdue else "text-bg-success"
        badges.append(
            f'<span class="badge rounded-pill {color} deadline" '
            f'title="Target: respond within 24 hours">{escape(deadline.label)}</span>'
        )
    if row.reported:
        badges.append('<span class="badge text-bg-warning">Reported</span>')
    if row.latest_blocked_rule:
        badges.append(
            '<span class="badge text-bg-danger not-delivered" title="Your latest message was not '
            'delivered: open the case for the reason" '
            f'data-rule="{escape(row.latest_blocked_rule)}">Not delivered</span>'
        )
    label = getattr(row, "assignee_label", "")
    if label:
        badges.append(
            f'<span class="badge text-bg-light border assignee" title="Assigned to">'
            f"{escape(label)}</span>"
        )
    status = _STATUS_BADGE.get(row.status, "text-bg-secondary")
    badges.append(f'<span class="badge {status} case-status-badge">{escape(status_label)}</span>')
    badges.append(
        f'<span class="text-secondary text-nowrap" title="{escape(row.latest_at)}">'
        f"{escape(row.age)}</span>"
    )
    you = '<span class="text-body-tertiary">You:</span> ' if row.latest_direction == "s2b" else ""
    needs = " needs-response" if row.needs_response else ""
    return mark_safe(  # noqa: S308  (every value above is escaped)
        f'<a href="{escape(row.url)}" class="list-group-item list-group-item-action case-row py-3'
        f'{needs}" data-case-id="{row.pk}">\n'
        '<div class="d-flex flex-wrap justify-content-between gap-2">\n'
        f'<div class="d-flex flex-wrap align-items-center gap-2 small">\n'
        f'<span class="alias text-body">{escape(row.buyer_alias)}</span>\n{order}\n</div>\n'
        '<div class="d-flex align-items-center gap-2 small">\n'
        + "\n".join(badges)
        + "\n</div>\n</div>\n"
        f'<div class="fw-semibold mt-1 text-truncate">{escape(row.subject)}</div>\n'
        f'<div class="small text-secondary text-truncate">\n{you}{escape(row.latest_snippet)}\n'
        "</div>\n</a>"
    )


# The refusals a buyer can meet whose text carries a value: translated from the template.
_BUYER_REFUSAL_TEMPLATES = {
    "R9": CASE_CLOSED_MSG,
    "R18": NOT_ACCEPTING_MSG,
    "R20": SELLER_TO_SELLER_MSG,
}


def refusal_text_for_buyer(refusal: Refusal, *, business_name: str) -> str:
    """A refusal in the language of the page (the buyer's): the rules write English texts
    marked for translation (gettext_noop), and this translates them where buyers read them.
    A text without a translation stays English."""
    template = _BUYER_REFUSAL_TEMPLATES.get(refusal.rule)
    if template is None or refusal.message != template.format(business_name=business_name):
        return gettext(refusal.message)
    return gettext(template).format(business_name=business_name)


# ---- a refusal in a flash message: its rule rides in `extra_tags`, so base.html can give the
# alert its data-rule attribute and the link to the messaging policy (the text stays words)

FLASH_RULE_PREFIX = "rule-"


def flash_rule_tag(rule: str) -> str:
    """`flash.error(request, refusal.message, extra_tags=flash_rule_tag(refusal.rule))`."""
    return f"{FLASH_RULE_PREFIX}{rule}"


# ---- contact reasons as people read them (the buyer's or the seller's, R5)


def contact_reason_label(key: str) -> str:
    """The label of a buyer or seller contact reason ("Shipping or delivery"); an unknown code
    is shown as words ("some_reason" → "Some reason") rather than as a code."""
    for reasons in (BuyerContactReason, SellerContactReason):
        if key in reasons.values:
            return str(reasons(key).label)
    return key.replace("_", " ").capitalize()
