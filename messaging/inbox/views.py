"""Seller Central's "Buyer-Seller Messages" inbox: the list of cases under a filter and a
search, its live "N new" poll (the team inbox, issue 14), and what the inbox shows above the
list: "not delivered" notices (R4) and warnings from staff (R16)."""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages as flash
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from cases import selectors as case_selectors
from cases.selectors import CHANGE_TOKEN_MAX
from core.htmx import page_or_partial
from core.pagination import capped_page, query_without_page
from core.params import int_param
from messaging import policy
from messaging.inbox import selectors, services
from messaging.inbox.forms import InboxFilterForm
from messaging.inbox.presentation import inbox_assignees, inbox_live_context, inbox_rows_decorate
from messaging.moderation import selectors as moderation_selectors
from messaging.moderation.services import decisions

CASES_PER_PAGE = 25
INBOX_COUNT_CAP = 1000
SINCE_INVALID_MSG = (
    "This address asks for the changes since a moment that is not a valid change token (a "
    "whole number the inbox page writes into it). Reload the inbox to get a new one."
)


@transaction.non_atomic_requests  # read only: no BEGIN and COMMIT round trips
@require_safe
@vary_on_headers("HX-Request")
@seller_required
def inbox(request: SellerRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    filter_key, query = form.selection()
    # The live poll counts the cases changed after this moment (issue 14).
    since = case_selectors.change_token(timezone.now())
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
            "query_without_page": query_without_page(request.GET),
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
        moderation_selectors.staff_warning_scope_for_seller(seller=request.seller), pk=warning_id
    )
    decisions.staff_warning_dismiss(warning=warning, actor=request.user)
    flash.success(request, "Warning dismissed.")
    return redirect("messaging:inbox")


@require_safe
@never_cache
@seller_required
def inbox_changes(request: SellerRequest) -> HttpResponse:
    """How many of the seller's cases changed since the inbox list was shown (`since`, a token
    the list carries): 204 when it is still the `n` the page shows, else the "N new — Show"
    marker. One query: a range scan of the (seller, summary_changed_at) index."""
    since = int_param(request.GET.get("since") or "0", minimum=0, maximum=CHANGE_TOKEN_MAX)
    if since is None:
        # Only an address the inbox did not write gets here (the page always carries a token).
        return HttpResponse(
            SINCE_INVALID_MSG, status=HTTPStatus.BAD_REQUEST, content_type="text/plain"
        )
    shown = int_param(request.GET.get("n"), minimum=0) or 0
    count = case_selectors.cases_changed_count(
        seller=request.seller, since=case_selectors.token_time(since)
    )
    if count == shown:
        return HttpResponse(status=HTTPStatus.NO_CONTENT)
    filter_key, query = InboxFilterForm(request.GET).selection()
    context = inbox_live_context(filter_key=filter_key, query=query, since=since, count=count)
    return render(request, "messaging/inbox.html#inbox-live", context)
