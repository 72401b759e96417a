"""R4: the inbox notices that a seller message was blocked, and putting them away."""

from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.selectors import notification_preferences_for_seller, require_seller_member
from messaging.models import BlockedMessageNotice, Message

NOTICE_NOT_YOURS_MSG = "This notice belongs to another seller account."


def blocked_notice_create(*, message: Message) -> BlockedMessageNotice | None:
    """R4: a bounce-back notice in the inbox, unless the seller cleared "Buyer Opt-out"."""
    preferences = notification_preferences_for_seller(seller=message.case.seller)
    if not preferences.opt_out_bounces:
        return None
    return BlockedMessageNotice.objects.create(
        seller_id=message.seller_id, message=message, created_at=message.created_at
    )


def blocked_notice_dismiss(*, notice: BlockedMessageNotice, actor: User) -> BlockedMessageNotice:
    """R4: a member of the seller account puts away an inbox "not delivered" notice.

    The blocked message itself stays on its case with its outcome (R25); dismissing twice keeps
    the first time.
    """
    require_seller_member(actor, notice.seller_id, refusal=NOTICE_NOT_YOURS_MSG)
    BlockedMessageNotice.objects.filter(pk=notice.pk, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )
    notice.refresh_from_db(fields=["dismissed_at"])
    return notice


def blocked_notices_dismiss_all(*, seller: SellerAccount, actor: User) -> int:
    """R4: put away every open "not delivered" notice of the seller at once; returns how many."""
    require_seller_member(actor, seller.pk, refusal=NOTICE_NOT_YOURS_MSG)
    return BlockedMessageNotice.objects.filter(seller=seller, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )
