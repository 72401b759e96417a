"""What the views of every message form share: the draft a form holds, as the send funnel
takes it, and the live check while typing (the funnel's verdict, nothing stored)."""

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthenticatedRequest
from messaging import policy
from messaging.forms import BODY_MAX_LENGTH, TemplateIdField, incoming_attachments
from messaging.sending import services
from messaging.sending.services import Draft


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
