"""Refunds and order adjustments (cancel with a reason). Each locks the order's row first, so two
clicks at once are served one after the other and refunds never exceed what was paid."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import SellerMembership, User
from orders.adjustments.models import Refund, RefundReason, RefundSource
from orders.adjustments.selectors import order_cancel_refusal, order_refundable_amount
from orders.events import OrderEvent, OrderEventKind, order_event_emit
from orders.models import Order, OrderStatus
from orders.services import order_set_status

REFUND_NOT_POSITIVE = "Enter an amount greater than zero."
REFUND_TOO_MUCH = "Only %(left)s %(currency)s is left to refund on this order."
REFUND_CENTS = "Enter the amount with at most two decimals, like 12.50."
REFUND_NOTHING_LEFT = "This order has been refunded in full already."
REFUND_REASON_UNKNOWN = "Choose a reason from the list."
NOT_YOUR_ORDER = "Only the seller's owner or members may change its orders."


def _check_actor(*, order: Order, actor: User | None) -> None:
    if actor is None:
        return
    if not SellerMembership.objects.filter(user=actor, seller_id=order.seller_id).exists():
        raise PermissionDenied(NOT_YOUR_ORDER)


def _locked(order: Order) -> Order:
    """The order's row, locked until the transaction ends, read fresh."""
    return Order.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def order_refund(
    *,
    order: Order,
    actor: User | None,
    amount: Decimal,
    reason: str,
    source: str = RefundSource.ADJUSTMENT,
    source_id: int | None = None,
    cancellation: bool = False,
) -> Refund:
    """Refund `amount` (in the order's currency) of the order, for `reason` (a RefundReason).

    The amount must be positive and at most what is left to refund (`order_refundable_amount`),
    checked under the order's row lock. Emits REFUNDED in this transaction. Bad input raises
    ValidationError with a message for the seller (code: not_positive, cents, too_much,
    nothing_left, reason); an actor of another seller raises PermissionDenied. `cancellation`:
    the refund is part of canceling the order (its CANCELED event tells the buyer of both)."""
    _check_actor(order=order, actor=actor)
    if reason not in RefundReason.values:
        raise ValidationError(REFUND_REASON_UNKNOWN, code="reason")
    if source not in RefundSource.values:
        raise ValueError(f"Unknown refund source {source!r}.")
    amount = Decimal(amount)
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(REFUND_NOT_POSITIVE, code="not_positive")
    locked = _locked(order)
    left = order_refundable_amount(locked)
    if left <= 0:
        raise ValidationError(REFUND_NOTHING_LEFT, code="nothing_left")
    if amount > left:
        raise ValidationError(
            REFUND_TOO_MUCH,
            code="too_much",
            params={"left": f"{left:.2f}", "currency": locked.currency},
        )
    # After the comparison with `left`: quantize raises on a number too long for its context.
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(REFUND_CENTS, code="cents")
    refund = Refund.objects.create(
        order=locked,
        amount=amount,
        currency=locked.currency,
        reason=reason,
        actor=actor,
        source=source,
        source_id=source_id,
    )
    order_event_emit(
        OrderEvent(
            kind=OrderEventKind.REFUNDED,
            order_id=locked.pk,
            actor_id=actor.pk if actor else None,
            details={
                "amount": f"{amount:.2f}",
                "currency": locked.currency,
                "reason": reason,
                "refund_id": refund.pk,
                "source": source,
                "source_id": source_id,
                "cancellation": cancellation,
            },
        )
    )
    return refund


@transaction.atomic
def order_cancel(*, order: Order, actor: User | None, reason: str) -> Refund | None:
    """A full adjustment: refund what is left of the order's total and cancel it, for `reason`.

    Only a Pending or Unshipped order can be canceled (a shipped one is refunded through a
    return). Emits REFUNDED (from order_refund) then CANCELED, both in this transaction."""
    _check_actor(order=order, actor=actor)
    if reason not in RefundReason.values:
        raise ValidationError(REFUND_REASON_UNKNOWN, code="reason")
    locked = _locked(order)
    refusal = order_cancel_refusal(locked)
    if refusal:
        code = "canceled" if locked.status == OrderStatus.CANCELED else "shipped"
        raise ValidationError(refusal, code=code)
    left = order_refundable_amount(locked)
    refund = None
    if left > 0:
        refund = order_refund(
            order=locked, actor=actor, amount=left, reason=reason, cancellation=True
        )
    order_set_status(order=locked, status=OrderStatus.CANCELED, actor=actor)
    order_event_emit(
        OrderEvent(
            kind=OrderEventKind.CANCELED,
            order_id=locked.pk,
            actor_id=actor.pk if actor else None,
            details={
                "reason": reason,
                "amount": f"{left:.2f}",
                "currency": locked.currency,
                "refund_id": refund.pk if refund else None,
            },
        )
    )
    order.refresh_from_db()
    return refund
