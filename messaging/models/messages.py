"""Messages between a buyer and a seller and their attachments; nothing here is ever deleted
(R25)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Direction, Outcome, ResponseState

# What a stored subject holds, every prefix and suffix we add included (the send funnel cuts a
# longer one): the case's subject (cases.Case.subject) is as long, the first message opens it.
SUBJECT_MAX_LENGTH = 200


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
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH)
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
    # When a party last marked, undid or reported it (R15, R16); a one-click link made before
    # then no longer acts, since the message is not what it was when the email went out.
    response_state_changed_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def response_state_version(self) -> int:
        """`response_state_changed_at` as a number a one-click link carries (0: never)."""
        changed = self.response_state_changed_at
        return int(changed.timestamp() * 1_000_000) if changed is not None else 0


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
