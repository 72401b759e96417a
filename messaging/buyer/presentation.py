"""The rows of the buyer's message center, in the buyer's language (the case row's one skeleton,
`messaging.presentation.case_row_html`)."""

from collections.abc import Iterable
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext

from cases.models import Case
from messaging.presentation import (
    case_row_html,
    case_status_badge_html,
    moment_labeller,
    url_with_id,
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
            case_row_html(
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
