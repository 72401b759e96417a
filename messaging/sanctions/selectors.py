"""What is in force now: a seller's active sanctions, as rows (banner, dispute file) and as the
judge's plain facts."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.refusals import Refusal
from messaging import policy
from messaging.models import Sanction, SanctionKind


def sanctions_active(*, seller_id: int, now: datetime | None = None) -> QuerySet[Sanction]:
    """Started, not lifted, not past their end date (beat lifts those soon after)."""
    now = now or timezone.now()
    return Sanction.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        seller_id=seller_id,
        lifted_at__isnull=True,
        starts_at__lte=now,
    ).order_by("starts_at", "id")


def sanction_facts(
    *, seller_id: int, now: datetime | None = None
) -> tuple[policy.SanctionFact, ...]:
    """R35-R37 for the judge: a hold counts only while no message is held under it yet."""
    rows = sanctions_active(seller_id=seller_id, now=now).exclude(
        kind=SanctionKind.HOLD_MESSAGE, message__isnull=False
    )
    return tuple(
        policy.SanctionFact(
            kind=row.kind, reason=row.reason, ends_at=row.ends_at, sanction_id=row.pk
        )
        for row in rows
    )


def proactive_refusal_for_seller(*, seller_id: int) -> Refusal | None:
    """Why Contact Buyer and Request a Review are off for this seller now (R35, R36), or None."""
    return policy.proactive_refusal(sanctions=sanction_facts(seller_id=seller_id))


def sanctions_for_seller(*, seller_id: int) -> QuerySet[Sanction]:
    """Every sanction of the seller, latest first, for staff (the dispute file)."""
    return Sanction.objects.filter(seller_id=seller_id).select_related(
        "set_by", "lifted_by", "message"
    )
