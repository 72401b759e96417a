"""Manage Templates (R23) and the Insert Template panel of the seller's message boxes.

Templates and tags are templates_app's (models, checks, services); these pages live in
messaging because they show what was sent with each template (`analytics`) and fill templates
for the seller's cases and orders. Every member of the seller uses and
manages its templates; another seller's template or tag is simply not found (404).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import seller_required
from accounts.http import SellerRequest
from cases.models import Case
from core.htmx import page_or_partial
from core.http import require_GET_or_POST
from core.pagination import capped_page, query_without_page
from core.params import int_param
from core.refusals import MessageRefused, Refusal
from messaging.case_page.selectors import case_scope_for_seller
from messaging.policy import ReasonAvailability
from messaging.seller_templates.analytics import SETTLED_HOURS, WINDOW_DAYS, template_analytics
from orders import selectors as order_selectors
from orders.models import ORDER_NUMBER_PATTERN, Order
from templates_app import selectors as template_selectors
from templates_app import services as template_services
from templates_app.forms import (
    SellerTemplateForm,
    TagMergeForm,
    TagRenameForm,
    TemplateFilterForm,
)
from templates_app.models import FALLBACK_LANGUAGE, SellerTemplate, TemplateTag
from templates_app.placeholders import PLACEHOLDERS, fill_placeholders

TEMPLATES_PER_PAGE = 25
PICKER_LIMIT = 30
MANAGE_TEMPLATE = "seller_templates/manage.html"
PICKER_TEMPLATE = "seller_templates/picker.html"


def _seller_template(request: SellerRequest, template_id: int) -> SellerTemplate:
    return get_object_or_404(
        template_selectors.seller_template_scope(seller=request.seller), pk=template_id
    )


def _seller_tag(request: SellerRequest, tag_id: int) -> TemplateTag:
    return get_object_or_404(
        template_selectors.template_tag_scope(seller=request.seller), pk=tag_id
    )


# ---- Manage Templates


@require_safe
@vary_on_headers("HX-Request", "HX-Target")
@seller_required
def templates_manage(request: SellerRequest) -> HttpResponse:
    """The seller's templates by name with tags, uses and analytics; search and one tag
    filter (htmx swaps with pushed URLs; plain links and a GET form without JavaScript)."""
    tags = list(template_selectors.template_tag_list(seller=request.seller))
    form = TemplateFilterForm(
        request.GET, tags=template_selectors.template_tag_scope(seller=request.seller)
    )
    tag, query = form.selection()
    templates = template_selectors.seller_template_list(seller=request.seller, tag=tag, query=query)
    page = capped_page(templates, request.GET.get("page"), per_page=TEMPLATES_PER_PAGE)
    analytics = template_analytics(
        seller=request.seller,
        template_ids=[template.pk for template in page.object_list],
        now=timezone.now(),
    )
    rows = [(template, analytics[template.pk]) for template in page.object_list]
    partial = "template-list" if request.htmx.target == "template-list" else "templates-page"
    return render(
        request,
        page_or_partial(request, MANAGE_TEMPLATE, partial),
        {
            "form": form,
            "tags": tags,
            "tag": tag,
            "query": query,
            "page": page,
            "rows": rows,
            "query_without_page": query_without_page(request.GET),
            "window_days": WINDOW_DAYS,
            "settled_hours": SETTLED_HOURS,
        },
    )


def _template_form_page(
    request: SellerRequest,
    form: SellerTemplateForm,
    *,
    template: SellerTemplate | None = None,
    text_refusal: Refusal | None = None,
) -> HttpResponse:
    tags = template_selectors.template_tag_scope(seller=request.seller).values_list(
        "name", flat=True
    )
    context = {
        "form": form,
        "template": template,
        "placeholders": PLACEHOLDERS,
        "tag_names": tags,
        "text_refusal": text_refusal,
    }
    status = 400 if form.is_bound and (form.errors or text_refusal) else 200
    return render(request, "seller_templates/form.html", context, status=status)


def _save(
    request: SellerRequest,
    form: SellerTemplateForm,
    save: Callable[..., SellerTemplate],
    *,
    template: SellerTemplate | None = None,
) -> HttpResponse:
    """Run the service that saves the form's template: back to Manage Templates, or the form
    with the name and tag errors on their fields and the text's refusal (R12, R23: the words
    sending it would meet) on the text."""
    try:
        saved = save(
            name=form.cleaned_data["name"],
            text=form.cleaned_data["text"],
            tag_names=form.tag_names(),
        )
    except ValidationError as error:
        form.add_error(None, error)
    except MessageRefused as refused:
        return _template_form_page(request, form, template=template, text_refusal=refused.refusal)
    else:
        flash.success(request, f"Template “{saved.name}” saved.")
        return redirect("messaging:templates")
    return _template_form_page(request, form, template=template)


@require_GET_or_POST
@seller_required
def template_create(request: SellerRequest) -> HttpResponse:
    form = SellerTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create(**fields: Any) -> SellerTemplate:
            return template_services.seller_template_create(seller=request.seller, **fields)

        return _save(request, form, create)
    return _template_form_page(request, form)


@require_GET_or_POST
@seller_required
def template_edit(request: SellerRequest, template_id: int) -> HttpResponse:
    template = _seller_template(request, template_id)
    form = SellerTemplateForm(
        request.POST or None, initial=SellerTemplateForm.initial_for(template)
    )
    if request.method == "POST" and form.is_valid():

        def update(**fields: Any) -> SellerTemplate:
            return template_services.seller_template_update(template=template, **fields)

        return _save(request, form, update, template=template)
    return _template_form_page(request, form, template=template)


@require_POST
@seller_required
def template_duplicate(request: SellerRequest, template_id: int) -> HttpResponse:
    template = _seller_template(request, template_id)
    try:
        copy = template_services.seller_template_duplicate(template=template)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
        return redirect("messaging:templates")
    except MessageRefused as refused:  # the marketing phrases changed since it was saved
        flash.error(request, refused.refusal.message)
        return redirect("messaging:template_edit", template_id=template.pk)
    flash.success(request, f"Template duplicated as “{copy.name}”. Edit the copy below.")
    return redirect("messaging:template_edit", template_id=copy.pk)


@require_POST
@seller_required
def template_delete(request: SellerRequest, template_id: int) -> HttpResponse:
    template = _seller_template(request, template_id)
    name = template.name
    template_services.seller_template_delete(template=template)
    flash.success(request, f"Template “{name}” deleted. Messages sent with it are kept.")
    return redirect("messaging:templates")


# ---- tags


@require_safe
@seller_required
def template_tags(request: SellerRequest) -> HttpResponse:
    tags = list(template_selectors.template_tag_list(seller=request.seller))
    return render(request, "seller_templates/tags.html", {"tags": tags})


def _tags_page_with_error(request: SellerRequest, error: ValidationError) -> HttpResponse:
    flash.error(request, " ".join(error.messages))
    return redirect("messaging:template_tags")


@require_POST
@seller_required
def template_tag_rename(request: SellerRequest, tag_id: int) -> HttpResponse:
    tag = _seller_tag(request, tag_id)
    old_name = tag.name
    form = TagRenameForm(request.POST)
    if not form.is_valid():
        return _tags_page_with_error(request, ValidationError(list(form.errors["name"])))
    try:
        template_services.template_tag_rename(tag=tag, name=form.cleaned_data["name"])
    except ValidationError as error:
        return _tags_page_with_error(request, error)
    flash.success(request, f"Tag “{old_name}” renamed to “{tag.name}”.")
    return redirect("messaging:template_tags")


@require_POST
@seller_required
def template_tag_merge(request: SellerRequest, tag_id: int) -> HttpResponse:
    source = _seller_tag(request, tag_id)
    form = TagMergeForm(
        request.POST,
        tags=template_selectors.template_tag_scope(seller=request.seller).exclude(pk=source.pk),
    )
    if not form.is_valid():
        return _tags_page_with_error(request, ValidationError("Choose a tag to merge into."))
    target: TemplateTag = form.cleaned_data["target"]
    try:
        template_services.template_tag_merge(source=source, target=target)
    except ValidationError as error:
        return _tags_page_with_error(request, error)
    flash.success(request, f"Tag “{source.name}” merged into “{target.name}”.")
    return redirect("messaging:template_tags")


@require_POST
@seller_required
def template_tag_delete(request: SellerRequest, tag_id: int) -> HttpResponse:
    tag = _seller_tag(request, tag_id)
    template_services.template_tag_delete(tag=tag)
    flash.success(request, f"Tag “{tag.name}” deleted. Its templates are kept.")
    return redirect("messaging:template_tags")


# ---- Insert Template


def template_insert_initial(
    request: SellerRequest, *, case: Case | None = None, order: Order | None = None
) -> tuple[dict[str, Any], Refusal | None]:
    """`?template=<id>` on the case page or Contact Buyer (the panel's links without
    JavaScript): (the message form's initial body and template, or why the template cannot be
    filled in for this case). Another seller's template id is not found (404)."""
    raw = request.GET.get("template", "")
    if not raw:
        return {}, None
    template_id = int_param(raw, minimum=1)
    if template_id is None:
        raise Http404("No such template.")
    template = _seller_template(request, template_id)
    values = template_selectors.placeholder_values(seller=request.seller, order=order, case=case)
    filled = template_selectors.template_fill(template, values)
    if filled.refusal is not None:
        return {}, filled.refusal
    return {"body": filled.text, "template": template.pk}, None


@dataclass(frozen=True)
class PlatformOffer:
    """Contact Buyer (R23): the platform text of one available reason as the seller sees it
    (English, filled in for the order) and what the buyer would receive."""

    key: str
    label: str
    subject: str
    body: str
    buyer_language: str  # the language the buyer receives it in, as buyers name it
    translated: bool  # False: no translation in the buyer's language, English is sent


def platform_offers(order: Order, reasons: list[ReasonAvailability]) -> list[PlatformOffer]:
    """The platform text of every reason available for the order, in English with the
    order's values, and the buyer's language (four queries, however many reasons)."""
    keys = [reason.key for reason in reasons if reason.available]
    if not keys:
        return []
    language = template_selectors.buyer_language(buyer_id=order.buyer_id)
    english = template_selectors.platform_texts(keys=keys, language=FALLBACK_LANGUAGE)
    received = template_selectors.platform_texts(keys=keys, language=language)
    values = template_selectors.placeholder_values(seller=order.seller, order=order)
    offers = []
    for reason in reasons:
        text = english.get(reason.key)
        if text is None:
            continue
        subject, subject_refusal = fill_placeholders(text.subject, values.values)
        body, body_refusal = fill_placeholders(text.body, values.values)
        if subject_refusal is None and body_refusal is None:
            offers.append(
                PlatformOffer(
                    key=reason.key,
                    label=reason.label,
                    subject=subject,
                    body=body,
                    buyer_language=template_selectors.language_label(language),
                    translated=received[reason.key].language == language,
                )
            )
    return offers


def _picker_destination(request: SellerRequest) -> tuple[Case | None, Order | None, str]:
    """The case (`?case=`) or order (`?order=`) the panel fills templates for, and the page
    its links open; the seller's own only (404 otherwise)."""
    case_id, number = int_param(request.GET.get("case"), minimum=1), request.GET.get("order", "")
    if case_id is not None:
        case = get_object_or_404(
            case_scope_for_seller(seller=request.seller).select_related("order", "product"),
            pk=case_id,
        )
        return case, None, reverse("messaging:case_detail", args=[case.pk])
    if number:
        # Only the shape an order ID has reaches the database: a NUL byte in `?order=` was a
        # DataError (500) from PostgreSQL, which cannot compare text holding one.
        if not re.fullmatch(ORDER_NUMBER_PATTERN, number):
            raise Http404("No such order.")
        order = get_object_or_404(
            order_selectors.order_scope_for_seller(seller=request.seller), number=number
        )
        return None, order, reverse("messaging:contact_buyer", args=[order.number])
    raise Http404("Insert Template needs a case or an order.")


@require_safe
@vary_on_headers("HX-Request")
@seller_required
def template_picker(request: SellerRequest) -> HttpResponse:
    """The Insert Template panel's list: recently used first, by tag and search, each template
    filled in for the case or order (or why it cannot be). htmx swaps it into the panel;
    without JavaScript it is a page whose links open the message box filled in."""
    case, order, page_url = _picker_destination(request)
    tags = template_selectors.template_tag_scope(seller=request.seller)
    form = TemplateFilterForm(request.GET, tags=tags)
    tag, query = form.selection()
    templates = list(
        template_selectors.seller_template_recent_list(seller=request.seller, tag=tag, query=query)[
            : PICKER_LIMIT + 1
        ]
    )
    values = template_selectors.placeholder_values(seller=request.seller, order=order, case=case)
    return render(
        request,
        page_or_partial(request, PICKER_TEMPLATE, "picker-results"),
        {
            "form": form,
            "case": case,
            "order": order,
            "page_url": page_url,
            "items": [
                template_selectors.template_fill(template, values)
                for template in templates[:PICKER_LIMIT]
            ],
            "more": len(templates) > PICKER_LIMIT,
            "filtered": tag is not None or bool(query),
            "tag": tag,
            "tags": list(tags),
        },
    )
