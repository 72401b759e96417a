from django.contrib import admin
from django.http import HttpRequest

from core.admin import LenientAutocompleteMixin
from orders.models import Category, Order, OrderItem, OrderStatusChange, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "customizable", "scheduled_delivery", "warranty"]
    list_filter = ["customizable", "scheduled_delivery", "warranty"]
    search_fields = ["name"]


@admin.register(Product)
class ProductAdmin(LenientAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "sku", "seller", "category", "price"]
    list_filter = ["category", "seller"]
    search_fields = ["title", "sku", "seller__business_name"]
    list_select_related = ["seller", "category"]
    autocomplete_fields = ["seller", "category"]


class OrderItemInline(LenientAutocompleteMixin, admin.TabularInline):
    model = OrderItem
    extra = 0
    autocomplete_fields = ["product"]


class OrderStatusChangeInline(admin.TabularInline):
    model = OrderStatusChange
    extra = 0
    readonly_fields = ["status", "changed_at"]
    can_delete = False


@admin.register(Order)
class OrderAdmin(LenientAutocompleteMixin, admin.ModelAdmin):
    list_display = ["number", "seller", "buyer", "buyer_alias", "status", "placed_at", "total"]
    list_filter = ["status", "seller", "placed_at"]
    search_fields = [
        "number",
        "buyer__email",
        "relationship__buyer_alias",
        "relationship__seller_alias",
        "ship_name",
    ]
    list_select_related = ["seller", "buyer", "relationship"]
    date_hierarchy = "placed_at"
    autocomplete_fields = ["seller", "buyer", "relationship"]
    inlines = [OrderItemInline, OrderStatusChangeInline]

    @admin.display(description="buyer alias", ordering="relationship__buyer_alias")
    def buyer_alias(self, order: Order) -> str:
        return order.relationship.buyer_alias


@admin.register(OrderItem)
class OrderItemAdmin(LenientAutocompleteMixin, admin.ModelAdmin):
    list_display = ["order", "product", "quantity", "unit_price"]
    search_fields = ["order__number", "product__title", "product__sku"]
    list_select_related = ["order", "product"]
    autocomplete_fields = ["order", "product"]


@admin.register(OrderStatusChange)
class OrderStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["order", "status", "changed_at"]
    list_filter = ["status"]
    search_fields = ["order__number"]
    list_select_related = ["order"]
    date_hierarchy = "changed_at"
    readonly_fields = ["order", "status", "changed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Every field is read-only, so an added change had no order: an IntegrityError (500).
        Status changes are recorded when an order's status changes."""
        return False


# The order side's sub-packages register their own models.
from orders.adjustments import admin as adjustments_admin  # noqa: E402, F401
from orders.returns import admin as returns_admin  # noqa: E402, F401
from orders.shipping import admin as shipping_admin  # noqa: E402, F401
