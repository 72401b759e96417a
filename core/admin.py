"""Admin building blocks: read-only admins (staff read everything, nothing is deleted, R25),
and autocomplete fields that survive a value their key cannot hold."""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import ForeignKey, Model
from django.forms import ModelChoiceField
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin
    from django.contrib.admin.options import BaseModelAdmin

    # NoDeleteActionMixin goes before ModelAdmin in an admin's bases: its `super()` is ModelAdmin.
    _ModelAdminBase = ModelAdmin[Any]
    _BaseModelAdmin = BaseModelAdmin[Any]
else:
    _ModelAdminBase = object
    _BaseModelAdmin = object


class ReadOnlyPermissionsMixin:
    """R25: staff with view permission read every field; nobody adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class NoDeleteActionMixin(_ModelAdminBase):
    """Without delete permission Django hides "Delete selected" already; this makes it explicit."""

    def get_actions(
        self, request: HttpRequest
    ) -> dict[str, tuple[Callable[..., str], str, str] | None]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdminMixin(ReadOnlyPermissionsMixin, NoDeleteActionMixin):
    pass


class ReadOnlyInlineMixin(ReadOnlyPermissionsMixin):
    extra = 0
    can_delete = False
    show_change_link = True


class LenientAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete looks the submitted value up to show it again; a value the key
    cannot hold (text, a NUL byte, for an integer id) raised ValueError there, so the change form
    that had just refused it with "Select a valid choice" was a 500 instead. Such a value is
    shown as no choice."""

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        remote = self.field.remote_field
        opts = remote.model._meta
        key = opts.get_field(getattr(remote, "field_name", None) or opts.pk.attname)
        usable = []
        for each in value:
            try:
                key.get_prep_value(each)
            except (TypeError, ValueError):
                continue
            usable.append(each)
        return super().optgroups(name, usable, attr)


class LenientAutocompleteMixin(_BaseModelAdmin):
    """For an admin or inline with autocomplete_fields: LenientAutocompleteSelect for each."""

    def formfield_for_foreignkey(
        self, db_field: "ForeignKey[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> "ModelChoiceField[Any] | None":
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LenientAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
