"""Buyer pages: the message center, one case, reporting, contact seller and the storefront.

Every view authorizes through a selector scoped to `request.user` (another buyer's case, message
or order answers 404), parses a form, makes one service call and renders or redirects. Rules are
decided in the services; a refusal (`MessageRefused`) is shown on the form and nothing is stored.
"""

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import buyer_required
from accounts.http import AuthenticatedRequest
from accounts.models import SellerAccount
from accounts.selectors import user_role
from cases.models import Case
from cases.policy import CASE_CLOSED_MSG
from core.htmx import page_or_partial
from core.http import require_GET_or_POST
from core.params import int_param
from core.refusals import MessageRefused, Refusal
from messaging import policy
from messaging.buyer import selectors
from messaging.buyer.forms import ContactSellerForm, StoreAskForm
from messaging.buyer.presentation import buyer_case_rows_html
from messaging.case_page.cards import case_messages_for_buyer
from messaging.case_page.selectors import message_scope_for_buyer
from messaging.forms import ReplyForm
from messaging.models import BuyerContactReason, Direction, Message
from messaging.moderation import selectors as moderation_selectors
from messaging.moderation.services import decisions
from messaging.moderation.views import REPORTED_NOTICE, report_page
from messaging.presentation import refusal_text_for_buyer
from messaging.sending import services
from messaging.sending.drafts import draft_from_form
from orders import selectors as order_selectors
from orders.models import Product

CASES_PER_PAGE = 20
CASE_TEMPLATE = "messaging/buyer_case_detail.html"
# Buyer pages are in the buyer's language (accounts.language): these are marked for translation
# (gettext_noop keeps the English text) and translated with gettext where they are shown.
SENT_NOTICE = gettext_noop("Your message was sent to {business_name}.")
REPLY_SENT_NOTICE = gettext_noop("Your reply was sent.")
WARNING_DISMISSED_NOTICE = gettext_noop("Warning dismissed.")


# ---- private helpers


def _buyer_cases(request: AuthenticatedRequest) -> QuerySet[Case]:
    return selectors.case_scope_for_buyer(buyer=request.user)


def _buyer_case(request: AuthenticatedRequest, case_id: int) -> Case:
    return get_object_or_404(_buyer_cases(request), pk=case_id)


def _buyer_message(request: AuthenticatedRequest, message_id: int) -> Message:
    return get_object_or_404(
        message_scope_for_buyer(buyer=request.user).select_related(
            "case__seller", "case__relationship"
        ),
        pk=message_id,
    )


def _render_case(
    request: AuthenticatedRequest,
    case: Case,
    *,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page, or only its message list (with the reply box) for an htmx swap."""
    context = {
        "case": case,
        "case_messages": case_messages_for_buyer(case=case, buyer=request.user),
        "reply_form": reply_form or ReplyForm(),
        "case_closed_msg": gettext(CASE_CLOSED_MSG),
        "seller_direction": Direction.SELLER_TO_BUYER,
        # "Resolved" explained: it closes this many days after, unless the buyer replies.
        "resolved_close_days": settings.CASE_RESOLVED_CLOSE_DAYS,
    }
    template = page_or_partial(request, CASE_TEMPLATE, "message-list")
    return render(request, template, context, status=status)


def _ask_refusal_before_writing(
    request: AuthenticatedRequest, seller: SellerAccount
) -> Refusal | None:
    """Shown on the empty "Ask a question" form so nobody writes a message that will be refused
    (R20, R18): the send funnel's own verdict on an empty question, storing nothing."""
    verdict = services.message_check(
        sender=request.user, seller=seller, draft=services.Draft(body_text="")
    )
    return verdict.refusal if isinstance(verdict, policy.Refused) else None


# ---- message center


@require_safe
@buyer_required
def message_center(request: AuthenticatedRequest) -> HttpResponse:
    cases = selectors.case_list_for_buyer(buyer=request.user).only(
        "id",
        "subject",
        "status",
        "order_number",
        "buyer_latest_at",
        "buyer_latest_snippet",
        "seller__business_name",
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/buyer_message_center.html",
        {
            "page": page,
            "rows_html": buyer_case_rows_html(page.object_list),
            # R16: warnings from staff stay at the top until the buyer dismisses them.
            "staff_warnings": moderation_selectors.staff_warnings_for_buyer(buyer=request.user),
        },
    )


@require_POST
@buyer_required
def staff_warning_dismiss(request: AuthenticatedRequest, warning_id: int) -> HttpResponse:
    """R16: the buyer puts away a warning from staff; it stays on record for staff."""
    warning = get_object_or_404(
        moderation_selectors.staff_warning_scope_for_buyer(buyer=request.user), pk=warning_id
    )
    decisions.staff_warning_dismiss(warning=warning, actor=request.user)
    flash.success(request, gettext(WARNING_DISMISSED_NOTICE))
    return redirect("messaging:buyer_message_center")


# ---- one case


@require_safe
@vary_on_headers("HX-Request")
@buyer_required
def case_detail(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    return _render_case(request, _buyer_case(request, case_id))


@require_POST
@buyer_required
def case_reply(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _buyer_case(request, case_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_send(sender=request.user, case=case, draft=draft_from_form(form))
        except MessageRefused as refused:
            form.add_error(
                None,
                refusal_text_for_buyer(refused.refusal, business_name=case.seller.business_name),
            )
        else:
            case.refresh_from_db()
            # With JavaScript too: the htmx answer carries the notice (live_notices.html).
            flash.success(request, gettext(REPLY_SENT_NOTICE))
            if request.htmx:
                return _render_case(request, case)
            return redirect("messaging:buyer_case_detail", case_id=case.pk)
    # htmx swaps only 2xx answers by default, so the errors come back with 200 there too.
    return _render_case(request, case, reply_form=form)


@require_GET_or_POST
@buyer_required
def message_report(request: AuthenticatedRequest, message_id: int) -> HttpResponse:
    """R16: the buyer reports a seller message; staff see it in the moderation queue."""
    message = _buyer_message(request, message_id)

    def reported() -> HttpResponse:
        flash.success(request, gettext(REPORTED_NOTICE))
        return redirect("messaging:buyer_case_detail", case_id=message.case_id)

    return report_page(
        request,
        message,
        viewer="buyer",
        case_url=reverse("messaging:buyer_case_detail", args=[message.case_id]),
        reported=reported,
    )


# ---- contact the seller about an order


@require_GET_or_POST
@buyer_required
def contact_seller(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = get_object_or_404(
        order_selectors.order_scope_for_buyer(buyer=request.user), number=number
    )
    if request.method == "POST":
        form = ContactSellerForm(request.POST, request.FILES, order=order)
        if form.is_valid():
            try:
                message = services.message_send(
                    sender=request.user, order=order, draft=draft_from_form(form)
                )
            except MessageRefused as refused:
                form.add_error(
                    None,
                    refusal_text_for_buyer(
                        refused.refusal, business_name=order.seller.business_name
                    ),
                )
            else:
                flash.success(
                    request, gettext(SENT_NOTICE).format(business_name=order.seller.business_name)
                )
                return redirect("messaging:buyer_case_detail", case_id=message.case_id)
    else:
        reason = request.GET.get("reason", "")
        reason = reason if reason in BuyerContactReason.values else ""
        form = ContactSellerForm(
            order=order,
            initial={
                "reason": reason,
                "subject": ContactSellerForm.subject_for(reason=reason, order_number=order.number),
            },
        )
    return render(request, "messaging/contact_seller.html", {"order": order, "form": form})


# ---- storefront (public) and "Ask a question" (R24)


def _store_seller(slug: str) -> SellerAccount:
    return get_object_or_404(SellerAccount, slug=slug)


@require_safe
def store(request: HttpRequest, slug: str) -> HttpResponse:
    seller = _store_seller(slug)
    products = Product.objects.filter(seller=seller).select_related("category").order_by("title")
    return render(request, "messaging/store.html", {"seller": seller, "products": products})


@require_GET_or_POST
@login_required
def store_ask(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Any signed-in user may send the form, so a seller's member meets the R20 refusal here
    (from the service) rather than a bare 403."""
    seller = _store_seller(slug)
    if user_role(user=request.user) == "staff":
        raise PermissionDenied("Staff accounts do not contact sellers as buyers.")
    refusal = None
    if request.method == "POST":
        form = StoreAskForm(request.POST, seller=seller)
        if form.is_valid():
            draft = draft_from_form(form, contact_reason=BuyerContactReason.PRODUCT_QUESTION)
            try:
                message = services.message_send(
                    sender=request.user,
                    seller=seller,
                    product=form.cleaned_data["product"],
                    draft=draft,
                )
            except MessageRefused as refused:
                refusal = refused.refusal
                form.add_error(
                    None, refusal_text_for_buyer(refusal, business_name=seller.business_name)
                )
            else:
                flash.success(
                    request, gettext(SENT_NOTICE).format(business_name=seller.business_name)
                )
                return redirect("messaging:buyer_case_detail", case_id=message.case_id)
    else:
        initial = {}
        product_id = int_param(request.GET.get("product"), minimum=1)
        product = (
            Product.objects.filter(seller=seller, pk=product_id).first()
            if product_id is not None
            else None
        )
        if product is not None:
            subject = gettext("Question about {product}").format(product=product.title)
            initial = {"product": product.pk, "subject": subject}
        form = StoreAskForm(seller=seller, initial=initial)
        refusal = _ask_refusal_before_writing(request, seller)
    return render(
        request,
        "messaging/store_ask.html",
        {
            "seller": seller,
            "form": form,
            "refusal": refusal,
            "refusal_text": (
                refusal_text_for_buyer(refusal, business_name=seller.business_name)
                if refusal
                else ""
            ),
        },
    )
