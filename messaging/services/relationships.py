"""R1: the buyer-seller relationship and its two aliases."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from messaging.aliases import alias_generate
from messaging.models import Relationship

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
    *, buyer: User, seller: SellerAccount, first_order_at=None
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
                    created_at=timezone.now(),
                    first_order_at=first_order_at,
                )
        except IntegrityError:
            # Another process created the pair at the same moment: use theirs.
            relationship = Relationship.objects.get(buyer=buyer, seller=seller)
    if first_order_at is not None and relationship.first_order_at is None:
        relationship.first_order_at = first_order_at
        relationship.save(update_fields=["first_order_at"])
    return relationship
