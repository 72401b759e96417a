"""What the seller and buyer views share: a draft from a message form, and the report page."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop

from accounts.http import AuthenticatedRequest
from core.refusals import MessageRefused
from messaging import policy, services
from messaging.forms import BODY_MAX_LENGTH, ReportForm, TemplateIdField, incoming_attachments
from messaging.models import Message
from messaging.presentation import refusal_text_for_buyer
from messaging.services import Draft

# Buyers read it too: marked for translation, translated with gettext where it is shown.
REPORTED_NOTICE = gettext_noop("Thanks — the message was reported to AlphaDiscounters.")


def draft_from_form(form: forms.Form, **fixed: Any) -> Draft:
    """What the sender wrote in a message form (`body`, and where the form has them `subject`,
    `reason` and `attachments`), as the send funnel takes it; `fixed` overrides a field."""
    data = form.cleaned_data
    values: dict[str, Any] = {
        "body_text": data.get("body", ""),
        "subject": data.get("subject") or "",
        "contact_reason": data.get("reason") or "",
        "attachments": incoming_attachments(data.get("attachments")),
        "template_id": data.get("template") or None,
        "platform_template": data.get("platform_template") or "",
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
    # Bound on every POST, even an empty one, so a missing reason is an error, not a new form.
    form = ReportForm(request.POST if request.method == "POST" else None)
    seller_refusal = None
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


def live_check_context(request: AuthenticatedRequest, **destination: Any) -> dict[str, Any]:
    """What the send funnel would say of the posted draft, storing nothing: the context of
    components/live_check.html (`refusal`, `blocked`, `checked`, `too_long`).

    A text longer than a message may be (BODY_MAX_LENGTH, as the send path) is not judged at all:
    judging megabytes would hold a worker for seconds."""
    body = request.POST.get("body", "")
    subject = request.POST.get("subject", "")
    if len(body) > BODY_MAX_LENGTH or len(subject) > BODY_MAX_LENGTH:
        return {"refusal": None, "blocked": False, "checked": False, "too_long": True}
    draft = Draft(
        body_text=body,
        subject=subject,
        contact_reason=request.POST.get("reason", ""),
        # R23: a text started from a template may not keep a placeholder.
        template_id=TemplateIdField().clean(request.POST.get("template")),
        platform_template=request.POST.get("platform_template", "")[:40],
    )
    verdict = services.message_check(sender=request.user, draft=draft, **destination)
    refusal = None if isinstance(verdict, policy.Delivered) else verdict.refusal
    return {
        "refusal": refusal,
        "blocked": isinstance(verdict, policy.Blocked),
        "checked": bool(draft.body_text.strip() or draft.subject.strip()),
    }


def live_check(request: AuthenticatedRequest, **destination: Any) -> HttpResponse:
    """The live check while typing (htmx): Contact Buyer (`order=`) and the seller's reply box
    (`case=`) both show it."""
    return render(request, "components/live_check.html", live_check_context(request, **destination))
