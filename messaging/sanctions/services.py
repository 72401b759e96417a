"""Staff sanctions (R30, R35-R39): set, lift, and staff's decision on a held message.

Every change is told to the seller's owners by email through the outbound path (R39). Each
service locks the sanction's row and checks its state first, so running it twice (two staff
clicks, beat twice) changes nothing the second time.
"""

from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.selectors import seller_owners
from messaging import policy
from messaging.email.services import outbound
from messaging.models import (
    Direction,
    Message,
    OutboundEmail,
    Outcome,
    ResponseState,
    Sanction,
    SanctionKind,
)
from messaging.sending import selectors as sending_selectors

STAFF_ONLY_MSG = "Only staff may set or lift sanctions."
REASON_MISSING_MSG = "Say why: the seller's owner reads this reason."
ENDS_BEFORE_START_MSG = "The end date must be after the start."
HELD_MESSAGE_PENDING_MSG = "A message is held under this sanction: release or reject it first."
NOTHING_HELD_MSG = "No message is held under this sanction."
RELEASED = "released"
REJECTED = "rejected"

# What a sanction means for the seller, in words (banner and emails).
WHAT_IT_MEANS = {
    SanctionKind.HOLD_MESSAGE: (
        "Your next message to a buyer is held for review by our staff before it is delivered. "
        "Everything else works as usual."
    ),
    SanctionKind.LIMIT_PROACTIVE: (
        "Contact Buyer and review requests are off. Replies to buyers' messages still go "
        "through, and buyers' messages still reach you."
    ),
    SanctionKind.SUSPEND: (
        "No message can be sent to buyers, from Seller Central or by email. Buyers' messages "
        "still reach you and are kept."
    ),
}


class SanctionError(ValueError):
    """A sanction cannot be set or changed so; the message says why, in words."""


def _require_staff(user: User, permission: str) -> None:
    if not (user.is_active and user.is_staff and user.has_perm(permission)):
        raise PermissionError(STAFF_ONLY_MSG)


@transaction.atomic
def sanction_set(
    *,
    seller: SellerAccount,
    kind: str,
    reason: str,
    set_by: User,
    ends_at: datetime | None = None,
    starts_at: datetime | None = None,
) -> Sanction:
    """R30: staff sanction a seller's messaging; the owners are told by email (R39)."""
    _require_staff(set_by, "messaging.add_sanction")
    if kind not in SanctionKind.values:
        raise SanctionError(f"Unknown kind of sanction: {kind!r}.")
    if not reason.strip():
        raise SanctionError(REASON_MISSING_MSG)
    starts_at = starts_at or timezone.now()
    if ends_at is not None and ends_at <= starts_at:
        raise SanctionError(ENDS_BEFORE_START_MSG)
    sanction = Sanction.objects.create(
        seller=seller,
        kind=kind,
        reason=reason.strip(),
        set_by=set_by,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    _tell_owners(sanction, action="set")
    return sanction


@transaction.atomic
def sanction_lift(
    *, sanction: Sanction, lifted_by: User | None, at: datetime | None = None
) -> Sanction:
    """Lift a sanction (staff, or beat with `lifted_by` None); a lifted one stays as it was.
    A hold with a message still waiting for staff is not lifted (SanctionError)."""
    if lifted_by is not None:
        _require_staff(lifted_by, "messaging.change_sanction")
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.lifted_at is not None:
        return sanction
    if sanction.message_id is not None and not sanction.decision:
        raise SanctionError(HELD_MESSAGE_PENDING_MSG)
    sanction.lifted_at = at or timezone.now()
    sanction.lifted_by = lifted_by
    sanction.save(update_fields=["lifted_at", "lifted_by"])
    _tell_owners(sanction, action="lifted")
    return sanction


def sanctions_lift_due(*, now: datetime | None = None) -> int:
    """R38 (beat): lift every sanction past its end date; a hold whose message waits for staff
    stays until they decide. Safe to run twice. Returns how many were lifted."""
    now = now or timezone.now()
    due = Sanction.objects.filter(lifted_at__isnull=True, ends_at__lte=now).exclude(
        message__isnull=False, decision=""
    )
    lifted = 0
    for sanction in due.order_by("ends_at", "id"):
        with transaction.atomic():  # one at a time: a failure leaves the others lifted
            result = sanction_lift(sanction=sanction, lifted_by=None, at=now)
            lifted += int(result.lifted_at == now and result.lifted_by_id is None)
    return lifted


def held_message_attach(*, sanction_id: int, message: Message) -> None:
    """R37: the send funnel stored `message` held; the hold now names it (once)."""
    Sanction.objects.filter(pk=sanction_id, message__isnull=True).update(message=message)


@transaction.atomic
def held_message_release(*, sanction: Sanction, staff_user: User) -> Sanction:
    """R37: staff release the held message: it is delivered now, through the normal outbound
    path, and the hold is lifted."""
    _require_staff(staff_user, "messaging.change_sanction")
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.message_id is None:
        raise SanctionError(NOTHING_HELD_MSG)
    if sanction.decision:
        return sanction
    message = Message.objects.select_for_update().get(pk=sanction.message_id)
    now = timezone.now()
    if message.outcome == Outcome.HELD:
        message.outcome, message.outcome_rule, message.outcome_reason = Outcome.DELIVERED, "", ""
        message.save(update_fields=["outcome", "outcome_rule", "outcome_reason"])
        # Delivered now: it answers the buyer's waiting messages, and counts today (R8).
        Message.objects.filter(
            case_id=message.case_id,
            direction=Direction.BUYER_TO_SELLER,
            response_state=ResponseState.NEEDED,
        ).update(response_state=ResponseState.RESPONDED, responded_at=now)
        transaction.on_commit(
            partial(
                sending_selectors.sent_today_forget,
                seller_id=message.seller_id,
                today=now.date(),
            )
        )
        outbound.emails_for_message(message)
    return _decide(sanction, decision=RELEASED, staff_user=staff_user, at=now)


@transaction.atomic
def held_message_reject(*, sanction: Sanction, staff_user: User) -> Sanction:
    """R37: staff reject the held message: it stays stored, is never delivered, and the seller
    sees it as rejected with the sanction's reason."""
    _require_staff(staff_user, "messaging.change_sanction")
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.message_id is None:
        raise SanctionError(NOTHING_HELD_MSG)
    if sanction.decision:
        return sanction
    Message.objects.filter(pk=sanction.message_id, outcome=Outcome.HELD).update(
        outcome=Outcome.REJECTED,
        outcome_rule=policy.HELD_RULE,
        outcome_reason=policy.REJECTED_MSG.format(reason=sanction.reason),
    )
    return _decide(sanction, decision=REJECTED, staff_user=staff_user, at=timezone.now())


def _decide(sanction: Sanction, *, decision: str, staff_user: User, at: datetime) -> Sanction:
    sanction.decision = decision
    sanction.save(update_fields=["decision"])
    return sanction_lift(sanction=sanction, lifted_by=staff_user, at=at)


def _tell_owners(sanction: Sanction, *, action: str) -> None:
    """R39: each owner of the seller account gets an email from the marketplace."""
    context = {
        "sanction": sanction,
        "action": action,
        "what": WHAT_IT_MEANS[SanctionKind(sanction.kind)],
        "until": policy.until_text(sanction.ends_at),
        "business_name": sanction.seller.business_name,
        "inbox_url": outbound.absolute_url(reverse("messaging:inbox")),
        "policy_url": outbound.absolute_url(reverse("messaging:policy")),
    }
    text, html = outbound._render("sanction", context)
    label = sanction.get_kind_display().lower()
    subject = (
        f"Your messaging on AlphaDiscounters: {label}"
        if action == "set"
        else f"Lifted: {label} on your messaging"
    )
    for owner in seller_owners(seller=sanction.seller):
        outbound._queue(
            kind=OutboundEmail.Kind.SANCTION,
            key=f"sanction:{sanction.pk}:{action}:{owner.pk}",
            recipient=owner.email,
            from_email=outbound.display_address(
                "AlphaDiscounters Seller Central", settings.DEFAULT_FROM_EMAIL
            ),
            subject=subject,
            text=text,
            html=html,
        )
