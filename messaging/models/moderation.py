"""What staff and sellers see about messages: reports (R16), staff warnings, and the notices of
messages blocked by a buyer's opt-out (R4)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messaging.models.messages import Message


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSIVE = "abusive", _("Abusive")
    PHISHING = "phishing", _("Phishing")
    INAPPROPRIATE = "inappropriate", _("Inappropriate")
    OTHER = "other", _("Other")


class MessageReport(models.Model):
    """R16: a party reports a message; staff work through the open ones."""

    class Status(models.TextChoices):
        """Open until staff decide: dismissed (nothing wrong), or action taken (a warning)."""

        OPEN = "open", "Open"
        DISMISSED = "dismissed", "Dismissed"
        ACTION_TAKEN = "action_taken", "Action taken"

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="reports")
    # Empty when the report came from the one-click link of a copy email: the copies address
    # belongs to no user, so the report records that address in `reported_via` instead.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_via = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=13, choices=ReportReason.choices)
    details = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # Who decided (dismissed it or took action) and when; the first decision is kept.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    staff_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="report_once_per_reporter")
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="report_queue")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on message {self.message_id}"


class StaffWarning(models.Model):
    """R16: staff took action on a report by warning one party of its case. The warning is shown
    at the top of that party's message center (the seller's inbox, the buyer's messages) until
    they dismiss it; it is kept afterwards with who issued and who dismissed it."""

    class Party(models.TextChoices):
        SELLER = "seller", "Seller"
        BUYER = "buyer", "Buyer"

    report = models.ForeignKey(MessageReport, on_delete=models.PROTECT, related_name="warnings")
    party = models.CharField(max_length=6, choices=Party.choices)
    # Both parties of the reported message's case; `party` says which one is warned.
    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.PROTECT, related_name="staff_warnings"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_warnings"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "party"], name="warning_once_per_party")
        ]
        indexes = [
            models.Index(fields=["seller", "party", "dismissed_at"], name="warning_seller_open"),
            models.Index(fields=["buyer", "party", "dismissed_at"], name="warning_buyer_open"),
        ]

    def __str__(self) -> str:
        return f"Warning to the {self.party} about report {self.report_id}"


class BlockedMessageNotice(models.Model):
    """R4: the inbox notice that a seller message was blocked, until the seller dismisses it."""

    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.CASCADE, related_name="blocked_notices"
    )
    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="notice")
    created_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["seller", "dismissed_at"], name="notice_seller_open")]

    def __str__(self) -> str:
        return f"Blocked: {self.message}"


# ---- the email channel (SPEC section 5)
