from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ORDER_NUMBER_PATTERN = r"\d{3}-\d{7}-\d{7}"


class Category(models.Model):
    """Product category; its flags decide which contact reasons a seller may use (R5)."""

    name = models.CharField(max_length=100, unique=True)
    customizable = models.BooleanField(default=False)
    scheduled_delivery = models.BooleanField(default=False)
    warranty = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.CASCADE, related_name="products"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(max_length=200)
    sku = models.CharField("SKU", max_length=40)
    price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "sku"], name="product_unique_sku_per_seller")
        ]

    def __str__(self) -> str:
        return self.title


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    UNSHIPPED = "unshipped", _("Unshipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELED = "canceled", _("Canceled")


class Order(models.Model):
    """An order; `number` is the 17-digit order ID shown as 123-1234567-1234567."""

    number = models.CharField(
        "order ID",
        max_length=19,
        unique=True,
        validators=[
            RegexValidator(rf"^{ORDER_NUMBER_PATTERN}$", "Use the form 123-1234567-1234567.")
        ],
    )
    # The 17 digits without dashes, kept by the database: Manage Orders searches them (one
    # trigram-indexed LIKE on PostgreSQL, orders/0003) whatever dashes the seller typed.
    number_digits = models.GeneratedField(
        expression=Replace("number", models.Value("-"), models.Value("")),
        output_field=models.CharField(max_length=17),
        db_persist=True,
        verbose_name="order ID digits",
    )
    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.PROTECT, related_name="orders"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    # The buyer-seller relationship holds both aliases (R1); set when the order is placed.
    relationship = models.ForeignKey(
        "accounts.Relationship", on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    placed_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)
    ship_name = models.CharField("ship-to name", max_length=150)
    ship_address = models.TextField("ship-to address")
    ship_phone = models.CharField("ship-to phone", max_length=40, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    items_total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    shipping_total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["-placed_at", "-id"]
        # Manage Orders lists a seller's orders in this order (and the report reads them so):
        # with `-id` in the index, a page (or the capped count) stops after its rows instead of
        # sorting every order placed at the same time, and the count reads the index only.
        indexes = [
            models.Index(fields=["seller", "-placed_at", "-id"], name="order_seller_placed_id"),
            models.Index(
                fields=["seller", "status", "-placed_at", "-id"],
                name="order_seller_status_placed_id",
            ),
            models.Index(fields=["buyer", "-placed_at"], name="order_buyer_placed"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_pending(self) -> bool:
        return self.status == OrderStatus.PENDING

    @property
    def completed_at(self):
        """Completion is delivery or cancellation (R6 counts from it)."""
        return self.delivered_at or self.canceled_at


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items")
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class OrderStatusChange(models.Model):
    """The time of each status change of an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=10, choices=OrderStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    # The seller's owner or member who made the change; empty for the marketplace, a carrier's
    # event or the demo data.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} → {self.get_status_display()} at {self.changed_at:%Y-%m-%d %H:%M}"


# The order side's sub-packages keep their models with their code; they belong to this app.
from orders.adjustments.models import Refund  # noqa: E402, F401
from orders.returns.models import ReturnRequest  # noqa: E402, F401
from orders.shipping.models import CarrierEvent, Shipment  # noqa: E402, F401
