from django.contrib import admin
from django.http import HttpRequest

from orders.adjustments.models import Refund


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    """Staff read refunds here; they are made in Manage Orders and Manage Returns, where
    order_refund keeps them within what the buyer paid, so none is added or changed here."""

    list_display = ["order", "amount", "currency", "reason", "source", "actor", "created_at"]
    list_filter = ["reason", "source"]
    search_fields = ["order__number"]
    list_select_related = ["order", "actor"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "order", "amount", "currency", "reason", "actor", "created_at", "source", "source_id"
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Refund | None = None) -> bool:
        return False
