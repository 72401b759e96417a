"""Seller Central's "Buyer-Seller Messages": the inbox and the case page."""

from django.conf import settings
from django.contrib import messages as flash
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from cases.models import Case, CaseStatus
from cases.selectors import change_token
from cases.services import case_change_state_by_seller
from core.htmx import page_or_partial
from core.pagination import capped_page
from core.refusals import MessageRefused, Refusal
from messaging import policy, selectors, services
from messaging.case_presentation import case_messages_for_seller
from messaging.forms import InboxFilterForm, ReportForm, SellerReplyForm
from messaging.models import Message
from messaging.presentation import inbox_rows_decorate
from messaging.views.common import REPORTED_NOTICE, draft_from_form, live_check, report_page
from messaging.views.seller_templates import template_insert_initial
from messaging.views.team_context import (
    case_team_context,
    inbox_assignees,
    inbox_live_context,
)

CASES_PER_PAGE = 25
INBOX_COUNT_CAP = 1000
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


@transaction.non_atomic_requests  # read only: no BEGIN and COMMIT round trips
@require_safe
@vary_on_headers("HX-Request")
@seller_required
def inbox(request: SellerRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    filter_key, query = form.selection()
    # The live poll counts the cases changed after this moment (issue 14).
    since = change_token(timezone.now())
    # A search counts fewer matches ("200+"): each one counted is a look into a case's messages.
    count_cap = selectors.INBOX_SEARCH_COUNT_CAP if query.strip() else INBOX_COUNT_CAP
    page = selectors.inbox_page_for_seller(
        seller=request.seller,
        filter_key=filter_key,
        query=query,
        member=request.user,
        page_number=request.GET.get("page"),
        per_page=CASES_PER_PAGE,
        count_cap=count_cap,
    )
    inbox_assignees(request, page.object_list)
    rows_html = inbox_rows_decorate(
        page.object_list,
        now=timezone.now(),
        target_hours=settings.MESSAGING_RESPONSE_TARGET_HOURS,
        case_url_prefix=reverse("messaging:inbox"),
    )
    template = page_or_partial(request, "messaging/inbox.html", "case-list")
    # R4: one line above the case list counts the undelivered messages (their list is a page
    # of its own); an htmx swap of the list does not show it.
    full_page = template == "messaging/inbox.html"
    # R16: warnings from staff stay above the list until dismissed (full page only, too).
    notice_count, staff_warnings = (
        selectors.inbox_notices_for_seller(seller=request.seller) if full_page else (0, [])
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
            "query": query.strip(),
            "page": page,
            "rows_html": rows_html,
            "query_without_page": query_without_page.urlencode(),
            "notice_count": notice_count,
            "staff_warnings": staff_warnings,
            **inbox_live_context(filter_key=filter_key, query=query.strip(), since=since, count=0),
        },
    )


NOTICES_PER_PAGE = 25


@require_safe
@seller_required
def blocked_notices(request: SellerRequest) -> HttpResponse:
    """R4: the messages that were not delivered because the buyer opted out, newest first, each
    with its case and "Dismiss"; why is said once, above the list."""
    return _render_blocked_notices(request)


def _render_blocked_notices(request: SellerRequest) -> HttpResponse:
    """The list page, or for htmx (after a Dismiss) its `notices-region` partial."""
    page = capped_page(
        selectors.blocked_notice_list_for_seller(seller=request.seller),
        request.GET.get("page"),
        per_page=NOTICES_PER_PAGE,
    )
    return render(
        request,
        page_or_partial(request, "messaging/blocked_notices.html", "notices-region"),
        {"page": page, "rule": policy.OPT_OUT_RULE, "explanation": policy.OPTED_OUT_LIST_MSG},
    )


@require_POST
@seller_required
def blocked_notice_dismiss(request: SellerRequest, notice_id: int) -> HttpResponse:
    """R4: put away a "not delivered" notice. htmx swaps the list in place (down to its "all
    delivered" state after the last one); without htmx the seller goes back to the list."""
    notice = get_object_or_404(
        selectors.blocked_notice_scope_for_seller(seller=request.seller), pk=notice_id
    )
    services.blocked_notice_dismiss(notice=notice, actor=request.user)
    flash.success(request, "Notice dismissed. The message stays on its case.")
    if request.htmx:
        return _render_blocked_notices(request)
    return redirect("messaging:blocked_notices")


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


@require_POST
@seller_required
def staff_warning_dismiss(request: SellerRequest, warning_id: int) -> HttpResponse:
    """R16: put away a warning from staff; it stays on record for staff."""
    warning = get_object_or_404(
        selectors.staff_warning_scope_for_seller(seller=request.seller), pk=warning_id
    )
    services.staff_warning_dismiss(warning=warning, actor=request.user)
    flash.success(request, "Warning dismissed.")
    return redirect("messaging:inbox")


# ---- one case


def _seller_case(request: SellerRequest, case_id: int) -> Case:
    case = selectors.case_for_seller(seller=request.seller, case_id=case_id)
    if case is None:
        raise Http404("No such case.")
    return case


def _seller_message(request: SellerRequest, message_id: int) -> Message:
    return get_object_or_404(
        selectors.message_scope_for_seller(seller=request.seller), pk=message_id
    )


def _render_case(
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
    messages_left, limit = selectors.seller_messages_left_today(seller=request.seller)
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
        return _render_case(request, case)
    return redirect("messaging:case_detail", case_id=case.pk)


@transaction.non_atomic_requests  # read only: no BEGIN and COMMIT round trips
@require_safe
@seller_required
def case_detail(request: SellerRequest, case_id: int) -> HttpResponse:
    case = _seller_case(request, case_id)
    # Insert Template without JavaScript: ?template=<id> opens the reply box filled in (R23).
    initial, template_error = template_insert_initial(request, case=case)
    return _render_case(
        request, case, reply_form=SellerReplyForm(initial=initial), template_error=template_error
    )


@require_POST
@seller_required
def case_reply(request: SellerRequest, case_id: int) -> HttpResponse:
    case = _seller_case(request, case_id)
    form = SellerReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_case(request, case, reply_form=form)
    # Issue 14: the form carries the last message its page showed; another member's reply
    # since then is shown first, the draft kept, and the next Send sends it.
    seen = request.POST.get("seen", "")
    if seen.isdigit():
        collision = selectors.seller_message_after(
            case=case, after_id=int(seen), member=request.user
        )
        if collision is not None:
            return _render_case(request, case, reply_form=form, collision=collision)
    was_assigned = case.assigned_to_id is not None
    try:
        services.message_send(sender=request.user, case=case, draft=draft_from_form(form))
    except MessageRefused as refused:
        return _render_case(request, case, reply_form=form, reply_refusal=refused.refusal)
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
    case = _seller_case(request, case_id)
    action = STATE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return _render_case(request, case, error="Choose Resolve, Close or Reopen.", status=400)
    to_status, notice = action
    try:
        case = case_change_state_by_seller(case=case, actor=request.user, to_status=to_status)
    except MessageRefused as refused:
        return _render_case(request, case, case_refusal=refused.refusal)
    return _after_action(request, case, notice)


@require_POST
@seller_required
def message_no_response_needed(request: SellerRequest, message_id: int) -> HttpResponse:
    """R15: take a buyer message out of Response Needed."""
    message = _seller_message(request, message_id)
    try:
        services.message_mark_no_response_needed(message=message, actor=request.user)
    except MessageRefused as refused:
        return _render_case(request, message.case, case_refusal=refused.refusal)
    return _after_action(request, message.case, "Marked “No Response Needed”. You can undo it.")


@require_POST
@seller_required
def message_no_response_needed_undo(request: SellerRequest, message_id: int) -> HttpResponse:
    message = _seller_message(request, message_id)
    try:
        services.message_undo_no_response_needed(message=message, actor=request.user)
    except MessageRefused as refused:
        return _render_case(request, message.case, case_refusal=refused.refusal)
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
