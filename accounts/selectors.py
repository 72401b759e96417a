"""Reads of the accounts domain."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import (
    BuyerProfile,
    NotificationPreferences,
    SellerAccount,
    SellerMembership,
    User,
)
from core.refusals import NOT_A_PARTY_MSG, NotAParty


def membership_for_user(*, user: User | AnonymousUser) -> SellerMembership | None:
    """The user's seller membership with its seller, fetched once per request (one query)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_cached_membership"):
        user._cached_membership = (
            SellerMembership.objects.select_related("seller").filter(user_id=user.pk).first()
        )
    return user._cached_membership


def seller_for_user(*, user: User | AnonymousUser) -> SellerAccount | None:
    """The seller account the user works for, or None for buyers and staff."""
    membership = membership_for_user(user=user)
    return membership.seller if membership is not None else None


def user_role(*, user: User | AnonymousUser) -> str:
    """'seller', 'staff', 'buyer' or 'anonymous': decides the navigation and the home page."""
    if not user.is_authenticated:
        return "anonymous"
    if membership_for_user(user=user) is not None:
        return "seller"
    if user.is_staff:
        return "staff"
    return "buyer"


def buyer_profile_for_user(*, user: User) -> BuyerProfile:
    profile, _ = BuyerProfile.objects.get_or_create(user=user)
    return profile


def notification_preferences_for_seller(*, seller: SellerAccount) -> NotificationPreferences:
    preferences, _ = NotificationPreferences.objects.get_or_create(seller=seller)
    return preferences


def require_seller_member(
    user: User, seller_id: int, *, refusal: str = NOT_A_PARTY_MSG
) -> SellerAccount:
    """The seller account `user` works for, if it is `seller_id`; NotAParty otherwise."""
    membership = membership_for_user(user=user)
    if membership is None or membership.seller_id != seller_id:
        raise NotAParty(refusal)
    return membership.seller
