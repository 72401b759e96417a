"""The seller's case page, computed in Python: what each message card shows.

The case page shows up to hundreds of messages. Each card's links, labels and dates are
formatted here once (a URL prefix instead of a `{% url %}` per button, a label instead of a
loop over reports) and its HTML is joined here too: the seller's card of
components/message_card.html, escaped as the template would, at a fraction of a template's
cost per message (issue 13). tests/messaging/test_case_page_speed.py keeps the two the same.
The rows come from `selectors.message_list_for_seller` (attachments and report reasons as
arrays, one query).
"""

from dataclasses import dataclass
from datetime import datetime
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from cases.models import Case, CaseStatus, ResponseState
from messaging import selectors
from messaging.models import Outcome, ReportReason
from messaging.policy_page import policy_path, policy_section
from messaging.presentation import response_deadline
from messaging.selectors import SellerCaseMessage

# A number no message has, replaced by each message's id in its links.
_ID = 2_147_483_647


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str
    size: str  # "316 bytes", "1.2 MB"


def _url_pattern(name: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_ID]).partition(str(_ID))
    return head, tail


def _reason_label(code: str) -> str:
    try:
        return str(ReportReason(code).label)
    except ValueError:
        return code


def case_messages_decorate(
    messages: list[SellerCaseMessage], *, case: Case, now: datetime | None = None
) -> list[SellerCaseMessage]:
    """Give each message what its card prints (see templates/messaging/case_detail.html,
    `message-list`): `card_html` and `card_form_tail` (the card, split where its form's CSRF
    field goes), from `card_class`, `sender_name`, `created_label`, `attachment_links`,
    `report_label`, `response_clock` and the URLs of its buttons."""
    now = now or timezone.now()
    target_hours = settings.MESSAGING_RESPONSE_TARGET_HOURS
    download = _url_pattern("messaging:attachment_download")
    no_response = _url_pattern("messaging:message_no_response_needed")
    undo = _url_pattern("messaging:message_no_response_needed_undo")
    report = _url_pattern("messaging:message_report")
    closed = case.status == CaseStatus.CLOSED
    # The `date:"M j, Y H:i"` filter's text, without its per-call machinery.
    zone = timezone.get_current_timezone()
    months = {number: str(name).title() for number, name in MONTHS_3.items()}
    for message in messages:
        row: Any = message  # the attributes below are for the template only
        pk = str(message.pk)
        from_buyer = message.from_buyer
        delivered = message.outcome == Outcome.DELIVERED
        row.card_class = "card shadow-sm message " + (
            "message-buyer" if from_buyer else "message-seller ms-lg-5"
        )
        if not delivered:
            row.card_class += " border-danger"
        row.is_delivered = delivered
        # User.get_full_name, from the two columns the query read.
        row.sender_name = (
            (message.sender_full_name or message.sender_email.split("@")[0])
            if message.sender_id
            else ""
        )
        at = message.created_at.astimezone(zone)
        row.created_label = f"{months[at.month]} {at.day}, {at.year} {at:%H:%M}"
        row.attachment_links = [
            AttachmentLink(
                url=f"{download[0]}{item['id']}{download[1]}",
                name=item["name"],
                size=filesizeformat(item["size"]),
            )
            for item in message.attachment_rows or []
        ]
        row.report_label = ", ".join(_reason_label(code) for code in message.report_reasons or [])
        row.response_clock = ""
        if from_buyer and message.response_state == ResponseState.NEEDED and not closed:
            deadline = response_deadline(
                waiting_since=message.created_at, now=now, target_hours=target_hours
            )
            row.response_clock = f"Counts for your response time: {deadline.label}"
        row.no_response_url = f"{no_response[0]}{pk}{no_response[1]}"
        row.undo_url = f"{undo[0]}{pk}{undo[1]}"
        row.report_url = f"{report[0]}{pk}{report[1]}"
        row.card_html, row.card_form_tail = _card_html(
            row, alias=escape(case.buyer_alias), closed=closed
        )
    return messages


def _linebreaksbr(text: str) -> str:
    """The `linebreaksbr` filter with autoescape, without its lazy-string wrapper."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _card_html(row: Any, *, alias: str, closed: bool) -> tuple[SafeString, SafeString]:
    """The card's HTML up to the CSRF field of its form, and the rest ("" without a form): the
    template puts the request's `{% csrf_token %}` between the two. The markup is the seller's
    card of components/message_card.html (tests/messaging/test_case_page_speed.py keeps them
    the same); every text is escaped here, as the template would."""
    from_buyer = row.from_buyer
    if from_buyer:
        sender = f'<strong>Buyer</strong> <span class="alias">{alias}</span>'
    else:
        sender = "<strong>You</strong>"
        if row.sender_name:
            sender += f" · {escape(row.sender_name)}"
        if row.channel == "email":
            sender += " · by email"
    body = (
        row.body_html  # sanitized with bleach before it was stored (R14)
        if row.body_html
        else _linebreaksbr(row.body_text)
    )
    parts = [
        f'<article class="{row.card_class}" id="message-{row.id}">'
        '<div class="card-header d-flex flex-wrap justify-content-between gap-2 small '
        f'{"bg-white" if from_buyer else "bg-warning-subtle"}">'
        f'<span class="message-sender">{sender}</span>'
        f'<span class="text-secondary">{row.created_label} UTC</span></div>'
        '<div class="card-body">'
        f'<div class="small text-secondary mb-2">{escape(row.subject)}</div>'
        f'<div class="message-body">{body}</div>'
    ]
    if row.attachment_links:
        parts.append('<ul class="list-inline mt-3 mb-0 small">')
        parts.extend(
            '<li class="list-inline-item"><a class="btn btn-sm btn-outline-secondary '
            f'attachment-link" href="{link.url}"><span aria-hidden="true">📎</span> '
            f'{escape(link.name)} <span class="text-secondary">({escape(link.size)})</span>'
            "</a></li>"
            for link in row.attachment_links
        )
        parts.append("</ul>")
    if not row.is_delivered:
        rule = row.outcome_rule
        parts.append(
            '<div class="alert alert-danger small mt-3 mb-0 message-outcome" role="status"'
            + (f' data-rule="{escape(rule)}"' if rule else "")
            + f"><strong>Not delivered:</strong> {escape(row.outcome_reason)} "
        )
        if rule:
            title = section.title if (section := policy_section(rule)) else "Our messaging policy"
            parts.append(
                f'<a class="alert-link policy-link" href="{escape(policy_path(rule))}">'
                f"Messaging policy: {escape(title)}</a>"
            )
        parts.append("</div>")
    parts.append("</div>")
    tail = ""
    if from_buyer:
        parts.append(
            '<div class="card-footer bg-white d-flex flex-wrap align-items-center gap-2 small">'
        )
        state = row.response_state
        report_link = (
            f'<a class="btn btn-sm btn-outline-danger ms-auto" href="{row.report_url}">'
            "Report Message</a>"
        )
        form = (
            '<form method="post" action="{url}" class="m-0" hx-post="{url}" '
            'hx-target="#case-conversation" hx-swap="outerHTML">'
        )
        if state == ResponseState.NEEDED and closed:
            parts.append('<span class="badge text-bg-secondary">Not answered (case closed)</span>')
        elif state == ResponseState.NEEDED:
            parts.append(
                '<span class="badge text-bg-danger">Response needed</span> '
                '<span class="small text-body-secondary" data-response-clock>'
                f"{escape(row.response_clock)}</span> " + form.format(url=row.no_response_url)
            )
            tail = (
                '<button type="submit" class="btn btn-sm btn-outline-secondary">'
                "No Response Needed</button></form>"
            )
        elif state == ResponseState.NO_RESPONSE_NEEDED:
            parts.append(
                '<span class="badge text-bg-secondary">No response needed</span> '
                + form.format(url=row.undo_url)
            )
            tail = '<button type="submit" class="btn btn-sm btn-link p-0">Undo</button></form>'
        elif state == ResponseState.RESPONDED:
            parts.append('<span class="badge text-bg-success">Responded</span>')
        elif state == ResponseState.REPORTED:
            label = f": {escape(row.report_label)}" if row.report_label else ""
            parts.append(
                f'<span class="badge text-bg-warning report-reason">Reported{label}</span>'
            )
        closing = ("" if state == ResponseState.REPORTED else report_link) + "</div></article>"
        if tail:
            tail += closing
        else:
            parts.append(closing)
    else:
        parts.append("</article>")
    return mark_safe("".join(parts)), mark_safe(tail)  # noqa: S308 (escaped above)


def case_messages_for_seller(*, case: Case) -> list[SellerCaseMessage]:
    """The messages of the seller's case page (and of its live updates), ready to print."""
    return case_messages_decorate(selectors.message_list_for_seller(case=case), case=case)
