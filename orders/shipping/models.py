"""A confirmed shipment of an order and the carrier events received for it.

The models belong to the `orders` app (orders/models.py imports them), so they live in its
migrations; this package keeps shipping's code together.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Carrier(models.TextChoices):
    # Carriers' names are proper names, shown as they are in every language.
    UPS = "ups", "UPS"
    USPS = "usps", "USPS"
    FEDEX = "fedex", "FedEx"
    DHL = "dhl", "DHL"
    ROYAL_MAIL = "royal_mail", "Royal Mail"
    DEUTSCHE_POST = "deutsche_post", "Deutsche Post"
    JAPAN_POST = "japan_post", "Japan Post"
    OTHER = "other", _("Other")


class Shipment(models.Model):
    """What the seller confirmed from Manage Orders: one per order."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="shipment")
    carrier = models.CharField(max_length=20, choices=Carrier.choices)
    # The carrier's name when `carrier` is Other.
    carrier_other = models.CharField("other carrier", max_length=60, blank=True)
    # Upper case without spaces (orders.shipping.rules.tracking_number_clean), as carriers send it.
    tracking_number = models.CharField(max_length=40)
    ship_date = models.DateField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "orders"
        # Carrier events find their shipments by these two.
        indexes = [
            models.Index(fields=["carrier", "tracking_number"], name="shipment_carrier_tracking")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.carrier_name} {self.tracking_number}"

    @property
    def carrier_name(self) -> str:
        if self.carrier == Carrier.OTHER:
            return self.carrier_other
        return self.get_carrier_display()


class CarrierEvent(models.Model):
    """A carrier's event, stored once: the unique (carrier, event_id) makes a repeated or
    concurrent delivery of the same event change nothing the second time."""

    carrier = models.CharField(max_length=20, choices=Carrier.choices)
    event_id = models.CharField(max_length=100)
    tracking_number = models.CharField(max_length=40)
    status = models.CharField(max_length=20)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    # What the event did, as answered to the carrier (answered again for a repeat).
    result = models.CharField(max_length=20)

    class Meta:
        app_label = "orders"
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "event_id"], name="carrier_event_unique_per_carrier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.event_id}: {self.status}"
