"""The inbox as the seller sees it, built in Python: each case row (its link, age, deadline and
HTML), and the live poller of the list (issue 14). The inbox is the hot page: a template per row
renders at a tenth of the speed, 25 times per page (issue 13)."""

from collections.abc import Iterable
from datetime import datetime
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from accounts.http import SellerRequest
from cases.models import Case, CaseStatus
from messaging.presentation import (
    case_row_html,
    case_status_badge_html,
    duration_label,
    live_poll_ms,
    response_deadline,
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
        row.age = f"{duration_label(now - latest)} ago" if latest else ""
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
        case_row_html(
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


# ---- the team inbox (issue 14): who owns each case, and the list's live poller


def inbox_live_context(*, filter_key: str, query: str, since: int, count: int) -> dict[str, Any]:
    """The inbox's poller: it asks /messages/changes/ whether any case changed since the list
    was shown, and shows "N new — Show" (a reload of the list under the same filter) when so."""
    listing = urlencode(
        {key: value for key, value in (("filter", filter_key), ("q", query)) if value}
    )
    changes = urlencode(
        {"since": since, "n": count, **({"filter": filter_key} if filter_key else {}), "q": query}
    )
    inbox = reverse("messaging:inbox")
    return {
        "live_url": f"{reverse('messaging:inbox_changes')}?{changes}",
        "live_count": count,
        "live_show_url": f"{inbox}?{listing}" if listing else inbox,
        "live_poll_ms": live_poll_ms(),
    }


def inbox_assignees(request: SellerRequest, cases: Any) -> None:
    """Each listed case's owner as the rows say it: "You", a member's name, or nothing."""
    for case in cases:
        owner = case.assigned_to
        case.assignee_label = (
            "" if owner is None else "You" if owner.pk == request.user.pk else owner.get_full_name()
        )
