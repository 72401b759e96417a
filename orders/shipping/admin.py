from django.contrib import admin
from django.http import HttpRequest

from orders.shipping.models import CarrierEvent, Shipment


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Recorded by Confirm shipment and carrier events only: staff read them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Shipment)
class ShipmentAdmin(_ReadOnlyAdmin):
    list_display = ["order", "carrier", "tracking_number", "ship_date", "confirmed_by"]
    list_filter = ["carrier", "ship_date"]
    search_fields = ["order__number", "tracking_number"]
    list_select_related = ["order", "confirmed_by"]


@admin.register(CarrierEvent)
class CarrierEventAdmin(_ReadOnlyAdmin):
    list_display = ["carrier", "event_id", "tracking_number", "status", "result", "received_at"]
    list_filter = ["carrier", "status", "result"]
    search_fields = ["event_id", "tracking_number"]
