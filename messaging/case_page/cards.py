"""The message card of the case pages, seller's and buyer's: its one definition, in Python.

A case page shows up to hundreds of messages. Each card's links, labels and dates are formatted
here once for the page (a URL pattern instead of a `{% url %}` per button, a label instead of a
loop over reports, the month names looked up once) and its HTML is joined here, every text
escaped: a template per card costs several times as much (issue 13). The seller's rows come
from `selectors.message_list_for_seller` (attachments and report reasons as arrays, one
query); the buyer's from `selectors.message_list_for_buyer` (prefetched attachments and
reports). The pages print the cards with the `message_cards` tag, which puts the request's
CSRF field where a card's form needs it.

What the card shows:
- both: who wrote it, when, the subject, the body (sanitized HTML, or the text with its line
  breaks), the attachments; the viewer's own messages are indented (ms-lg-5);
- the seller: who of the team sent it and by which channel, the delivery outcome of a message
  not delivered (with its rule's section of the messaging policy) and, on buyer messages, the
  response state with "No Response Needed"/"Undo" (htmx swaps #case-conversation) and
  "Report Message";
- the buyer (in the buyer's language): "You" or the seller's business name, and "Report" (or
  "Reported: <reason>") on the seller's messages.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from accounts.models import User
from cases.models import Case, CaseStatus, ResponseState
from messaging.case_page import selectors
from messaging.case_page.selectors import SellerCaseMessage
from messaging.models import Message, Outcome, ReportReason
from messaging.policy_page import policy_path, policy_section
from messaging.presentation import moment_labeller, response_deadline, url_with_id


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str
    size: str  # "316 bytes", "1.2 MB"


@dataclass(frozen=True)
class CardParts:
    """What differs between the seller's card and the buyer's, as HTML (escaped)."""

    own: bool  # the viewer's side wrote it: the card is indented
    sender: str
    outcome: str = ""  # the seller's "Not delivered" notice; the card gets a red border
    footer: str = ""  # up to where the request's CSRF field goes, when it has a form
    footer_tail: str = ""  # the rest of the footer after the CSRF field ("" without a form)


def _reason_label(code: str) -> str:
    try:
        return str(ReportReason(code).label)
    except ValueError:
        return code


def _linebreaksbr(text: str) -> str:
    """The `linebreaksbr` filter with autoescape, without its lazy-string wrapper."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def message_card_html(
    message: Any, *, created_label: str, attachments: Sequence[AttachmentLink], parts: CardParts
) -> tuple[SafeString, SafeString]:
    """One card: its HTML up to the CSRF field of its form, and the rest ("" without a form).
    `message` has the Message fields the card prints (id, from_buyer, subject, body_text,
    body_html)."""
    from_buyer = message.from_buyer
    card_class = "card shadow-sm message " + ("message-buyer" if from_buyer else "message-seller")
    if parts.own:
        card_class += " ms-lg-5"
    if parts.outcome:
        card_class += " border-danger"
    body = (
        message.body_html  # sanitized with bleach before it was stored (R14)
        if message.body_html
        else _linebreaksbr(message.body_text)
    )
    html = [
        f'<article class="{card_class}" id="message-{message.id}">'
        '<div class="card-header d-flex flex-wrap justify-content-between gap-2 small '
        f'{"bg-white" if from_buyer else "bg-warning-subtle"}">'
        f'<span class="message-sender">{parts.sender}</span>'
        f'<span class="text-secondary">{created_label} UTC</span></div>'
        '<div class="card-body">'
        f'<div class="small text-secondary mb-2">{escape(message.subject)}</div>'
        f'<div class="message-body">{body}</div>'
    ]
    if attachments:
        html.append('<ul class="list-inline mt-3 mb-0 small">')
        html.extend(
            '<li class="list-inline-item"><a class="btn btn-sm btn-outline-secondary '
            f'attachment-link" href="{link.url}"><span aria-hidden="true">📎</span> '
            f'{escape(link.name)} <span class="text-secondary">({escape(link.size)})</span>'
            "</a></li>"
            for link in attachments
        )
        html.append("</ul>")
    html.append(f"{parts.outcome}</div>")
    if parts.footer_tail:
        return (
            mark_safe("".join(html) + parts.footer),  # noqa: S308 (escaped above)
            mark_safe(f"{parts.footer_tail}</article>"),  # noqa: S308
        )
    return mark_safe(f"{''.join(html)}{parts.footer}</article>"), mark_safe("")  # noqa: S308


# ---- the seller's cards


def case_messages_for_seller(*, case: Case) -> list[SellerCaseMessage]:
    """The messages of the seller's case page (and of its live updates), ready to print."""
    return case_messages_decorate(selectors.message_list_for_seller(case=case), case=case)


def case_messages_decorate(
    messages: list[SellerCaseMessage], *, case: Case, now: datetime | None = None
) -> list[SellerCaseMessage]:
    """Give each message its card as the seller sees it: `card_html` and `card_form_tail`."""
    now = now or timezone.now()
    target_hours = settings.MESSAGING_RESPONSE_TARGET_HOURS
    download = url_with_id("messaging:attachment_download")
    urls = {
        "no_response": url_with_id("messaging:message_no_response_needed"),
        "undo": url_with_id("messaging:message_no_response_needed_undo"),
        "report": url_with_id("messaging:message_report"),
    }
    moment_label = moment_labeller()
    alias = escape(case.buyer_alias)
    closed = case.status == CaseStatus.CLOSED
    for message in messages:
        row: Any = message  # the attributes below are for the page only
        clock = ""
        if message.from_buyer and message.response_state == ResponseState.NEEDED and not closed:
            deadline = response_deadline(
                waiting_since=message.created_at, now=now, target_hours=target_hours
            )
            clock = f"Counts for your response time: {deadline.label}"
        row.card_html, row.card_form_tail = message_card_html(
            message,
            created_label=moment_label(message.created_at),
            attachments=[
                AttachmentLink(
                    url=download(item["id"]), name=item["name"], size=filesizeformat(item["size"])
                )
                for item in message.attachment_rows or []
            ],
            parts=_seller_parts(message, alias=alias, closed=closed, clock=clock, urls=urls),
        )
    return messages


def _seller_parts(
    message: SellerCaseMessage,
    *,
    alias: str,
    closed: bool,
    clock: str,
    urls: dict[str, Callable[[int | str], str]],
) -> CardParts:
    if message.from_buyer:
        sender = f'<strong>Buyer</strong> <span class="alias">{alias}</span>'
    else:
        sender = "<strong>You</strong>"
        if message.sender_id:
            # User.get_full_name, from the two columns the query read.
            name = message.sender_full_name or message.sender_email.split("@")[0]
            sender += f" · {escape(name)}"
        if message.channel == "email":
            sender += " · by email"
    outcome = ""
    if message.outcome != Outcome.DELIVERED:
        rule = message.outcome_rule
        outcome = (
            '<div class="alert alert-danger small mt-3 mb-0 message-outcome" role="status"'
            + (f' data-rule="{escape(rule)}"' if rule else "")
            + f"><strong>Not delivered:</strong> {escape(message.outcome_reason)} "
        )
        if rule:
            title = section.title if (section := policy_section(rule)) else "Our messaging policy"
            outcome += (
                f'<a class="alert-link policy-link" href="{escape(policy_path(rule))}">'
                f"Messaging policy: {escape(title)}</a>"
            )
        outcome += "</div>"
    if not message.from_buyer:
        return CardParts(own=True, sender=sender, outcome=outcome)
    footer, tail = _seller_footer(message, closed=closed, clock=clock, urls=urls)
    return CardParts(own=False, sender=sender, outcome=outcome, footer=footer, footer_tail=tail)


def _seller_footer(
    message: SellerCaseMessage,
    *,
    closed: bool,
    clock: str,
    urls: dict[str, Callable[[int | str], str]],
) -> tuple[str, str]:
    """A buyer message's response state and buttons, split where the CSRF field of its form
    goes ("" after it when there is no form)."""
    state = message.response_state
    form = (
        '<form method="post" action="{url}" class="m-0" hx-post="{url}" '
        'hx-target="#case-conversation" hx-swap="outerHTML">'
    )
    head = '<div class="card-footer bg-white d-flex flex-wrap align-items-center gap-2 small">'
    tail = ""
    if state == ResponseState.NEEDED and closed:
        head += '<span class="badge text-bg-secondary">Not answered (case closed)</span>'
    elif state == ResponseState.NEEDED:
        head += (
            '<span class="badge text-bg-danger">Response needed</span> '
            '<span class="small text-body-secondary" data-response-clock>'
            f"{escape(clock)}</span> " + form.format(url=urls["no_response"](message.pk))
        )
        tail = (
            '<button type="submit" class="btn btn-sm btn-outline-secondary">'
            "No Response Needed</button></form>"
        )
    elif state == ResponseState.NO_RESPONSE_NEEDED:
        head += '<span class="badge text-bg-secondary">No response needed</span> ' + form.format(
            url=urls["undo"](message.pk)
        )
        tail = '<button type="submit" class="btn btn-sm btn-link p-0">Undo</button></form>'
    elif state == ResponseState.RESPONDED:
        head += '<span class="badge text-bg-success">Responded</span>'
    elif state == ResponseState.REPORTED:
        reasons = ", ".join(_reason_label(code) for code in message.report_reasons or [])
        label = f": {escape(reasons)}" if reasons else ""
        head += f'<span class="badge text-bg-warning report-reason">Reported{label}</span>'
    closing = "</div>"
    if state != ResponseState.REPORTED:
        closing = (
            f'<a class="btn btn-sm btn-outline-danger ms-auto" href="{urls["report"](message.pk)}">'
            "Report Message</a></div>"
        )
    if tail:
        return head, tail + closing
    return head + closing, ""


# ---- the buyer's cards


def case_messages_for_buyer(*, case: Case, buyer: User) -> list[Message]:
    """What the buyer may see of a case (seller messages not delivered stay hidden), each with
    its card as the buyer sees it (`card_html`) in the active language: this buyer's own report
    of a seller message shows as "Reported: <reason>" (R16)."""
    messages = list(selectors.message_list_for_buyer(case=case))
    download = url_with_id("messaging:attachment_download")
    report = url_with_id("messaging:buyer_message_report")
    moment_label = moment_labeller()
    seller_name = f"<strong>{escape(case.seller.business_name)}</strong>"
    you = f"<strong>{escape(gettext('You'))}</strong>"
    for message in messages:
        row: Any = message  # the attributes below are for the page only: the model has none
        if message.from_buyer:
            parts = CardParts(own=True, sender=you)
        else:
            mine = next((r for r in message.reports.all() if r.reporter_id == buyer.pk), None)
            action = (
                '<span class="badge text-bg-warning report-reason">'
                f"{escape(gettext('Reported: %(reason)s') % {'reason': mine.get_reason_display()})}"
                "</span>"
                if mine
                else f'<a class="link-danger" href="{report(message.pk)}">'
                f"{escape(gettext('Report'))}</a>"
            )
            parts = CardParts(
                own=False,
                sender=seller_name,
                footer=f'<div class="card-footer bg-white d-flex justify-content-end small">'
                f"{action}</div>",
            )
        row.card_html, row.card_form_tail = message_card_html(
            message,
            created_label=moment_label(message.created_at),
            attachments=[
                AttachmentLink(
                    url=download(attachment.id),
                    name=attachment.display_name,
                    size=filesizeformat(attachment.size),
                )
                for attachment in message.attachments.all()
            ],
            parts=parts,
        )
    return messages
