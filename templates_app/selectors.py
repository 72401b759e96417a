"""Reads of templates and the texts a seller may send, always scoped to the seller asking."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from accounts.models import BuyerProfile, SellerAccount
from cases.models import Case
from core.refusals import Refusal
from orders.adjustments.models import RefundReason
from orders.adjustments.selectors import order_cancel_reason
from orders.models import Order, OrderItem
from templates_app.models import (
    FALLBACK_LANGUAGE,
    Language,
    MarketingPhrase,
    PlatformTemplateTranslation,
    SellerTemplate,
    TemplateTag,
)
from templates_app.placeholders import fill_placeholders

NO_ORDER_WHY = "This question has no order"


def marketing_phrases_active() -> tuple[str, ...]:
    """R12: the phrases staff keep active (the content rules take them as plain values)."""
    return tuple(MarketingPhrase.objects.filter(active=True).values_list("phrase", flat=True))


# ---- seller templates and tags


def _tags() -> "Prefetch[str, QuerySet[TemplateTag], str]":
    return Prefetch("tags", queryset=TemplateTag.objects.order_by(Lower("name"), "id"))


def seller_template_scope(*, seller: SellerAccount) -> QuerySet[SellerTemplate]:
    """Every template of the seller: views answer 404 for any other id."""
    return SellerTemplate.objects.filter(seller=seller)


def template_tag_scope(*, seller: SellerAccount) -> QuerySet[TemplateTag]:
    return TemplateTag.objects.filter(seller=seller)


def _filtered(
    templates: QuerySet[SellerTemplate], *, tag: TemplateTag | None, query: str
) -> QuerySet[SellerTemplate]:
    if tag is not None:
        templates = templates.filter(tags=tag)
    query = query.strip()
    if query:
        templates = templates.filter(Q(name__icontains=query) | Q(text__icontains=query))
    return templates.prefetch_related(_tags())


def seller_template_list(
    *, seller: SellerAccount, tag: TemplateTag | None = None, query: str = ""
) -> QuerySet[SellerTemplate]:
    """Manage Templates: the seller's templates by name, optionally with one tag and matching
    a search in name or text; tags prefetched (one query for every row)."""
    templates = seller_template_scope(seller=seller).order_by(Lower("name"), "id")
    return _filtered(templates, tag=tag, query=query)


def seller_template_recent_list(
    *, seller: SellerAccount, tag: TemplateTag | None = None, query: str = ""
) -> QuerySet[SellerTemplate]:
    """Insert Template: recently used first, never-used ones after them by name."""
    templates = seller_template_scope(seller=seller).order_by(
        F("last_used_at").desc(nulls_last=True), Lower("name"), "id"
    )
    return _filtered(templates, tag=tag, query=query)


def template_tag_list(*, seller: SellerAccount) -> QuerySet[TemplateTag]:
    """The seller's tags by name, each with how many templates carry it."""
    return (
        template_tag_scope(seller=seller)
        .annotate(template_count=Count("templates"))
        .order_by(Lower("name"), "id")
    )


# ---- placeholder values


@dataclass(frozen=True)
class PlaceholderValues:
    """What the placeholders of a template become for one case or order; None where there is
    no value (`why_missing` says why)."""

    values: dict[str, str | None]
    why_missing: str = ""


def _product_names(titles: Iterable[str]) -> str | None:
    """The products, each once, separated by commas (no "and": the text may be in any of the
    buyer's languages)."""
    names = list(dict.fromkeys(titles))
    return ", ".join(names) if names else None


def _adjustment_reason_words(order: Order | None) -> str | None:
    """The reason the seller canceled the order for, in the active language (R28), or None."""
    reason = order_cancel_reason(order) if order is not None else ""
    return str(RefundReason(reason).label) if reason else None


def placeholder_values(
    *, seller: SellerAccount, order: Order | None = None, case: Case | None = None
) -> PlaceholderValues:
    """R23: `{buyer_name}` is the order's ship-to name, `{order_number}` its ID,
    `{business_name}` the seller's, `{product_name}` the product the case is about or else the
    order's products, `{adjustment_reason}` the reason a canceled order was canceled for. A
    case without an order ("Ask a question", R24) has no order values."""
    if case is not None and order is None:
        order = case.order
    product = case.product if case is not None else None
    titles: list[str] = []
    if product is not None:
        titles = [product.title]
    elif order is not None:
        titles = list(
            OrderItem.objects.filter(order=order)
            .order_by("id")
            .values_list("product__title", flat=True)
        )
    return PlaceholderValues(
        values={
            "buyer_name": order.ship_name if order is not None else None,
            "order_number": order.number if order is not None else None,
            "business_name": seller.business_name,
            "product_name": _product_names(titles),
            "adjustment_reason": _adjustment_reason_words(order),
        },
        why_missing="" if order is not None else NO_ORDER_WHY,
    )


@dataclass(frozen=True)
class FilledTemplate:
    """A template as Insert Template offers it for one case or order: its text with the
    placeholders filled in, or why it cannot be (then `text` is the template's own)."""

    template: SellerTemplate
    text: str
    refusal: Refusal | None


def template_fill(template: SellerTemplate, values: PlaceholderValues) -> FilledTemplate:
    text, refusal = fill_placeholders(template.text, values.values, why_missing=values.why_missing)
    return FilledTemplate(template, text, refusal)


# ---- platform templates


@dataclass(frozen=True)
class PlatformText:
    key: str
    language: str  # the language of this text (the fallback's when there was no translation)
    subject: str
    body: str


def buyer_language(*, buyer_id: int) -> str:
    """The buyer's preferred language (R23); English without a profile."""
    language = (
        BuyerProfile.objects.filter(user_id=buyer_id)
        .values_list("preferred_language", flat=True)
        .first()
    )
    return language or FALLBACK_LANGUAGE


def platform_texts(*, keys: Iterable[str], language: str) -> dict[str, PlatformText]:
    """The platform templates of `keys` in `language`, each falling back to English when it
    has no translation in that language (R23); keys without any text are left out. One query."""
    keys = list(keys)
    rows = (
        PlatformTemplateTranslation.objects.filter(
            template__key__in=keys, language__in={language, FALLBACK_LANGUAGE}
        )
        .values_list("template__key", "language", "subject", "body")
        .order_by()
    )
    found: dict[str, PlatformText] = {}
    for key, row_language, subject, body in rows:
        if key not in found or row_language == language:
            found[key] = PlatformText(key, row_language, subject, body)
    return {key: found[key] for key in keys if key in found}


def platform_text(*, key: str, language: str) -> PlatformText | None:
    """One platform template in `language`, or in English when it has no such translation."""
    return platform_texts(keys=[key], language=language).get(key)


def language_label(language: str) -> str:
    """A language as buyers name it ("Deutsch"), for telling the seller what the buyer gets."""
    try:
        return str(Language(language).label)
    except ValueError:
        return language
