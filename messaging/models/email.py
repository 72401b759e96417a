"""The email channel: the addresses a seller may write from (R11), every inbound mail as it came,
and every outbound email before it is sent."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from messaging.models.messages import Message, UndeletableQuerySet


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
    # Sender authentication (SPF, DKIM, DMARC) as checked when the mail came in: only mail that
    # passed is processed, and only its From address (never the envelope sender) hears back.
    authenticated = models.BooleanField("sender authenticated", default=False)
    authenticated_from = models.CharField(max_length=254, blank=True)
    authentication = models.TextField(blank=True)

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
        ORDER_NOTICE = "notice", "Marketplace notice to the buyer (R28, R29)"
        NEW_ORDER = "new_order", "New-order notice to the seller (R28)"
        SANCTION = "sanction", "Staff sanction set or lifted, to the owner (R39)"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # Kept, never sent: too many automatic emails (bounces, confirmations) to one address.
        SUPPRESSED = "suppressed", "Suppressed (rate limit)"

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
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = UndeletableQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbound_status"),
            # The rate limit on automatic emails counts these per address.
            models.Index(
                Lower("recipient"),
                "created_at",
                name="outbound_automatic_recipient",
                condition=models.Q(kind__in=["bounce", "permission"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.get_status_display()})"


# ---- response-time metrics (R21), computed by a periodic task
