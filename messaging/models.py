from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Direction, Outcome, ResponseState


class UndeletableQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError(f"{self.model.__name__} rows are kept for dispute resolution (R25).")


class Channel(models.TextChoices):
    WEB = "web", "Web"
    EMAIL = "email", "Email"
    SYSTEM = "system", "System"


class SellerContactReason(models.TextChoices):
    """Why a seller contacts a buyer (R5); the first three are critical (R3)."""

    PRODUCT_CUSTOMIZATION = "product_customization", "Product customization question"
    DELIVERY_SCHEDULING = "delivery_scheduling", "Delivery scheduling"
    SHIPPING_ADDRESS = "shipping_address", "Shipping address issue"
    UNEXPECTED_PROBLEM = "unexpected_problem", "Unexpected problem with the order"
    ADDITIONAL_INFORMATION = "additional_information", "Additional information required"
    RETURN_QUESTION = "return_question", "Return-related question"
    WARRANTY = "warranty", "Warranty information"
    INVOICE = "invoice", "Invoice"
    REVIEW_REQUEST = "review_request", "Request a Review"


class BuyerContactReason(models.TextChoices):
    """Why a buyer writes to a seller (the buyer's contact-seller page)."""

    SHIPPING_OR_DELIVERY = "shipping_or_delivery", "Shipping or delivery"
    RETURN_OR_REFUND = "return_or_refund", "Return or refund"
    PRODUCT_QUESTION = "product_question", "Product question"
    ORDER_CUSTOMIZATION = "order_customization", "Order customization"
    OTHER = "other", "Other"


class Message(models.Model):
    """One message of a case. Kept forever for dispute resolution (R25): nothing deletes it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="messages")
    # Denormalized from the case so every query can be scoped to the seller cheaply.
    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.PROTECT, related_name="messages"
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=6, choices=Channel.choices, default=Channel.WEB)
    contact_reason = models.CharField(max_length=40, blank=True)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True, help_text="Sanitized (bleach) before it is stored.")
    is_critical = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    outcome = models.CharField(max_length=9, choices=Outcome.choices, default=Outcome.DELIVERED)
    outcome_rule = models.CharField(max_length=4, blank=True)
    outcome_reason = models.TextField(blank=True)

    response_state = models.CharField(
        max_length=20,
        choices=ResponseState.choices,
        blank=True,
        default=ResponseState.NOT_APPLICABLE,
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    no_response_needed_at = models.DateTimeField(null=True, blank=True)
    no_response_needed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Inbound email: the same Message-ID is stored once.
    email_message_id = models.CharField(max_length=255, null=True, blank=True, unique=True)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="message_case_created"),
            models.Index(fields=["seller", "direction", "created_at"], name="message_seller_dir"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.subject}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Messages are kept for dispute resolution (R25).")

    @property
    def from_buyer(self) -> bool:
        return self.direction == Direction.BUYER_TO_SELLER


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    """Stored names are generated, never taken from the sender (R13)."""
    import uuid

    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    # Shown to the parties; cleaned of path parts, control and bidi characters (R13).
    display_name = models.CharField(max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name

    def delete(self, *args, **kwargs):
        raise PermissionError("Attachments are kept for dispute resolution (R25).")


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSIVE = "abusive", "Abusive"
    PHISHING = "phishing", "Phishing"
    INAPPROPRIATE = "inappropriate", "Inappropriate"
    OTHER = "other", "Other"


class MessageReport(models.Model):
    """R16: a party reports a message; staff work through the open ones."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REVIEWED = "reviewed", "Reviewed"

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=13, choices=ReportReason.choices)
    details = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
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


class MarketingPhrase(models.Model):
    """R12: marketing and coupon phrases seller messages may not contain; staff edit the list."""

    phrase = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase


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
