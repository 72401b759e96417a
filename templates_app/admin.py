"""Staff edit the platform templates and their translations (R23), read and correct sellers'
templates and tags, and keep the marketing-phrase list of R12.

Every text staff save here meets the checks a seller's text meets (R12 and known placeholders,
R23); sellers' templates and tags are changed through `templates_app.services`.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from templates_app.models import (
    FALLBACK_LANGUAGE,
    MarketingPhrase,
    PlatformTemplate,
    PlatformTemplateTranslation,
    SellerTemplate,
    TemplateTag,
)
from templates_app.services import (
    NAME_TAKEN_MSG,
    TAG_TAKEN_MSG,
    seller_template_update,
    template_tag_rename,
    template_text_refusal,
)

ENGLISH_REQUIRED_MSG = "Every platform template needs its English text: it is the fallback."


@admin.register(MarketingPhrase)
class MarketingPhraseAdmin(admin.ModelAdmin):
    """R12: the marketing and coupon phrases seller messages may not contain."""

    list_display = ["phrase", "active", "created_at"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["phrase"]


def _text_errors(form: forms.ModelForm, *fields: str) -> None:
    """The R12 and placeholder checks a seller's template meets, on each text field."""
    for name in fields:
        value = form.cleaned_data.get(name)
        refusal = template_text_refusal(text=value) if value else None
        if refusal is not None:
            form.add_error(name, refusal.message)


class PlatformTranslationForm(forms.ModelForm):
    class Meta:
        model = PlatformTemplateTranslation
        fields = ["language", "subject", "body"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _text_errors(self, "subject", "body")
        assert cleaned is not None
        return cleaned


class PlatformTranslationFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        languages = {
            form.cleaned_data.get("language")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if FALLBACK_LANGUAGE not in languages:
            raise forms.ValidationError(ENGLISH_REQUIRED_MSG)


class PlatformTranslationInline(admin.StackedInline):
    model = PlatformTemplateTranslation
    form = PlatformTranslationForm
    formset = PlatformTranslationFormSet
    extra = 0
    min_num = 1


@admin.register(PlatformTemplate)
class PlatformTemplateAdmin(admin.ModelAdmin):
    """R23: a text per Contact Buyer reason and the review request, in each language buyers
    may prefer; the buyer receives their language, English when it is missing. The keys are
    the ones the code sends, so staff change texts but add or delete no template."""

    list_display = ["name", "key", "languages", "updated_at"]
    readonly_fields = ["key"]
    fields = ["key", "name", "position"]
    inlines = [PlatformTranslationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PlatformTemplate]:
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description="languages")
    def languages(self, obj: PlatformTemplate) -> str:
        return ", ".join(t.language for t in obj.translations.all())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: PlatformTemplate, form: forms.ModelForm, change: bool
    ) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool
    ) -> None:
        for translation_form in formset.forms:
            if translation_form.has_changed():
                translation_form.instance.updated_at = timezone.now()
        super().save_formset(request, form, formset, change)


@admin.register(PlatformTemplateTranslation)
class PlatformTemplateTranslationAdmin(admin.ModelAdmin):
    form = PlatformTranslationForm
    list_display = ["template", "language", "subject", "updated_at"]
    list_filter = ["language", "template"]
    list_select_related = ["template"]
    search_fields = ["subject", "body", "template__name", "template__key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # translations are added on their template's page

    def save_model(
        self,
        request: HttpRequest,
        obj: PlatformTemplateTranslation,
        form: forms.ModelForm,
        change: bool,
    ) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


class SellerTemplateForm(forms.ModelForm):
    class Meta:
        model = SellerTemplate
        fields = ["name", "text"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _text_errors(self, "text")
        assert cleaned is not None
        name = cleaned.get("name")
        others = SellerTemplate.objects.filter(seller_id=self.instance.seller_id, name__iexact=name)
        if name and others.exclude(pk=self.instance.pk).exists():
            self.add_error("name", NAME_TAKEN_MSG.format(name=name))
        return cleaned


@admin.register(SellerTemplate)
class SellerTemplateAdmin(admin.ModelAdmin):
    """A seller's templates (R23): staff read them and may correct a name or text (with the
    checks sellers meet) or delete one; sellers create them on Manage Templates."""

    form = SellerTemplateForm
    list_display = ["name", "seller", "use_count", "last_used_at", "updated_at"]
    list_filter = ["seller"]
    list_select_related = ["seller"]
    search_fields = ["name", "text", "seller__business_name"]
    readonly_fields = ["seller", "tag_names", "use_count", "last_used_at", "created_at"]
    fields = ["seller", "name", "text", "tag_names", "use_count", "last_used_at", "created_at"]

    @admin.display(description="tags")
    def tag_names(self, obj: SellerTemplate) -> str:
        return ", ".join(tag.name for tag in obj.tags.all()) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: SellerTemplate, form: forms.ModelForm, change: bool
    ) -> None:
        seller_template_update(
            template=obj,
            name=form.cleaned_data["name"],
            text=form.cleaned_data["text"],
            tag_names=[tag.name for tag in obj.tags.all()],
        )


class TemplateTagForm(forms.ModelForm):
    class Meta:
        model = TemplateTag
        fields = ["name"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
        name = cleaned.get("name")
        others = TemplateTag.objects.filter(seller_id=self.instance.seller_id, name__iexact=name)
        if name and others.exclude(pk=self.instance.pk).exists():
            self.add_error("name", TAG_TAKEN_MSG.format(name=name))
        return cleaned


@admin.register(TemplateTag)
class TemplateTagAdmin(admin.ModelAdmin):
    """A seller's template tags; a rename goes through the service (no two tags of a seller
    share a name)."""

    form = TemplateTagForm
    list_display = ["name", "seller", "created_at"]
    list_filter = ["seller"]
    list_select_related = ["seller"]
    search_fields = ["name", "seller__business_name"]
    readonly_fields = ["seller", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: TemplateTag, form: forms.ModelForm, change: bool
    ) -> None:
        template_tag_rename(tag=obj, name=form.cleaned_data["name"])
