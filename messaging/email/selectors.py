"""Reads of the email channel: a seller's approved sender addresses (R11) and where its copies go
(R22)."""

from django.db.models import QuerySet

from accounts.models import NotificationPreferences, SellerAccount
from messaging.models import MessagingPermission


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
