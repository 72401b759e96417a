"""Seller Central's "Buyer-Seller Messages": the inbox and the case page."""

from django.conf import settings
from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from cases.models import Case, CaseStatus
from cases.services import case_change_state_by_seller
from core.htmx import page_or_partial
from core.pagination import capped_page
from core.refusals import MessageRefused
from messaging import selectors, services
from messaging.forms import InboxFilterForm, ReplyForm, ReportForm
from messaging.models import Message
from messaging.presentation import inbox_rows_decorate
from messaging.views.common import REPORTED_NOTICE, draft_from_form, live_check, report_page

CASES_PER_PAGE = 25
CASE_TEMPLATE = "messaging/case_detail.html"
STATE_ACTIONS = {
    "resolve": (
        CaseStatus.RESOLVED,
        "Case marked resolved. It closes if the buyer does not reply.",
    ),
    "close": (CaseStatus.CLOSED, "Case closed."),
    "reopen": (CaseStatus.OPENED, "Case reopened."),
}


# ---- inbox


@require_GET
@vary_on_headers("HX-Request")
@seller_required
def inbox(request: SellerRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    filter_key, query = form.selection()
    cases = selectors.case_list_for_seller(
        seller=request.seller, filter_key=filter_key, query=query
    )
    page = capped_page(cases, request.GET.get("page"), per_page=CASES_PER_PAGE)
    inbox_rows_decorate(
        page.object_list,
        now=timezone.now(),
        target_hours=settings.MESSAGING_RESPONSE_TARGET_HOURS,
        case_url_prefix=reverse("messaging:inbox"),
    )
    template = page_or_partial(request, "messaging/inbox.html", "case-list")
    # The notices sit above the case list: an htmx swap of the list does not show them.
    notices, more_notices = (
        selectors.blocked_notices_for_seller(seller=request.seller)
        if template == "messaging/inbox.html"
        else ([], 0)
    )
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        template,
        {
            "form": form,
            "filter_key": filter_key,
            "filter_label": selectors.INBOX_FILTERS[filter_key][0],
            "page": page,
            "query_without_page": query_without_page.urlencode(),
            "notices": notices,
            "more_notices": more_notices,
        },
    )


@require_POST
@seller_required
def blocked_notice_dismiss(request: SellerRequest, notice_id: int) -> HttpResponse:
    """R4: put away a "not delivered" notice. htmx removes the alert (empty answer, outerHTML
    swap); without htmx the seller goes back to the inbox."""
    notice = get_object_or_404(
        selectors.blocked_notice_scope_for_seller(seller=request.seller), pk=notice_id
    )
    services.blocked_notice_dismiss(notice=notice, actor=request.user)
    if request.htmx:
        return HttpResponse("")
    flash.success(request, "Notice dismissed. The message stays on its case.")
    return redirect("messaging:inbox")


@require_POST
@seller_required
def blocked_notices_dismiss_all(request: SellerRequest) -> HttpResponse:
    """R4: put away every "not delivered" notice; the messages stay under Sent with their
    reason."""
    dismissed = services.blocked_notices_dismiss_all(seller=request.seller, actor=request.user)
    if request.htmx:
        return HttpResponse("")
    flash.success(
        request,
        f"{dismissed} notice{pluralize(dismissed)} dismissed. "
        "Blocked messages stay under Sent with their reason.",
    )
    return redirect("messaging:inbox")


# ---- one case


def _seller_case(request: SellerRequest, case_id: int) -> Case:
    return get_object_or_404(selectors.case_scope_for_seller(seller=request.seller), pk=case_id)


def _seller_message(request: SellerRequest, message_id: int) -> Message:
    return get_object_or_404(
        selectors.message_scope_for_seller(seller=request.seller), pk=message_id
    )


def _render_case(
    request: SellerRequest,
    case: Case,
    *,
    reply_form: ReplyForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The case page, or its conversation region for htmx (same template, same context)."""
    messages_left, limit = selectors.seller_messages_left_today(seller=request.seller)
    context = {
        "case": case,
        "case_messages": selectors.message_list_for_seller(case=case),
        "reply_form": reply_form or ReplyForm(),
        "report_form": ReportForm(),
        "error": error,
        "messages_left": messages_left,
        "daily_limit": limit,
    }
    template = page_or_partial(request, CASE_TEMPLATE, "case-conversation")
    return render(request, template, context, status=status)


def _after_action(request: SellerRequest, case: Case, notice: str) -> HttpResponse:
    if request.htmx:
        return _render_case(request, case)
    flash.success(request, notice)
    return redirect("messaging:case_detail", case_id=case.pk)


@require_GET
@seller_required
def case_detail(request: SellerRequest, case_id: int) -> HttpResponse:
    return _render_case(request, _seller_case(request, case_id))


@require_POST
@seller_required
def case_reply(request: SellerRequest, case_id: int) -> HttpResponse:
    case = _seller_case(request, case_id)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_case(request, case, reply_form=form)
    try:
        services.message_send(sender=request.user, case=case, draft=draft_from_form(form))
    except MessageRefused as refused:
        form.add_error(None, refused.refusal.with_rule)
        return _render_case(request, case, reply_form=form)
    case.refresh_from_db()
    return _after_action(request, case, "Your reply was sent.")


@require_POST
@seller_required
def case_change_state(request: SellerRequest, case_id: int) -> HttpResponse:
    """Resolve, Close or Reopen: state changes happen only here, never by email."""
    case = _seller_case(request, case_id)
    action = STATE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return _render_case(request, case, error="Choose Resolve, Close or Reopen.", status=400)
    to_status, notice = action
    try:
        case = case_change_state_by_seller(case=case, actor=request.user, to_status=to_status)
    except MessageRefused as refused:
        return _render_case(request, case, error=refused.refusal.with_rule)
    return _after_action(request, case, notice)


@require_POST
@seller_required
def message_no_response_needed(request: SellerRequest, message_id: int) -> HttpResponse:
    """R15: take a buyer message out of Response Needed."""
    message = _seller_message(request, message_id)
    try:
        services.message_mark_no_response_needed(message=message, actor=request.user)
    except MessageRefused as refused:
        return _render_case(request, message.case, error=refused.refusal.with_rule)
    return _after_action(request, message.case, "Marked “No Response Needed”. You can undo it.")


@require_POST
@seller_required
def message_no_response_needed_undo(request: SellerRequest, message_id: int) -> HttpResponse:
    message = _seller_message(request, message_id)
    try:
        services.message_undo_no_response_needed(message=message, actor=request.user)
    except MessageRefused as refused:
        return _render_case(request, message.case, error=refused.refusal.with_rule)
    return _after_action(request, message.case, "“No Response Needed” undone.")


@require_POST
@seller_required
def case_reply_check(request: SellerRequest, case_id: int) -> HttpResponse:
    """The live check of the reply box (htmx, while typing): the send funnel's own verdict."""
    case = _seller_case(request, case_id)
    return live_check(request, case=case)


@require_http_methods(["GET", "POST"])
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
