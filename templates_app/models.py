"""Every text a seller may send that is not typed afresh: the seller's own templates and their
tags (R23), the platform's templates per contact reason and for the review request in the
buyer's language (R23, R5, R17), and the marketing phrases no seller text may contain (R12)."""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import BuyerProfile
from core.validators import validate_one_line

TEMPLATE_NAME_MAX_LENGTH = 100
TEMPLATE_TEXT_MAX_LENGTH = 8000  # what a message body may hold (messaging.forms.BODY_MAX_LENGTH)
TAG_NAME_MAX_LENGTH = 40


class MarketingPhrase(models.Model):
    """R12: marketing and coupon phrases seller messages may not contain; staff edit the list."""

    phrase = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The model moved here from messaging (templates_app/0002); its table kept its name.
        db_table = "messaging_marketingphrase"
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase


class TemplateTag(models.Model):
    """A seller's label for templates ("Shipping", "Returns"), created on the fly when a
    template names it; renamed and merged on Manage Templates."""

    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.CASCADE, related_name="template_tags"
    )
    name = models.CharField(max_length=TAG_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint(
                "seller", Lower("name"), name="template_tag_unique_name_per_seller"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SellerTemplate(models.Model):
    """A seller's own reply template (R23): any member of the seller uses and manages it.

    The text may hold the placeholders of `templates_app.placeholders`, filled from the case
    and order when the template is inserted into a message box. `last_used_at` and `use_count`
    are kept by the send funnel, one UPDATE per message sent with the template.
    """

    seller = models.ForeignKey(
        "accounts.SellerAccount", on_delete=models.CASCADE, related_name="templates"
    )
    name = models.CharField("template name", max_length=TEMPLATE_NAME_MAX_LENGTH)
    text = models.TextField("template text", max_length=TEMPLATE_TEXT_MAX_LENGTH)
    tags = models.ManyToManyField(TemplateTag, blank=True, related_name="templates")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = [
            # Two sellers may share a name; one seller's names differ (ignoring case).
            models.UniqueConstraint(
                "seller", Lower("name"), name="seller_template_unique_name_per_seller"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlatformTemplate(models.Model):
    """A text the marketplace supplies (R23): one per Contact Buyer reason (R5) and the review
    request (R17). Staff edit it and its translations in the admin; the buyer receives it in
    their preferred language, English when there is no translation."""

    # A Contact Buyer reason key (messaging.policy.CONTACT_REASON_RULES) or "review_request".
    key = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.name


# The languages platform templates come in: those a buyer may prefer (R23).
Language = BuyerProfile.Language
FALLBACK_LANGUAGE = Language.ENGLISH


class PlatformTemplateTranslation(models.Model):
    template = models.ForeignKey(
        PlatformTemplate, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(max_length=2, choices=Language.choices)
    subject = models.CharField(max_length=200, validators=[validate_one_line])
    body = models.TextField(max_length=TEMPLATE_TEXT_MAX_LENGTH)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["template", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "language"], name="platform_translation_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.get_language_display()})"
