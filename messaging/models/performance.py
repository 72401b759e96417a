"""Response-time metrics (R21): the daily figures and how far they have been computed."""

from django.db import models
from django.utils import timezone


class ResponseTimeDaily(models.Model):
    """R21 for one seller and one day (UTC) of buyer messages: how those messages were answered.
    Recomputed by `messaging.performance.services`, so the dashboard reads a few rows."""

    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.CASCADE, related_name="response_days"
    )
    day = models.DateField()
    # Buyer messages needing a response whose fate is known (answered, or unanswered for more
    # than 24 hours, or on a case closed before any reply); younger unanswered ones wait.
    counted = models.PositiveIntegerField(default=0)
    within_target = models.PositiveIntegerField(default=0)
    later = models.PositiveIntegerField(default=0)
    unanswered = models.PositiveIntegerField(default=0)
    response_seconds_total = models.BigIntegerField(default=0)  # over the answered ones
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seller", "day"]
        constraints = [models.UniqueConstraint(fields=["seller", "day"], name="response_day_once")]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.day}: {self.within_target}/{self.counted} within target"


class MetricsWatermark(models.Model):
    """How far the metrics task has read: changes after `changed_after` are still to be counted."""

    name = models.CharField(max_length=40, unique=True)
    changed_after = models.DateTimeField()
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name}: {self.changed_after:%Y-%m-%d %H:%M}"
