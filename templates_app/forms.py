"""Forms of Manage Templates (R23). The checks on what is saved (R12, placeholders, names) are
the services'; these forms only shape the input."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from core.forms import SearchField
from templates_app.models import (
    TAG_NAME_MAX_LENGTH,
    TEMPLATE_NAME_MAX_LENGTH,
    TEMPLATE_TEXT_MAX_LENGTH,
    SellerTemplate,
    TemplateTag,
)
from templates_app.placeholders import PLACEHOLDERS
from templates_app.services import tag_names_parse

TAGS_HELP = "Separate tags with commas, e.g. “Shipping, Delays”. New tags are created for you."


class SellerTemplateForm(forms.Form):
    """Create Template / Edit Template: Template Name, Template Text and tags."""

    name = forms.CharField(
        label="Template Name",
        max_length=TEMPLATE_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    text = forms.CharField(
        label="Template Text",
        max_length=TEMPLATE_TEXT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 10}),
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=500,
        help_text=TAGS_HELP,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "list": "tag-suggestions"}
        ),
    )

    @classmethod
    def initial_for(cls, template: SellerTemplate) -> dict[str, str]:
        return {
            "name": template.name,
            "text": template.text,
            "tags": ", ".join(tag.name for tag in template.tags.all()),
        }

    def tag_names(self) -> list[str]:
        return tag_names_parse(self.cleaned_data.get("tags", ""))

    @property
    def placeholders(self) -> dict[str, str]:
        return PLACEHOLDERS


class TemplateFilterForm(forms.Form):
    """Manage Templates and Insert Template: a search and one tag."""

    q = SearchField(placeholder="Name or text")
    tag = forms.ModelChoiceField(
        label="Tag",
        required=False,
        queryset=TemplateTag.objects.none(),
        empty_label="All tags",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, tags: QuerySet[TemplateTag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["tag"]).queryset = tags

    def selection(self) -> tuple[TemplateTag | None, str]:
        """(tag, search text); an unknown tag or a too long search is no filter."""
        if not self.is_valid():
            return None, ""
        return self.cleaned_data["tag"], self.cleaned_data["q"].strip()


class TagRenameForm(forms.Form):
    name = forms.CharField(
        label="New name",
        max_length=TAG_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class TagMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="Merge into",
        queryset=TemplateTag.objects.none(),
        empty_label="Choose a tag…",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, tags: QuerySet[TemplateTag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = tags
