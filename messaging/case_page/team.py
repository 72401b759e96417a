"""The team inbox on the case page (issue 14): its live "what changed since" endpoint, and
assigning a case to a member.

The live endpoint is polled by every open case page (htmx, every MESSAGING_LIVE_POLL_SECONDS), so
it answers 204 without a body when nothing changed, after a primary-key read; presence lives in
the cache, never in the database. The inbox's own poll is `messaging.inbox.views.inbox_changes`."""

from http import HTTPStatus

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from cases import presence
from cases import selectors as case_selectors
from cases.models import Case, CaseStatus
from cases.services import case_assign, case_unassign
from core.params import int_param
from core.refusals import MessageRefused
from messaging.case_page import selectors
from messaging.case_page.cards import case_messages_for_seller
from messaging.case_page.team_context import assignment_text, case_live_url
from messaging.case_page.views import render_case_page, seller_case_or_404
from messaging.presentation import live_poll_ms

LIVE_CASE_FIELDS = (
    "id",
    "seller_id",
    "status",
    "subject",
    "buyer_alias",
    "summary_changed_at",
    "assigned_to",
    "latest_blocked_rule",
)


@require_safe
@never_cache
@seller_required
def case_live(request: SellerRequest, case_id: int) -> HttpResponse:
    """The case page's poll: a heartbeat of the member's presence ("viewing", or "replying"
    while they type), and what changed since the page was shown. 204 when neither the case
    nor who else is on it changed; otherwise the new poller and, out of band, the messages,
    the state and owner, who else is here and, if another member's reply landed while this
    one was typing, a warning above the reply box. The reply box itself is never touched."""
    case = get_object_or_404(
        Case.objects.filter(seller=request.seller).only(*LIVE_CASE_FIELDS), pk=case_id
    )
    user = request.user
    typing = request.GET.get("typing") == "1"
    others = presence.presence_touch(
        case_id=case.pk,
        user_id=user.pk,
        name=user.get_full_name(),
        mode=presence.REPLYING if typing else presence.VIEWING,
    )
    signature = presence.presence_signature(others)
    since = int_param(request.GET.get("since"))
    after = int_param(request.GET.get("after"), minimum=0) or 0
    token = case_selectors.change_token(case.summary_changed_at)
    changed = since != token
    if not changed and signature == request.GET.get("p", ""):
        return HttpResponse(status=HTTPStatus.NO_CONTENT)
    context = {
        "case": case,
        "presence": others,
        "changed": changed,
        "live_poll_ms": live_poll_ms(),
        "oob": True,
    }
    if changed:
        if case.status == CaseStatus.CLOSED and request.GET.get("status") != CaseStatus.CLOSED:
            # Closed meanwhile: the reply box goes too, so the whole conversation is redrawn.
            response = render_case_page(request, seller_case_or_404(request, case.pk))
            response["HX-Retarget"] = "#case-conversation"
            response["HX-Reswap"] = "outerHTML"
            return response
        case_messages = case_messages_for_seller(case=case)
        after_now = case_messages[-1].pk if case_messages else after
        members = list(case_selectors.seller_members(seller_id=case.seller_id))
        context.update(
            case_messages=case_messages,
            members=members,
            assignment_text=assignment_text(request, case, members),
            collision=(
                selectors.seller_message_after(case=case, after_id=after, member=user)
                if typing and after_now > after
                else None
            ),
        )
    else:
        after_now = after
    context["live_url"] = case_live_url(case, since=token, after=after_now, signature=signature)
    context["last_message_id"] = after_now
    return render(request, "messaging/partials/case_live.html", context)


@require_POST
@seller_required
def case_assign_view(request: SellerRequest, case_id: int) -> HttpResponse:
    """Assign the case to a member of the team (`member`, a user id), or to nobody (empty).
    htmx swaps the assignment panel; without JavaScript the case page comes back with a
    notice."""
    case = seller_case_or_404(request, case_id)
    members = list(case_selectors.seller_members(seller_id=case.seller_id))
    member_id = int_param(request.POST.get("member"))
    error = ""
    try:
        if member_id is None:
            was_assigned = case.assigned_to_id is not None
            case = case_unassign(case=case, by=request.user)
            notice = "Nobody is assigned to this case now." if was_assigned else ""
        else:
            member = next((m for m in members if m.pk == member_id), None)
            if member is None:
                error = "Choose a member of your team."
            else:
                case = case_assign(case=case, member=member, by=request.user)
                who = "you" if member.pk == request.user.pk else member.get_full_name()
                notice = f"Case assigned to {who}."
    except MessageRefused as refused:
        error = refused.refusal.message
    if error:
        if not request.htmx:
            return render_case_page(request, case, error=error, status=400)
        notice = ""
    elif notice:
        flash.success(request, notice)
    if not request.htmx:
        return redirect("messaging:case_detail", case_id=case.pk)
    return render(
        request,
        "messaging/partials/case_assignment_answer.html",
        {
            "case": case,
            "members": members,
            "assignment_text": assignment_text(request, case, members),
            "assign_error": error,
        },
    )
