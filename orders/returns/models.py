"""Returns (R29): a buyer asks to send a shipped or delivered order back; the seller authorizes
it, marks it received and refunds it (through orders.adjustments' `order_refund`), or closes it."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("return", "Requested")
    AUTHORIZED = "authorized", pgettext_lazy("return", "Authorized")
    RECEIVED = "received", pgettext_lazy("return", "Received")
    REFUNDED = "refunded", pgettext_lazy("return", "Refunded")
    CLOSED = "closed", pgettext_lazy("return", "Closed")


# A return is open until it is refunded or closed: the "Return-related question" contact reason
# is offered only then (R5, R29), and an order has at most one open return.
OPEN_RETURN_STATUSES = (ReturnStatus.REQUESTED, ReturnStatus.AUTHORIZED, ReturnStatus.RECEIVED)


class ReturnReason(models.TextChoices):
    DAMAGED = "damaged", pgettext_lazy("return", "The item arrived damaged")
    DEFECTIVE = "defective", pgettext_lazy("return", "The item is defective or does not work")
    NOT_AS_DESCRIBED = "not_as_described", pgettext_lazy("return", "The item is not as described")
    WRONG_ITEM = "wrong_item", pgettext_lazy("return", "I received the wrong item")
    NO_LONGER_NEEDED = "no_longer_needed", pgettext_lazy("return", "I no longer need it")
    OTHER = "other", pgettext_lazy("return", "Another reason")


def return_photo_path(instance: "ReturnRequest", filename: str) -> str:
    """A random name: the buyer's file name never reaches the disk, and URLs cannot be guessed
    (the photo is served by a view that checks who asks, not from MEDIA_URL)."""
    return f"returns/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ReturnRequest(models.Model):
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="return_requests"
    )
    # The order's seller and buyer, kept here so Manage Returns reads one indexed table.
    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.PROTECT, related_name="return_requests"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_requests"
    )
    reason = models.CharField(max_length=20, choices=ReturnReason.choices)
    comment = models.TextField(blank=True, max_length=2000)
    photo = models.ImageField(upload_to=return_photo_path, blank=True, max_length=200)
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # Who did each step (a seller's owner or member) and when.
    authorized_at = models.DateTimeField(null=True, blank=True)
    authorized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refunded_at = models.DateTimeField(null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=[s.value for s in OPEN_RETURN_STATUSES]),
                name="return_one_open_per_order",
            ),
        ]
        indexes = [
            models.Index(fields=["seller", "-requested_at", "-id"], name="return_seller_requested"),
            models.Index(
                fields=["seller", "status", "-requested_at", "-id"],
                name="return_seller_status_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"Return of {self.order} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RETURN_STATUSES
