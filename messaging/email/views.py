"""The email channel's pages: the one-click links of copy emails and Messaging Permissions (R11).
The inbound webhook is `messaging.email.webhook`."""

from django import forms
from django.contrib import messages as flash
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from accounts.models import SellerMembership
from accounts.selectors import seller_owners
from core.http import require_GET_or_POST
from core.refusals import MessageRefused
from messaging.email import selectors
from messaging.email.services import outbound, permissions
from messaging.models import Message, MessagingPermission, ReportReason, ResponseState
from messaging.moderation.services import flags

PERMISSION_CONFIRM_PAGE = "messaging/permission_confirm.html"


# ---- one-click links from copy emails (R15, R16)


class LinkReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason…"), *ReportReason.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


@require_GET_or_POST
def email_action(request: HttpRequest, token: str) -> HttpResponse:
    """A GET shows what the link will do and one button; only the POST acts, so mail scanners
    that open links change nothing. Works without signing in: the signed token is the authority
    (one message, one action, 30 days)."""
    try:
        message_id, action = outbound.action_token_read(token)
        issued_version = outbound.action_token_version(token)
    except signing.SignatureExpired:
        return render(request, "messaging/email_action.html", {"problem": "expired"}, status=410)
    except signing.BadSignature:
        return render(request, "messaging/email_action.html", {"problem": "invalid"}, status=400)
    message = get_object_or_404(Message.objects.select_related("case"), pk=message_id)
    form = LinkReportForm(request.POST or None) if action == "report" else None
    done, refusal, status = False, None, 200
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if action == "nrn":
                flags.message_mark_no_response_needed_by_link(
                    message=message, issued_version=issued_version
                )
            else:
                assert form is not None
                copies = selectors.copies_address_for_seller(seller_id=message.seller_id)
                flags.message_report_by_link(
                    message=message, reason=form.cleaned_data["reason"], address=copies
                )
        except MessageRefused as refused:
            refusal = refused.refusal
            status = 409 if isinstance(refused, flags.LinkOutdated) else 400
        else:
            done = True
            message.refresh_from_db()
    elif action == "nrn" and message.from_buyer:
        # The link follows the message as it is now: the page says what changed since the
        # email went out instead of offering a button that would do nothing or undo the web.
        refusal = flags.no_response_needed_link_outdated(message, issued_version=issued_version)
    context = {
        "refusal": refusal,
        "message": message,
        "action": action,
        "action_label": outbound.ACTIONS[action],
        "form": form,
        "done": done,
        "already": (
            action == "nrn"
            and not done
            and message.response_state == ResponseState.NO_RESPONSE_NEEDED
        ),
    }
    return render(request, "messaging/email_action.html", context, status=status)


# ---- Messaging Permissions (R11)


class PermissionAddForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=MessagingPermission._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
    )


@require_GET_or_POST
@seller_required
def messaging_permissions(request: SellerRequest) -> HttpResponse:
    """The addresses the seller may write to buyers from. Owners add, block and unblock;
    members see the list and who can change it."""
    membership = request.user.seller_membership
    is_owner = membership.role == SellerMembership.Role.OWNER
    form = PermissionAddForm(request.POST or None)
    if request.method == "POST":
        if not is_owner:
            return HttpResponse(permissions.OWNERS_ONLY_MSG, status=403)
        if form.is_valid():
            try:
                permission = permissions.permission_add(
                    seller=request.seller, actor=request.user, email=form.cleaned_data["email"]
                )
            except MessageRefused as refused:
                form.add_error("email", refused.refusal.message)
            else:
                flash.success(
                    request,
                    f"We emailed a confirmation link to {permission.email}. The address is "
                    "approved once that link is clicked.",
                )
                return redirect("messaging:messaging_permissions")
    context = {
        "permissions": selectors.messaging_permissions_for_seller(seller=request.seller),
        "form": form,
        "is_owner": is_owner,
        "owners": seller_owners(seller=request.seller),
    }
    return render(request, "messaging/messaging_permissions.html", context)


@require_POST
@seller_required
def messaging_permission_block(request: SellerRequest, permission_id: int) -> HttpResponse:
    permission = get_object_or_404(
        MessagingPermission.objects.filter(seller=request.seller), pk=permission_id
    )
    blocked = request.POST.get("action") == "block"
    permissions.permission_set_blocked(permission=permission, actor=request.user, blocked=blocked)
    flash.success(request, f"{permission.email} is {'blocked' if blocked else 'unblocked'}.")
    return redirect("messaging:messaging_permissions")


@require_GET_or_POST
def permission_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link sent to an address: a GET shows one button, the POST approves."""
    try:
        permission_id, address = outbound.permission_token_read(token)
    except signing.SignatureExpired:
        return render(
            request, "messaging/permission_confirm.html", {"problem": "expired"}, status=410
        )
    except signing.BadSignature:
        return render(
            request, "messaging/permission_confirm.html", {"problem": "invalid"}, status=400
        )
    permission = get_object_or_404(
        MessagingPermission.objects.select_related("seller"), pk=permission_id, email=address
    )
    refusal = None
    if request.method == "POST":
        try:
            permission = permissions.permission_confirm(permission_id=permission.pk, email=address)
        except MessageRefused as refused:
            refusal = refused.refusal
    return render(
        request,
        PERMISSION_CONFIRM_PAGE,
        {"permission": permission, "refusal": refusal, "done": request.method == "POST"},
    )
