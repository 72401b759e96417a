"""Read-only admin building blocks: staff read everything, nothing is deleted (R25)."""

from django.http import HttpRequest


class ReadOnlyPermissionsMixin:
    """R25: staff with view permission read every field; nobody adds, changes or deletes."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class NoDeleteActionMixin:
    """Without delete permission Django hides "Delete selected" already; this makes it explicit."""

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdminMixin(NoDeleteActionMixin, ReadOnlyPermissionsMixin):
    pass


class ReadOnlyInlineMixin(ReadOnlyPermissionsMixin):
    extra = 0
    can_delete = False
    show_change_link = True
