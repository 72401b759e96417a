"""Seller Central's "Buyer-Seller Messages": the seller's case page, replying, the case's state,
and the flags on a buyer message (No Response Needed, R15; Report Message, R16)."""

from django.contrib import messages as flash
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from cases.models import Case, CaseStatus
from cases.services import case_change_state_by_seller
from core.htmx import page_or_partial
from core.http import require_GET_or_POST
from core.params import int_param
from core.refusals import MessageRefused, Refusal
from messaging import policy
from messaging.case_page import selectors
from messaging.case_page.cards import case_messages_for_seller
from messaging.case_page.team_context import case_team_context
from messaging.forms import SellerReplyForm
from messaging.models import Message
from messaging.moderation.forms import ReportForm
from messaging.moderation.services import flags
from messaging.moderation.views import REPORTED_NOTICE, report_page
from messaging.seller_templates.views import template_insert_initial
from messaging.sending import services
from messaging.sending.drafts import draft_from_form, live_check
from messaging.sending.selectors import seller_messages_left_today

CASE_TEMPLATE = "messaging/case_detail.html"
STATE_ACTIONS = {
    "resolve": (
        CaseStatus.RESOLVED,
        "Case marked resolved. It closes if the buyer does not reply.",
    ),
    "close": (CaseStatus.CLOSED, "Case closed."),
    "reopen": (CaseStatus.OPENED, "Case reopened."),
}


def seller_case_or_404(request: SellerRequest, case_id: int) -> Case:
    case = selectors.case_for_seller(seller=request.seller, case_id=case_id)
    if case is None:
        raise Http404("No such case.")
    return case


def _seller_message(request: SellerRequest, message_id: int) -> Message:
    return get_object_or_404(
        selectors.message_scope_for_seller(seller=request.seller), pk=message_id
    )


def render_case_page(
    request: SellerRequest,
    case: Case,
    *,
    reply_form: SellerReplyForm | None = None,
    error: str = "",
    case_refusal: Refusal | None = None,
    reply_refusal: Refusal | None = None,
    template_error: Refusal | None = None,
    collision: Message | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page, or its conversation region for htmx (same template, same context).

    `case_refusal` is a refused state change or flag (shown above the messages), `reply_refusal`
    a refused reply (shown in the reply box, next to the text it is about); `collision` another
    member's reply that landed while this one was writing (issue 14)."""
    messages_left, limit = seller_messages_left_today(seller=request.seller)
    case_messages = case_messages_for_seller(case=case)
    context = {
        "case": case,
        "case_messages": case_messages,
        "collision": collision,
        "case_refusal": case_refusal,
        "reply_refusal": reply_refusal,
        "replies_blocked": _replies_blocked(request, case),
        "reply_form": reply_form or SellerReplyForm(),
        "report_form": ReportForm(),
        "error": error,
        "template_error": template_error,
        "messages_left": messages_left,
        "daily_limit": limit,
        **case_team_context(request, case, case_messages),
    }
    template = page_or_partial(request, CASE_TEMPLATE, "case-conversation")
    return render(request, template, context, status=status)


def _replies_blocked(request: SellerRequest, case: Case) -> Refusal | None:
    """R2: why a reply on this case would not reach the buyer either, or None. Asked of the send
    funnel only when a seller message of the case was blocked (a case the seller started for a
    buyer who opted out of unsolicited messages), so other case pages cost no extra query."""
    if case.status == CaseStatus.CLOSED or not case.latest_blocked_rule:
        return None
    verdict = services.message_check(
        sender=request.user, case=case, draft=services.Draft(body_text="")
    )
    return verdict.refusal if isinstance(verdict, policy.Blocked) else None


def _after_action(request: SellerRequest, case: Case, notice: str) -> HttpResponse:
    """The same notice with or without JavaScript: a flash on the next page, or for htmx in the
    answer itself (components/live_notices.html, swapped out of band)."""
    flash.success(request, notice)
    if request.htmx:
        return render_case_page(request, case)
    return redirect("messaging:case_detail", case_id=case.pk)


@transaction.non_atomic_requests  # read only: no BEGIN and COMMIT round trips
@require_safe
@seller_required
def case_detail(request: SellerRequest, case_id: int) -> HttpResponse:
    case = seller_case_or_404(request, case_id)
    # Insert Template without JavaScript: ?template=<id> opens the reply box filled in (R23).
    initial, template_error = template_insert_initial(request, case=case)
    return render_case_page(
        request, case, reply_form=SellerReplyForm(initial=initial), template_error=template_error
    )


@require_POST
@seller_required
def case_reply(request: SellerRequest, case_id: int) -> HttpResponse:
    case = seller_case_or_404(request, case_id)
    form = SellerReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_case_page(request, case, reply_form=form)
    # Issue 14: the form carries the last message its page showed; another member's reply
    # since then is shown first, the draft kept, and the next Send sends it.
    seen = int_param(request.POST.get("seen"), minimum=0)
    if seen is not None:
        collision = selectors.seller_message_after(case=case, after_id=seen, member=request.user)
        if collision is not None:
            return render_case_page(request, case, reply_form=form, collision=collision)
    was_assigned = case.assigned_to_id is not None
    try:
        services.message_send(sender=request.user, case=case, draft=draft_from_form(form))
    except MessageRefused as refused:
        return render_case_page(request, case, reply_form=form, reply_refusal=refused.refusal)
    case.refresh_from_db()
    if not was_assigned and case.assigned_to_id == request.user.pk:
        return _after_action(
            request,
            case,
            "Your reply was sent. The case is now assigned to you because you replied.",
        )
    return _after_action(request, case, "Your reply was sent.")


@require_POST
@seller_required
def case_change_state(request: SellerRequest, case_id: int) -> HttpResponse:
    """Resolve, Close or Reopen: state changes happen only here, never by email."""
    case = seller_case_or_404(request, case_id)
    action = STATE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return render_case_page(request, case, error="Choose Resolve, Close or Reopen.", status=400)
    to_status, notice = action
    try:
        case = case_change_state_by_seller(case=case, actor=request.user, to_status=to_status)
    except MessageRefused as refused:
        return render_case_page(request, case, case_refusal=refused.refusal)
    return _after_action(request, case, notice)


@require_POST
@seller_required
def message_no_response_needed(request: SellerRequest, message_id: int) -> HttpResponse:
    """R15: take a buyer message out of Response Needed."""
    message = _seller_message(request, message_id)
    try:
        flags.message_mark_no_response_needed(message=message, actor=request.user)
    except MessageRefused as refused:
        return render_case_page(request, message.case, case_refusal=refused.refusal)
    return _after_action(request, message.case, "Marked “No Response Needed”. You can undo it.")


@require_POST
@seller_required
def message_no_response_needed_undo(request: SellerRequest, message_id: int) -> HttpResponse:
    message = _seller_message(request, message_id)
    try:
        flags.message_undo_no_response_needed(message=message, actor=request.user)
    except MessageRefused as refused:
        return render_case_page(request, message.case, case_refusal=refused.refusal)
    return _after_action(request, message.case, "“No Response Needed” undone.")


@require_POST
@seller_required
def case_reply_check(request: SellerRequest, case_id: int) -> HttpResponse:
    """The live check of the reply box (htmx, while typing): the send funnel's own verdict."""
    case = seller_case_or_404(request, case_id)
    return live_check(request, case=case)


@require_GET_or_POST
@seller_required
def message_report(request: SellerRequest, message_id: int) -> HttpResponse:
    """R16: report a buyer message; it needs no response and stays in the inbox."""
    message = _seller_message(request, message_id)
    return report_page(
        request,
        message,
        viewer="seller",
        case_url=reverse("messaging:case_detail", args=[message.case_id]),
        reported=lambda: _after_action(request, message.case, REPORTED_NOTICE),
    )
