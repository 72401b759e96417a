"""Read-only admin building blocks: staff read everything, nothing is deleted (R25)."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    # NoDeleteActionMixin goes before ModelAdmin in an admin's bases: its `super()` is ModelAdmin.
    _ModelAdminBase = ModelAdmin[Any]
else:
    _ModelAdminBase = object


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
