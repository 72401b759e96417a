"""What the seller and buyer views share: a draft from a message form, and the report page."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthenticatedRequest
from core.refusals import MessageRefused
from messaging import policy, services
from messaging.forms import ReportForm, incoming_attachments
from messaging.models import Message
from messaging.services import Draft

REPORTED_NOTICE = "Thanks — the message was reported to AlphaDiscounters."


def draft_from_form(form: forms.Form, **fixed: Any) -> Draft:
    """What the sender wrote in a message form (`body`, and where the form has them `subject`,
    `reason` and `attachments`), as the send funnel takes it; `fixed` overrides a field."""
    data = form.cleaned_data
    values: dict[str, Any] = {
        "body_text": data.get("body", ""),
        "subject": data.get("subject") or "",
        "contact_reason": data.get("reason") or "",
        "attachments": incoming_attachments(data.get("attachments")),
    }
    values.update(fixed)
    return Draft(**values)


def report_page(
    request: AuthenticatedRequest,
    message: Message,
    *,
    viewer: str,
    case_url: str,
    reported: Callable[[], HttpResponse],
) -> HttpResponse:
    """R16: the Report Message page of either party; `reported` answers once it is stored."""
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_report(
                message=message,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except MessageRefused as refused:
            refusal = refused.refusal
            form.add_error(None, refusal.with_rule if viewer == "seller" else refusal.message)
        else:
            return reported()
    context = {"message": message, "form": form, "case_url": case_url, "viewer": viewer}
    return render(request, "messaging/message_report.html", context)


def live_check(request: AuthenticatedRequest, **destination: Any) -> HttpResponse:
    """What the send funnel would say of the draft being typed, storing nothing (htmx, while
    typing): Contact Buyer (`order=`) and the seller's reply box (`case=`) both show it."""
    draft = Draft(
        body_text=request.POST.get("body", ""),
        subject=request.POST.get("subject", ""),
        contact_reason=request.POST.get("reason", ""),
    )
    verdict = services.message_check(sender=request.user, draft=draft, **destination)
    refusal = None if isinstance(verdict, policy.Delivered) else verdict.refusal
    return render(
        request,
        "components/live_check.html",
        {
            "refusal": refusal,
            "blocked": isinstance(verdict, policy.Blocked),
            "checked": bool(draft.body_text.strip() or draft.subject.strip()),
        },
    )
