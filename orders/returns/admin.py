from django.contrib import admin
from django.http import HttpRequest

from orders.returns.models import ReturnRequest


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    """Returns for staff to read: every step goes through orders.returns.services (the buyer's
    notice and the refund lock), so nothing is added or edited here."""

    list_display = ["order", "seller", "status", "reason", "requested_at"]
    list_filter = ["status", "reason"]
    search_fields = ["order__number", "order__relationship__buyer_alias", "seller__business_name"]
    list_select_related = ["order", "seller"]
    date_hierarchy = "requested_at"

    def get_readonly_fields(
        self, request: HttpRequest, obj: ReturnRequest | None = None
    ) -> list[str]:
        return [field.name for field in ReturnRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ReturnRequest | None = None) -> bool:
        return False
