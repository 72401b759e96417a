from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from core.validators import validate_one_line


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone signs in with an email address: sellers' members, buyers and staff."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True, validators=[validate_one_line])
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Set by accounts.selectors.membership_for_user: the membership, looked up once per request.
    _cached_membership: "SellerMembership | None"

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email.split("@")[0]

    def get_short_name(self) -> str:
        return self.get_full_name().split(" ")[0]


class SellerAccount(models.Model):
    """One business on the marketplace. Everything a seller sees is scoped to this account."""

    # The display name of every email to the seller's buyers (From:, R19): one line.
    business_name = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(unique=True)
    # R18: when false, new buyers (first order after `accepting_changed_at`) cannot write.
    accepting_buyer_messages = models.BooleanField(default=True)
    accepting_changed_at = models.DateTimeField(null=True, blank=True)
    # R17: "Request a Review automatically", this many days (5-30) after delivery.
    auto_review_requests = models.BooleanField(default=False)
    auto_review_delay_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(5), MaxValueValidator(30)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["business_name"]

    def __str__(self) -> str:
        return self.business_name


class SellerMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    seller = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="memberships")
    # A user works for at most one seller account.
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="seller_membership")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seller", "role", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()} of {self.seller})"


class BuyerProfile(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        GERMAN = "de", "Deutsch"
        FRENCH = "fr", "Français"
        SPANISH = "es", "Español"
        JAPANESE = "ja", "日本語"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="buyer_profile")
    preferred_language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    # R2: opted out of unsolicited messages from all sellers.
    opted_out_of_unsolicited = models.BooleanField(default=False)
    opted_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__email"]

    def __str__(self) -> str:
        return f"Buyer profile of {self.user}"


class NotificationPreferences(models.Model):
    """Notification Preferences › Messaging of a seller account (R22, R4)."""

    seller = models.OneToOneField(
        SellerAccount, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    # "Buyer Messages": copies of buyer messages go to this address, from the buyer alias; on
    # by default, to the account's email (accounts.selectors.notification_preferences_for_seller).
    buyer_message_copies = models.BooleanField(default=True)
    buyer_message_copies_email = models.EmailField(blank=True)
    # "Buyer Opt-out": bounce-backs when a message is blocked because the buyer opted out (R4).
    opt_out_bounces = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification preferences"

    def __str__(self) -> str:
        return f"Notification preferences of {self.seller}"


class Relationship(models.Model):
    """R1: one per buyer and seller, created by their first order or contact.

    Holds the two anonymized addresses: the seller writes to `buyer_alias`, the buyer writes to
    `seller_alias`. They never change, so every later contact uses the same pair.
    """

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seller_relationships"
    )
    seller = models.ForeignKey(
        SellerAccount, on_delete=models.PROTECT, related_name="buyer_relationships"
    )
    buyer_alias = models.EmailField(max_length=64, unique=True)
    seller_alias = models.EmailField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # R18: a seller who stops accepting messages still hears from buyers who ordered before.
    first_order_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The model moved here from messaging (accounts/0003); its table kept its name.
        db_table = "messaging_relationship"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "seller"], name="relationship_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.buyer_alias} ↔ {self.seller_alias}"
