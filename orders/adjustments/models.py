"""Refunds of an order: what a full adjustment (a cancellation) or a return gave back."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class RefundReason(models.TextChoices):
    """The reason codes of an order adjustment: codes in the data (as the marketplace's
    adjustment feeds spell them), words for people, in the buyer's language in their notices."""

    NO_INVENTORY = "NoInventory", pgettext_lazy("refund reason", "No inventory")
    COULD_NOT_SHIP = "CouldNotShip", pgettext_lazy("refund reason", "Could not ship")
    BUYER_CANCELED = "BuyerCanceled", pgettext_lazy("refund reason", "Buyer canceled")
    GENERAL_ADJUSTMENT = "GeneralAdjustment", pgettext_lazy("refund reason", "General adjustment")
    SHIPPING_ADDRESS_UNDELIVERABLE = (
        "ShippingAddressUndeliverable",
        pgettext_lazy("refund reason", "Shipping address undeliverable"),
    )
    CUSTOMER_EXCHANGE = "CustomerExchange", pgettext_lazy("refund reason", "Customer exchange")
    PRICE_ERROR = "PriceError", pgettext_lazy("refund reason", "Price error")


class RefundSource(models.TextChoices):
    ADJUSTMENT = "adjustment", "Order adjustment"
    RETURN = "return", "Return"


class Refund(models.Model):
    """Money given back on an order, in the order's currency. The sum of an order's refunds
    never exceeds its total (`order_refund` holds the order's row lock while it checks)."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=40, choices=RefundReason.choices)
    # The seller's owner or member who refunded; empty for the marketplace.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # What the refund came from: an adjustment in Manage Orders, or a return (source_id is the
    # return's id; orders.returns owns that model, so no foreign key here).
    source = models.CharField(
        max_length=20, choices=RefundSource.choices, default=RefundSource.ADJUSTMENT
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]
        indexes = [models.Index(fields=["source", "source_id"], name="refund_source")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} on {self.order_id} ({self.reason})"
