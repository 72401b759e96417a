"""Every write of seller templates and their tags (R23), and the use the send funnel records.

A template's text meets the rules every seller text meets (R12, with the same words as a refused
message) and uses only known placeholders (R23) before it is stored. Views, the admin, the demo
data and the send funnel call these; reads are in `templates_app.selectors`.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import SellerAccount
from core.refusals import MessageRefused, Refusal
from templates_app.content_rules import refuse_content
from templates_app.models import TAG_NAME_MAX_LENGTH, SellerTemplate, TemplateTag
from templates_app.placeholders import refuse_unknown_placeholders
from templates_app.selectors import marketing_phrases_active

NAME_TAKEN_MSG = "You already have a template named “{name}”. Choose another name."
TAG_TAKEN_MSG = (
    "You already have a tag named “{name}”. To put the two together, merge this tag into it."
)
TAG_TOO_LONG_MSG = "Keep each tag under {limit} characters: “{name}” is longer."
TAG_EMPTY_MSG = "Give the tag a name."
MERGE_SAME_MSG = "Choose another tag to merge into."
MAX_TAGS = 10
TOO_MANY_TAGS_MSG = f"A template can have up to {MAX_TAGS} tags."
COPY_SUFFIX = " (copy)"


def template_text_refusal(*, text: str) -> Refusal | None:
    """Why a template text cannot be saved: an unknown placeholder (R23), or what would refuse
    it as a message (R12, the same words as sending). None when it may be saved."""
    return refuse_unknown_placeholders(text) or refuse_content(
        text=text, marketing_phrases=marketing_phrases_active()
    )


def tag_names_parse(value: str) -> list[str]:
    """ "Shipping, returns , shipping" -> ["Shipping", "returns"]: trimmed, inner spaces
    collapsed, each once (ignoring case), in the order given."""
    names: dict[str, str] = {}
    for part in value.split(","):
        name = " ".join(part.split())
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def _tag_names_check(names: list[str]) -> None:
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": TOO_MANY_TAGS_MSG})
    for name in names:
        if len(name) > TAG_NAME_MAX_LENGTH:
            raise ValidationError(
                {"tags": TAG_TOO_LONG_MSG.format(limit=TAG_NAME_MAX_LENGTH + 1, name=name)}
            )


def template_tags_get_or_create(
    *, seller: SellerAccount, names: Iterable[str]
) -> list[TemplateTag]:
    """The seller's tags of these names (matched ignoring case), created when missing; in the
    order of `names`. Two queries and one insert, however many tags."""
    wanted = {name.casefold(): name for name in names}
    if not wanted:
        return []
    existing = {
        tag.name.casefold(): tag
        for tag in TemplateTag.objects.filter(seller=seller)
        if tag.name.casefold() in wanted
    }
    missing = [
        TemplateTag(seller=seller, name=name) for key, name in wanted.items() if key not in existing
    ]
    if missing:
        TemplateTag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {
            tag.name.casefold(): tag
            for tag in TemplateTag.objects.filter(seller=seller)
            if tag.name.casefold() in wanted
        }
    return [existing[key] for key in wanted if key in existing]


def _text_normalized(text: str) -> str:
    """Line breaks as "\n" whatever the browser sent ("\r\n"), trailing spaces trimmed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _name_check(*, seller: SellerAccount, name: str, exclude_id: int | None = None) -> None:
    others = SellerTemplate.objects.filter(seller=seller, name__iexact=name)
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    if others.exists():
        raise ValidationError({"name": NAME_TAKEN_MSG.format(name=name)})


def _text_check(text: str) -> None:
    """The text's refusal is the one sending it would meet: MessageRefused, as from the funnel."""
    refusal = template_text_refusal(text=text)
    if refusal is not None:
        raise MessageRefused(refusal)


def _save(template: SellerTemplate, tag_names: list[str]) -> SellerTemplate:
    try:
        with transaction.atomic():
            template.save()
            template.tags.set(template_tags_get_or_create(seller=template.seller, names=tag_names))
    except IntegrityError as error:  # the name was taken meanwhile
        raise ValidationError({"name": NAME_TAKEN_MSG.format(name=template.name)}) from error
    return template


def seller_template_create(
    *,
    seller: SellerAccount,
    name: str,
    text: str,
    tag_names: Iterable[str] = (),
    at: datetime | None = None,
) -> SellerTemplate:
    """A new template. Raises MessageRefused when the text breaks R12 or uses an unknown
    placeholder (R23), with the refusal sending the text would meet, and ValidationError (by
    field: name, tags) when another of the seller's templates has the name, or the tags are
    too many or too long."""
    name, text, names = " ".join(name.split()), _text_normalized(text), list(tag_names)
    _name_check(seller=seller, name=name)
    _text_check(text)
    _tag_names_check(names)
    at = at or timezone.now()
    template = SellerTemplate(seller=seller, name=name, text=text, created_at=at, updated_at=at)
    return _save(template, names)


def seller_template_update(
    *, template: SellerTemplate, name: str, text: str, tag_names: Iterable[str]
) -> SellerTemplate:
    """Change a template's name, text and tags, with the checks of `seller_template_create`;
    its use count and last use stay."""
    name, text, names = " ".join(name.split()), _text_normalized(text), list(tag_names)
    _name_check(seller=template.seller, name=name, exclude_id=template.pk)
    _text_check(text)
    _tag_names_check(names)
    template.name, template.text, template.updated_at = name, text, timezone.now()
    return _save(template, names)


def _copy_name(template: SellerTemplate) -> str:
    taken = {
        name.casefold()
        for name in SellerTemplate.objects.filter(
            seller_id=template.seller_id, name__istartswith=template.name
        ).values_list("name", flat=True)
    }
    name, number = f"{template.name}{COPY_SUFFIX}", 2
    while name.casefold() in taken:
        name, number = f"{template.name} (copy {number})", number + 1
    return name


def seller_template_duplicate(*, template: SellerTemplate) -> SellerTemplate:
    """A copy named "<name> (copy)" (or "(copy 2)" …) with the same text and tags, not used
    yet. The text is checked again: the marketing phrases may have changed since."""
    tag_names = [tag.name for tag in template.tags.all()]
    return seller_template_create(
        seller=template.seller, name=_copy_name(template), text=template.text, tag_names=tag_names
    )


def seller_template_delete(*, template: SellerTemplate) -> None:
    """Delete a template; the messages sent with it stay, without the link (SET_NULL)."""
    template.delete()


def template_tag_rename(*, tag: TemplateTag, name: str) -> TemplateTag:
    """Rename a tag on every template that carries it. A name another tag of the seller has
    is refused (merging is its own action)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": TAG_EMPTY_MSG})
    if len(name) > TAG_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": TAG_TOO_LONG_MSG.format(limit=TAG_NAME_MAX_LENGTH + 1, name=name)}
        )
    clash = TemplateTag.objects.filter(seller_id=tag.seller_id, name__iexact=name).exclude(
        pk=tag.pk
    )
    if clash.exists():
        raise ValidationError({"name": TAG_TAKEN_MSG.format(name=name)})
    tag.name = name
    tag.save(update_fields=["name"])
    return tag


@transaction.atomic
def template_tag_merge(*, source: TemplateTag, target: TemplateTag) -> TemplateTag:
    """Merge `source` into `target` (both the seller's): every template tagged `source` is
    tagged `target`, and `source` is gone. Set-based: one insert and one delete."""
    if source.pk == target.pk or source.seller_id != target.seller_id:
        raise ValidationError({"target": MERGE_SAME_MSG})
    through = SellerTemplate.tags.through
    already = through.objects.filter(templatetag_id=target.pk).values("sellertemplate_id")
    moving = (
        through.objects.filter(templatetag_id=source.pk)
        .exclude(sellertemplate_id__in=already)
        .values_list("sellertemplate_id", flat=True)
    )
    through.objects.bulk_create(
        [through(sellertemplate_id=template_id, templatetag_id=target.pk) for template_id in moving]
    )
    source.delete()
    return target


def template_tag_delete(*, tag: TemplateTag) -> None:
    """Delete a tag; the templates that carried it stay, without it."""
    tag.delete()


def seller_template_use_record(*, seller_id: int, template_id: int, at: datetime) -> int | None:
    """The send funnel stored a message started from this template: one more use, last used at
    `at` (never earlier than a later use already recorded). One UPDATE, scoped to the seller:
    another seller's template id records nothing and gives None."""
    updated = SellerTemplate.objects.filter(pk=template_id, seller_id=seller_id).update(
        use_count=F("use_count") + 1,
        last_used_at=Greatest(Coalesce(F("last_used_at"), at), at),
    )
    return template_id if updated else None
