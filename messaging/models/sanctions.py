"""R30 staff sanctions on a seller's messaging (R35-R39): set by staff in the admin, enforced by
the send funnel's judge, lifted by staff or by beat at the end date. Kept for disputes: a lifted
sanction stays with who lifted it and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SanctionKind(models.TextChoices):
    HOLD_MESSAGE = "hold", "Hold one message for review"
    LIMIT_PROACTIVE = "limit", "Limit proactive messaging"
    SUSPEND = "suspend", "Suspend messaging"


class Sanction(models.Model):
    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(max_length=8, choices=SanctionKind.choices)
    reason = models.TextField(help_text="Shown to the seller's owner, in the banner and emails.")
    # HOLD: the seller's message held back; filled by the send funnel with the next one.
    message = models.ForeignKey(
        "messaging.Message",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Lifted automatically then; empty: until lifted."
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    # None with lifted_at set: lifted by beat at the end date.
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # HOLD: what staff decided on the held message ("released" or "rejected").
    decision = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["seller", "lifted_at"], name="sanction_seller_open")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="sanction_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.seller}"
