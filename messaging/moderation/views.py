"""Report Message (R16): the report page of either party; the seller's and the buyer's views
(messaging.case_page.views, messaging.buyer.views) open it for a message they received."""

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop

from accounts.http import AuthenticatedRequest
from core.refusals import MessageRefused
from messaging.models import Message
from messaging.moderation.forms import ReportForm
from messaging.moderation.services import flags
from messaging.presentation import refusal_text_for_buyer

# Buyers read it too: marked for translation, translated with gettext where it is shown.
REPORTED_NOTICE = gettext_noop("Thanks — the message was reported to AlphaDiscounters.")


def report_page(
    request: AuthenticatedRequest,
    message: Message,
    *,
    viewer: str,
    case_url: str,
    reported: Callable[[], HttpResponse],
) -> HttpResponse:
    """R16: the Report Message page of either party; `reported` answers once it is stored."""
    # Bound on every POST, even an empty one, so a missing reason is an error, not a new form.
    form = ReportForm(request.POST if request.method == "POST" else None)
    seller_refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            flags.message_report(
                message=message,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except MessageRefused as refused:
            refusal = refused.refusal
            if viewer == "seller":
                # Shown with its policy link and data-rule (components/refusal.html).
                seller_refusal = refusal
            else:
                form.add_error(
                    None,
                    refusal_text_for_buyer(
                        refusal, business_name=message.case.seller.business_name
                    ),
                )
        else:
            return reported()
    context = {
        "message": message,
        "form": form,
        "case_url": case_url,
        "viewer": viewer,
        "refusal": seller_refusal,
    }
    return render(request, "messaging/message_report.html", context)
