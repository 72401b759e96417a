"""What the pages of every part of messaging show alike, computed in Python: the case status
badge, the skeleton of a case row (the seller's inbox rows, `messaging.inbox.presentation`, and
the buyer's message center rows, `messaging.buyer.presentation`, fill it in), durations, dates
and links formatted once for a page's many rows, refusals as buyers read them, the rule of a
refusal in a flash message, contact reasons in words, and the live poll interval.

The inbox is the hot page: formatting dates, ages and links here costs a fraction of the
equivalent template filters and tags, 25 times per page. Each piece has this one definition;
templates print it through messaging_tags (`case_status_badge`) or as the view built it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cases.models import CaseStatus
from cases.policy import CASE_CLOSED_MSG
from core.refusals import Refusal
from messaging.models import BuyerContactReason, SellerContactReason
from messaging.policy import NOT_ACCEPTING_MSG, SELLER_TO_SELLER_MSG


@dataclass(frozen=True)
class Deadline:
    label: str  # "5 h left" or "overdue by 3 h"
    overdue: bool


def duration_label(delta: timedelta) -> str:
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
        return Deadline(f"{duration_label(deadline - now)} left", overdue=False)
    return Deadline(f"overdue by {duration_label(now - deadline)}", overdue=True)


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


def case_row_html(
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


# ---- the live polls of the inbox and the case page (the team inbox, issue 14)


def live_poll_ms() -> int:
    """How often the live pages (the inbox, the case page) poll, in milliseconds
    (MESSAGING_LIVE_POLL_SECONDS)."""
    return max(200, int(float(settings.MESSAGING_LIVE_POLL_SECONDS) * 1000))
