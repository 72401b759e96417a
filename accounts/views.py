from typing import Any

from django.contrib import messages as flash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import buyer_required, seller_required
from accounts.forms import (
    AcceptingMessagesForm,
    AutoReviewRequestsForm,
    BuyerCommunicationForm,
    EmailAuthenticationForm,
    NotificationPreferencesForm,
)
from accounts.http import AuthenticatedRequest, SellerRequest
from accounts.language import page_language_remember
from accounts.selectors import (
    buyer_profile_for_user,
    is_seller_owner,
    notification_preferences_for_seller,
    owners_only_notice,
    require_seller_owner,
    user_role,
)
from accounts.services import (
    buyer_profile_update,
    notification_preferences_update,
    seller_set_accepting_messages,
    seller_set_auto_review_requests,
)
from core.htmx import page_or_partial
from core.http import require_GET_or_POST


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """`/accounts/logout/`: a GET shows a page with a "Sign out" button and signs nobody out
    (a link, a prefetch or a mail scanner cannot end a session); the button's POST does."""

    http_method_names = ["get", "head", "post", "options"]
    template_name = "accounts/logout.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(**kwargs))


def home(request: HttpRequest) -> HttpResponse:
    """Everyone lands on the page they use most."""
    role = user_role(user=request.user)
    if role == "seller":
        return redirect("messaging:inbox")
    if role == "staff":
        return redirect("admin:index")
    if role == "buyer":
        return redirect("orders:buyer_order_list")
    return redirect("accounts:login")


@require_GET_or_POST
@buyer_required
def buyer_communication_settings(request: AuthenticatedRequest) -> HttpResponse:
    """R2: opt out of unsolicited seller messages; the preferred language (of template messages
    and of the buyer pages, from the next answer on)."""
    profile = buyer_profile_for_user(user=request.user)
    # Read before the form binds: a ModelForm writes the posted values onto its instance.
    opted_out_since = profile.opted_out_at if profile.opted_out_of_unsolicited else None
    form = BuyerCommunicationForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        buyer_profile_update(
            user=request.user,
            preferred_language=form.cleaned_data["preferred_language"],
            opted_out=form.cleaned_data["opted_out_of_unsolicited"],
        )
        page_language_remember(request, form.cleaned_data["preferred_language"])
        flash.success(request, gettext("Your communication settings were saved."))
        return redirect("accounts:buyer_communication_settings")
    return render(
        request,
        "accounts/buyer_communication_settings.html",
        {"form": form, "opted_out_since": opted_out_since},
    )


# ---- seller settings


@require_GET_or_POST
@vary_on_headers("HX-Request")
@seller_required
def notification_preferences(request: SellerRequest) -> HttpResponse:
    """Notification Preferences › Messaging: "Buyer Messages" copies (R22) and "Buyer Opt-out"
    bounce-backs (R4). The section is read-only until "Edit" (`?edit=messaging`, or an htmx swap
    of the `messaging-section` partial). Owners alone edit it; members read it and are told who
    can change it (a member's POST is a 403)."""
    if request.method == "POST":
        require_seller_owner(request.user, request.seller)
    can_change = is_seller_owner(user=request.user, seller=request.seller)
    preferences = notification_preferences_for_seller(seller=request.seller)
    # Snapshot before a form binds: a ModelForm writes the posted values onto its instance.
    saved = {
        "buyer_message_copies": preferences.buyer_message_copies,
        "buyer_message_copies_email": preferences.buyer_message_copies_email,
        "opt_out_bounces": preferences.opt_out_bounces,
    }
    editing = can_change and (request.method == "POST" or request.GET.get("edit") == "messaging")
    form = None
    if editing:
        form = NotificationPreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST" and form is not None and form.is_valid():
        notification_preferences_update(
            seller=request.seller,
            buyer_message_copies=form.cleaned_data["buyer_message_copies"],
            buyer_message_copies_email=form.cleaned_data["buyer_message_copies_email"],
            opt_out_bounces=form.cleaned_data["opt_out_bounces"],
            actor=request.user,
        )
        flash.success(request, "Your notification preferences were saved.")
        return redirect("accounts:notification_preferences")
    return render(
        request,
        page_or_partial(request, "accounts/notification_preferences.html", "messaging-section"),
        {
            "form": form,
            "saved": saved,
            "owners_only": "" if can_change else owners_only_notice(seller=request.seller),
        },
    )


@require_GET_or_POST
@seller_required
def messaging_settings(request: SellerRequest) -> HttpResponse:
    """R18: accept buyer messages on/off (vacation). Owners alone change it; members read it
    and are told who can change it (a member's POST is a 403)."""
    seller = request.seller
    if request.method == "POST":
        require_seller_owner(request.user, seller)
    can_change = is_seller_owner(user=request.user, seller=seller)
    reviews_posted = request.POST.get("section") == "reviews"
    reviews_form = AutoReviewRequestsForm(
        request.POST if reviews_posted else None,
        initial={
            "auto_review_requests": seller.auto_review_requests,
            "auto_review_delay_days": seller.auto_review_delay_days,
        },
    )
    if reviews_posted and reviews_form.is_valid():
        seller = seller_set_auto_review_requests(
            seller=seller,
            actor=request.user,
            enabled=reviews_form.cleaned_data["auto_review_requests"],
            delay_days=reviews_form.cleaned_data["auto_review_delay_days"],
        )
        flash.success(
            request,
            f"Review requests go out automatically {seller.auto_review_delay_days} days after "
            "delivery."
            if seller.auto_review_requests
            else "Review requests are no longer sent automatically.",
        )
        return redirect("accounts:messaging_settings")
    form = AcceptingMessagesForm(
        None if reviews_posted else (request.POST or None),
        initial={"accepting": "on" if seller.accepting_buyer_messages else "off"},
    )
    if request.method == "POST" and not reviews_posted and form.is_valid():
        seller = seller_set_accepting_messages(
            seller=seller, accepting=form.cleaned_data["accepting"], actor=request.user
        )
        if seller.accepting_buyer_messages:
            flash.success(request, "You are accepting messages from buyers again.")
        else:
            flash.success(
                request,
                "You stopped accepting messages from new buyers. "
                "Buyers who ordered from you before can still write.",
            )
        return redirect("accounts:messaging_settings")
    return render(
        request,
        "accounts/messaging_settings.html",
        {
            "form": form if can_change else None,
            "reviews_form": reviews_form if can_change else None,
            "seller": seller,
            "owners_only": "" if can_change else owners_only_notice(seller=seller),
        },
    )
