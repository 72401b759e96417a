"""What the pages show, computed in Python: the case status badge, the case rows of the seller's
inbox and of the buyer's message center, and refusals as buyers read them.

The inbox is the hot page: formatting dates, ages and links here costs a fraction of the
equivalent template filters and tags, 25 times per page. Each piece has this one definition;
templates print it through messaging_tags (`case_status_badge`) or as the view built it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
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


def moment_labeller() -> Callable[[datetime], str]:
    """A function writing moments as the `date:"M j, Y H:i"` filter does (the month's short
    name in the active language, the current time zone), set up once for a page's many."""
    zone = timezone.get_current_timezone()
    months = {number: str(name).title() for number, name in MONTHS_3.items()}

    def label(moment: datetime) -> str:
        at = moment.astimezone(zone)
        return f"{months[at.month]} {at.day}, {at.year} {at:%H:%M}"

    return label


# A number no row has, replaced by each row's id in its links.
_ID = 2_147_483_647


def url_with_id(name: str) -> Callable[[int | str], str]:
    """A function giving the URL named `name` for an id: the URL reversed once for a page's
    many rows, not once per row."""
    head, _, tail = reverse(name, args=[_ID]).partition(str(_ID))
    return lambda pk: f"{head}{pk}{tail}"


# ---- the case status badge: its colour by status, the one map of them

_CASE_STATUS_BADGE_CLASSES: dict[str, str] = {
    CaseStatus.OPENED: "text-bg-primary",
    CaseStatus.RESOLVED: "text-bg-info",
}
_OTHER_CASE_STATUS_BADGE_CLASS = "text-bg-secondary"  # Closed


def case_status_badge_html(status: str, label: str) -> SafeString:
    """The badge of a case's status (`label`: its display name in the page's language)."""
    colour = _CASE_STATUS_BADGE_CLASSES.get(status, _OTHER_CASE_STATUS_BADGE_CLASS)
    return mark_safe(  # noqa: S308  (the label is escaped)
        f'<span class="badge {colour} case-status-badge">{escape(label)}</span>'
    )


# ---- a case row: one link to its case in a list of cases, for the seller or the buyer


def _case_row_html(
    *,
    url: str,
    classes: str,
    case_id: int,
    party: str,
    order: str,
    badges: list[str],
    subject: str,
    snippet: str,
) -> str:
    """The row's markup around its parts (HTML already escaped): who the other party is and the
    order on the left, badges and age on the right, then the subject and the latest snippet."""
    return (
        f'<a href="{escape(url)}" class="list-group-item list-group-item-action {classes}"'
        f' data-case-id="{case_id}">\n'
        '<div class="d-flex flex-wrap justify-content-between gap-2">\n'
        f'<div class="d-flex flex-wrap align-items-center gap-2 small">\n{party}\n{order}\n</div>\n'
        '<div class="d-flex align-items-center gap-2 small">\n'
        + "\n".join(badges)
        + "\n</div>\n</div>\n"
        f'<div class="fw-semibold mt-1 text-truncate">{escape(subject)}</div>\n'
        f'<div class="small text-secondary text-truncate">\n{snippet}\n</div>\n</a>'
    )


def inbox_rows_decorate(
    cases: Iterable[Case], *, now: datetime, target_hours: int, case_url_prefix: str
) -> SafeString:
    """Give each case row of the seller's inbox its link, the age of its latest message, its
    deadline, and its HTML (`row_html`, see inbox_row_html); return the rows' HTML one after
    the other, as the page prints it. Each row's owner (`assignee_label`) is set before."""
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
        row.row_html = inbox_row_html(
            row,
            status_label=status_labels.get(case.status, case.status),
            target_hours=target_hours,
        )
        rows.append(row.row_html)
    return mark_safe("\n".join(rows))  # noqa: S308  (rows of inbox_row_html, escaped there)


def inbox_row_html(row: Any, *, status_label: str, target_hours: int) -> SafeString:
    """One case row of the seller's inbox (templates/messaging/inbox.html, `case-list`), built
    here: a template renders it at a tenth of the speed, 25 times per page (issue 13). Every
    value from the database is escaped."""
    deadline = row.deadline
    badges = []
    if deadline is not None:
        color = "text-bg-danger" if deadline.overdue else "text-bg-success"
        badges.append(
            f'<span class="badge rounded-pill {color} deadline" '
            f'title="Target: respond within {target_hours} hours">{escape(deadline.label)}</span>'
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
    badges.append(case_status_badge_html(row.status, status_label))
    badges.append(
        f'<span class="text-secondary text-nowrap" title="{escape(row.latest_at)}">'
        f"{escape(row.age)}</span>"
    )
    you = '<span class="text-body-tertiary">You:</span> ' if row.latest_direction == "s2b" else ""
    return mark_safe(  # noqa: S308  (every value is escaped)
        _case_row_html(
            url=row.url,
            classes="case-row py-3 needs-response" if row.needs_response else "case-row py-3",
            case_id=row.pk,
            party=f'<span class="alias text-body">{escape(row.buyer_alias)}</span>',
            order=(
                f'<span class="order-id text-secondary">Order {escape(row.order_number)}</span>'
                if row.order_number
                else '<span class="text-secondary">No order (question)</span>'
            ),
            badges=badges,
            subject=row.subject,
            snippet=f"{you}{escape(row.latest_snippet)}",
        )
    )


def buyer_case_rows_html(cases: Iterable[Case]) -> SafeString:
    """The rows of the buyer's message center, in the buyer's language: the seller, the order,
    the status and how long ago the buyer's latest message came, the subject and its snippet
    (each case read with `buyer_latest_at`, `buyer_latest_snippet` and its seller's name)."""
    case_url = url_with_id("messaging:buyer_case_detail")
    moment_label = moment_labeller()
    rows = []
    for case in cases:
        latest = case.buyer_latest_at
        age = gettext("%(age)s ago") % {"age": timesince(latest)} if latest else ""
        order = (
            '<span class="order-id text-secondary">'
            f"{escape(gettext('Order %(number)s') % {'number': case.order_number})}</span>"
            if case.order_number
            else f'<span class="text-secondary">{escape(gettext("Question (no order)"))}</span>'
        )
        title = f"{moment_label(latest)} UTC" if latest else ""
        rows.append(
            _case_row_html(
                url=case_url(case.pk),
                classes="buyer-case-row py-3",
                case_id=case.pk,
                party=(
                    '<strong class="text-body seller-name">'
                    f"{escape(case.seller.business_name)}</strong>"
                ),
                order=order,
                badges=[
                    case_status_badge_html(case.status, case.get_status_display()),
                    f'<span class="text-secondary text-nowrap" title="{escape(title)}">'
                    f"{escape(age)}</span>",
                ],
                subject=case.subject,
                snippet=escape(case.buyer_latest_snippet),
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308  (every value is escaped)


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
