"""Reads of the accounts domain."""

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import OneToOneRel, QuerySet

from accounts.models import (
    BuyerProfile,
    NotificationPreferences,
    SellerAccount,
    SellerMembership,
    User,
)
from accounts.policy import owners_only_message
from core.refusals import NOT_A_PARTY_MSG, NotAnOwner, NotAParty


def membership_for_user(*, user: User | AnonymousUser) -> SellerMembership | None:
    """The user's seller membership with its seller, fetched once per request: read with the
    user when signed in through `accounts.backends.UserWithSellerBackend`, else one query."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_cached_membership"):
        relation = cast(OneToOneRel, User._meta.get_field("seller_membership"))
        if relation.is_cached(user):  # read with the user (accounts.backends): no query
            user._cached_membership = cast(SellerMembership | None, relation.get_cached_value(user))
        else:
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


def seller_account_email(*, seller: SellerAccount) -> str:
    """The account's email address: its first owner's (R22's default copy address)."""
    owner = (
        SellerMembership.objects.filter(seller=seller, role=SellerMembership.Role.OWNER)
        .order_by("joined_at", "id")
        .values_list("user__email", flat=True)
        .first()
    )
    return owner or ""


def notification_preferences_for_seller(*, seller: SellerAccount) -> NotificationPreferences:
    """The seller's preferences; made on first use with copies on, to the account's email (R22)."""
    preferences, _ = NotificationPreferences.objects.get_or_create(
        seller=seller, defaults={"buyer_message_copies_email": seller_account_email(seller=seller)}
    )
    return preferences


def seller_notification_address(*, seller: SellerAccount) -> str:
    """Where the marketplace's notices to the seller go (new orders, R28): the address of
    Notification Preferences, or the account's email while none is set."""
    preferences = notification_preferences_for_seller(seller=seller)
    return preferences.buyer_message_copies_email or seller_account_email(seller=seller)


def require_seller_member(
    user: User, seller_id: int, *, refusal: str = NOT_A_PARTY_MSG
) -> SellerAccount:
    """The seller account `user` works for, if it is `seller_id`; NotAParty otherwise."""
    membership = membership_for_user(user=user)
    if membership is None or membership.seller_id != seller_id:
        raise NotAParty(refusal)
    return membership.seller


# ---- owners alone change account-wide settings (SPEC section 1)


def seller_owners(*, seller: SellerAccount) -> QuerySet[User]:
    """The owners of a seller account, by name."""
    return User.objects.filter(
        seller_membership__seller=seller, seller_membership__role=SellerMembership.Role.OWNER
    ).order_by("full_name", "email")


def is_seller_owner(*, user: User | AnonymousUser, seller: SellerAccount) -> bool:
    membership = membership_for_user(user=user)
    return (
        membership is not None
        and membership.seller_id == seller.pk
        and membership.role == SellerMembership.Role.OWNER
    )


def owners_only_notice(*, seller: SellerAccount) -> str:
    """What a member reads on an account-wide settings page: who can change it."""
    names = [f"{owner.get_full_name()} ({owner.email})" for owner in seller_owners(seller=seller)]
    return owners_only_message(owner_names=names)


def require_seller_owner(user: User | None, seller: SellerAccount) -> None:
    """NotAnOwner (a 403 in views) unless `user` owns `seller`; None is staff or the system
    acting outside Seller Central (the admin, commands), which may."""
    if user is not None and not is_seller_owner(user=user, seller=seller):
        raise NotAnOwner(owners_only_notice(seller=seller))
