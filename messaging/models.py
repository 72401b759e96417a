from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

    SHIPPING_OR_DELIVERY = "shipping_or_delivery", _("Shipping or delivery")
    RETURN_OR_REFUND = "return_or_refund", _("Return or refund")
    PRODUCT_QUESTION = "product_question", _("Product question")
    ORDER_CUSTOMIZATION = "order_customization", _("Order customization")
    OTHER = "other", _("Other")


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
    # The seller template the message was started from (R23), for its use count and analytics;
    # kept as NULL when the seller deletes the template.
    template = models.ForeignKey(
        "templates_app.SellerTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
    # The Message-ID header of the email this message came in as (inbound) or went out as to the
    # buyer (outbound), so replies from a mail client thread back to the case. The same inbound
    # mail to two aliases is two messages with one Message-ID (InboundMail stores it once each).
    email_message_id = models.CharField(max_length=255, null=True, blank=True, db_index=True)
    # How "No Response Needed" was set when no user did it: the one-click link of a copy email.
    no_response_needed_via = models.CharField(max_length=20, blank=True)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="message_case_created"),
            models.Index(fields=["seller", "direction", "created_at"], name="message_seller_dir"),
            # R8: the seller's messages delivered today, counted on every case page and send
            # (index-only: no visit to the message rows).
            models.Index(
                fields=["seller", "created_at"],
                name="message_sent_delivered",
                condition=models.Q(direction="s2b", outcome="delivered"),
            ),
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
    # What the parties download: for JPEG, TIFF and PNG a copy without EXIF (GPS location),
    # text chunks or comments; `size` and `sha256` describe this copy.
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    # The sender's bytes as received, when `file` is a stripped copy; only staff download it,
    # from the admin and the dispute file (R25). Empty when `file` is the sender's file as is.
    original = models.FileField(upload_to=attachment_upload_to, max_length=200, blank=True)
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


class MessagingPermission(models.Model):
    """R11: an address a seller may write from by email, once approved through the link sent to
    it; the owner can block it again. Mail from any other address is refused with a bounce."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        APPROVED = "approved", "Approved"
        BLOCKED = "blocked", "Blocked"

    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.CASCADE, related_name="messaging_permissions"
    )
    email = models.EmailField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the address's own mailbox confirmed it (the link); unblocking restores approval only
    # for a confirmed address.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["seller", "email"], name="permission_once_per_seller")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()}) for {self.seller}"


class InboundMail(models.Model):
    """A raw email to one alias, stored before the relay or webhook says it was accepted, then
    processed by a task into a message, or refused with a reason and a bounce. Kept (R25)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received, not processed yet"
        ACCEPTED = "accepted", "Accepted"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed (see error)"

    class Source(models.TextChoices):
        SMTP = "smtp", "SMTP relay"
        WEBHOOK = "webhook", "Inbound webhook"

    recipient = models.EmailField(max_length=254)
    envelope_from = models.CharField(max_length=254, blank=True)
    header_message_id = models.CharField(max_length=255, blank=True)
    raw = models.BinaryField()
    size = models.PositiveIntegerField()
    source = models.CharField(max_length=7, choices=Source.choices)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RECEIVED)
    rule = models.CharField(max_length=8, blank=True)
    reason = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_mails"
    )

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # The same mail delivered twice to the same alias is stored once.
            models.UniqueConstraint(
                fields=["header_message_id", "recipient"],
                condition=~models.Q(header_message_id=""),
                name="inbound_once_per_alias",
            )
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="inbound_status")]

    def __str__(self) -> str:
        return f"Mail to {self.recipient} ({self.get_status_display()})"


class OutboundEmail(models.Model):
    """One email we send (a message to a buyer, a copy to a seller, a bounce, a confirmation):
    created in the transaction that caused it, sent by a task after commit, retried, never twice
    (one row per idempotency key), each attempt's outcome kept for staff."""

    class Kind(models.TextChoices):
        TO_BUYER = "to_buyer", "Seller message to the buyer"
        COPY_TO_SELLER = "copy", "Copy of a buyer message to the seller"
        BOUNCE = "bounce", "Bounce-back"
        PERMISSION_CONFIRMATION = "permission", "Messaging Permissions confirmation"
        CASE_CLOSING = "closing", "Case closes tomorrow (R10)"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    idempotency_key = models.CharField(max_length=200, unique=True)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="emails"
    )
    inbound_mail = models.ForeignKey(
        InboundMail, null=True, blank=True, on_delete=models.PROTECT, related_name="bounces"
    )
    from_email = models.CharField(max_length=300)
    recipient = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    header_message_id = models.CharField(max_length=255, db_index=True)
    # Everything needed to build the email again on a retry (template context, headers).
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbound_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.get_status_display()})"


# ---- response-time metrics (R21), computed by a periodic task


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
