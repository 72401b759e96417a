"""Reads of the email channel: a seller's approved sender addresses (R11) and where its copies go
(R22)."""

from datetime import datetime

from django.db.models import QuerySet

from accounts.models import NotificationPreferences, SellerAccount, User
from messaging.models import MessagingPermission, OutboundEmail


def messaging_permissions_for_seller(*, seller: SellerAccount) -> QuerySet[MessagingPermission]:
    """R11: the seller's sender addresses with who added each."""
    return MessagingPermission.objects.filter(seller=seller).select_related("added_by")


def copies_address_for_seller(*, seller_id: int) -> str:
    """Where "Buyer Messages" copies go (R22), for recording a one-click report's origin."""
    return (
        NotificationPreferences.objects.filter(seller_id=seller_id)
        .values_list("buyer_message_copies_email", flat=True)
        .first()
        or ""
    )


def permission_link_last_sent(*, permission_id: int) -> datetime | None:
    """When the latest confirmation link of a Messaging Permissions address was queued (its
    email's key is "permission:<id>:<time>"); one the rate limit kept back was never sent."""
    return (
        OutboundEmail.objects.filter(
            kind=OutboundEmail.Kind.PERMISSION_CONFIRMATION,
            idempotency_key__startswith=f"permission:{permission_id}:",
        )
        .exclude(status="suppressed")
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def address_of_a_buyer(*, email: str) -> bool:
    """Whether a buyer signs in with `email`: an account that is neither a seller's member nor
    staff (accounts.selectors.user_role)."""
    return User.objects.filter(
        email__iexact=email, is_staff=False, seller_membership__isnull=True
    ).exists()
