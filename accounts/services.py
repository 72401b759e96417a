"""Writes of the accounts domain."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.aliases import alias_generate
from accounts.models import (
    BuyerProfile,
    NotificationPreferences,
    Relationship,
    SellerAccount,
    User,
)
from accounts.selectors import require_seller_owner


@transaction.atomic
def buyer_profile_update(*, user: User, preferred_language: str, opted_out: bool) -> BuyerProfile:
    """Save a buyer's communication settings.

    R2: opting out of unsolicited messages records when it happened (kept while the buyer stays
    opted out); opting back in clears it.
    """
    profile, _ = BuyerProfile.objects.select_for_update().get_or_create(user=user)
    profile.preferred_language = preferred_language
    if opted_out and not profile.opted_out_of_unsolicited:
        profile.opted_out_at = timezone.now()
    elif not opted_out:
        profile.opted_out_at = None
    profile.opted_out_of_unsolicited = opted_out
    profile.save(update_fields=["preferred_language", "opted_out_of_unsolicited", "opted_out_at"])
    return profile


@transaction.atomic
def notification_preferences_update(
    *,
    seller: SellerAccount,
    buyer_message_copies: bool,
    buyer_message_copies_email: str,
    opt_out_bounces: bool,
    actor: User | None = None,
) -> NotificationPreferences:
    """Notification Preferences › Messaging (R22): "Buyer Messages" copies and "Buyer Opt-out"
    bounce-backs (R4). The copy address is kept while copies are off, ready for the next time.

    An account-wide setting: a member `actor` who is not an owner gets NotAnOwner (None is
    staff or the system)."""
    require_seller_owner(actor, seller)
    preferences, _ = NotificationPreferences.objects.select_for_update().get_or_create(
        seller=seller
    )
    preferences.buyer_message_copies = buyer_message_copies
    preferences.buyer_message_copies_email = buyer_message_copies_email.strip()
    preferences.opt_out_bounces = opt_out_bounces
    preferences.save(
        update_fields=[
            "buyer_message_copies",
            "buyer_message_copies_email",
            "opt_out_bounces",
            "updated_at",
        ]
    )
    return preferences


@transaction.atomic
def seller_set_accepting_messages(
    *, seller: SellerAccount, accepting: bool, actor: User | None = None
) -> SellerAccount:
    """R18: start or stop accepting buyer messages (vacation).

    The moment of the change is recorded: while the seller is not accepting, buyers whose first
    order is placed after it, and new "Ask a question" contacts, cannot write. Saving the same
    value again changes nothing, so that moment is not moved. An account-wide setting: a member
    `actor` who is not an owner gets NotAnOwner (None is staff or the system).
    """
    require_seller_owner(actor, seller)
    seller = SellerAccount.objects.select_for_update().get(pk=seller.pk)
    if seller.accepting_buyer_messages == accepting:
        return seller
    seller.accepting_buyer_messages = accepting
    seller.accepting_changed_at = timezone.now()
    seller.save(update_fields=["accepting_buyer_messages", "accepting_changed_at"])
    return seller


# ---- R1: the buyer-seller relationship and its two aliases

ALIAS_ATTEMPTS = 5


def _unused_alias(alias_field: str) -> str:
    for _ in range(ALIAS_ATTEMPTS):
        alias = alias_generate(
            domain=settings.MESSAGING_ALIAS_DOMAIN, total_length=settings.MESSAGING_ALIAS_LENGTH
        )
        if not Relationship.objects.filter(**{alias_field: alias}).exists():
            return alias
    raise RuntimeError("Could not find an unused alias; is the alias space exhausted?")


def relationship_get_or_create(
    *, buyer: User, seller: SellerAccount, first_order_at: datetime | None = None
) -> Relationship:
    """R1: the relationship of a buyer and a seller, created with both aliases on first contact.

    `first_order_at` records when the buyer first ordered from the seller (R18); it is set once.
    """
    relationship = Relationship.objects.filter(buyer=buyer, seller=seller).first()
    if relationship is None:
        try:
            with transaction.atomic():
                relationship = Relationship.objects.create(
                    buyer=buyer,
                    seller=seller,
                    buyer_alias=_unused_alias("buyer_alias"),
                    seller_alias=_unused_alias("seller_alias"),
                    # A relationship starts with the first order or contact (R1).
                    created_at=first_order_at or timezone.now(),
                    first_order_at=first_order_at,
                )
        except IntegrityError:
            # Another process created the pair at the same moment: use theirs.
            relationship = Relationship.objects.get(buyer=buyer, seller=seller)
    if first_order_at is not None and relationship.first_order_at is None:
        relationship.first_order_at = first_order_at
        relationship.save(update_fields=["first_order_at"])
    return relationship


@transaction.atomic
def seller_set_auto_review_requests(
    *, seller: SellerAccount, actor: User | None, enabled: bool, delay_days: int
) -> SellerAccount:
    """R17: switch "Request a Review automatically" on or off, with its delay after delivery
    (5-30 days). Owners only (SPEC section 1)."""
    require_seller_owner(actor, seller)
    if not 5 <= delay_days <= 30:
        raise ValueError("The delay is 5 to 30 days after delivery (R17).")
    SellerAccount.objects.filter(pk=seller.pk).update(
        auto_review_requests=enabled, auto_review_delay_days=delay_days
    )
    seller.auto_review_requests, seller.auto_review_delay_days = enabled, delay_days
    return seller
