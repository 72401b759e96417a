"""Returns (R29): the buyer requests, the seller authorizes, marks received, refunds or closes.

Each step locks the return's row (a request locks the order's), checks the step is allowed from
the status it finds, records who did it and emits its OrderEvent in the same transaction, so the
buyer's notice (messaging.notices) is queued exactly when the step is stored."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from accounts.models import SellerMembership, User
from orders.adjustments.models import Refund, RefundSource
from orders.adjustments.services import order_refund
from orders.events import OrderEvent, OrderEventKind, order_event_emit
from orders.models import Order, OrderStatus
from orders.returns.models import OPEN_RETURN_STATUSES, ReturnReason, ReturnRequest, ReturnStatus

RETURNABLE_ORDER_STATUSES = (OrderStatus.SHIPPED, OrderStatus.DELIVERED)

RETURN_NOT_SHIPPED_MSG = pgettext_lazy(
    "return", "A return can be requested once the order has shipped."
)
RETURN_ALREADY_OPEN_MSG = pgettext_lazy("return", "This order already has an open return request.")
RETURN_REASON_UNKNOWN_MSG = pgettext_lazy("return", "Choose a reason for the return from the list.")
RETURN_STEP_MSG = "This return is %(status)s: it cannot be %(step)s now."
NOT_YOUR_ORDER_MSG = "Only the buyer of an order may request its return."
NOT_YOUR_RETURN_MSG = "Only the seller's owner or members may act on its returns."

# step → (the statuses it may start from, the status it leads to, the event it emits)
_STEPS = {
    "authorize": (
        (ReturnStatus.REQUESTED,),
        ReturnStatus.AUTHORIZED,
        OrderEventKind.RETURN_AUTHORIZED,
    ),
    "receive": (
        (ReturnStatus.AUTHORIZED,),
        ReturnStatus.RECEIVED,
        OrderEventKind.RETURN_RECEIVED,
    ),
    "close": (OPEN_RETURN_STATUSES, ReturnStatus.CLOSED, None),
}
# A refund may follow authorization (some sellers refund without waiting for the item) or
# receipt, and a refunded return may get a further partial refund while money is left.
REFUNDABLE_RETURN_STATUSES = (
    ReturnStatus.AUTHORIZED,
    ReturnStatus.RECEIVED,
    ReturnStatus.REFUNDED,
)
_STEP_WORDS = {
    "authorize": "authorized",
    "receive": "marked received",
    "close": "closed",
    "refund": "refunded",
}


@transaction.atomic
def return_request(
    *,
    order: Order,
    buyer: User,
    reason: str,
    comment: str = "",
    photo: "File[bytes] | None" = None,
) -> ReturnRequest:
    """The buyer asks to return a Shipped or Delivered order of theirs; one open return at a
    time per order. `photo` is already checked (orders.returns.photos.return_photo_clean)."""
    if order.buyer_id != buyer.pk:
        raise PermissionDenied(NOT_YOUR_ORDER_MSG)
    if reason not in ReturnReason.values:
        raise ValidationError(RETURN_REASON_UNKNOWN_MSG, code="reason")
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status not in RETURNABLE_ORDER_STATUSES:
        raise ValidationError(RETURN_NOT_SHIPPED_MSG, code="not_shipped")
    if ReturnRequest.objects.filter(order=locked, status__in=OPEN_RETURN_STATUSES).exists():
        raise ValidationError(RETURN_ALREADY_OPEN_MSG, code="open")
    request = ReturnRequest(
        order=locked, seller_id=locked.seller_id, buyer=buyer, reason=reason, comment=comment
    )
    if photo is not None:
        request.photo.save(photo.name or "photo", photo, save=False)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # return_one_open_per_order: another request won the race
        raise ValidationError(RETURN_ALREADY_OPEN_MSG, code="open") from None
    order_event_emit(
        OrderEvent(
            kind=OrderEventKind.RETURN_REQUESTED,
            order_id=locked.pk,
            actor_id=buyer.pk,
            details={"return_id": request.pk, "reason": reason},
        )
    )
    return request


def _check_seller_actor(*, request: ReturnRequest, actor: User) -> None:
    if not SellerMembership.objects.filter(user=actor, seller_id=request.seller_id).exists():
        raise PermissionDenied(NOT_YOUR_RETURN_MSG)


def _locked(request: ReturnRequest) -> ReturnRequest:
    return ReturnRequest.objects.select_for_update().get(pk=request.pk)


def _refuse_step(request: ReturnRequest, step: str, allowed: tuple[str, ...]) -> None:
    if request.status not in allowed:
        raise ValidationError(
            RETURN_STEP_MSG,
            code="status",
            params={"status": request.get_status_display().lower(), "step": _STEP_WORDS[step]},
        )


@transaction.atomic
def _return_step(*, return_request: ReturnRequest, actor: User, step: str) -> ReturnRequest:
    allowed, status, kind = _STEPS[step]
    _check_seller_actor(request=return_request, actor=actor)
    locked = _locked(return_request)
    _refuse_step(locked, step, allowed)
    now = timezone.now()
    stamp = {
        ReturnStatus.AUTHORIZED: "authorized",
        ReturnStatus.RECEIVED: "received",
        ReturnStatus.CLOSED: "closed",
    }[status]
    locked.status = status
    setattr(locked, f"{stamp}_at", now)
    setattr(locked, f"{stamp}_by", actor)
    locked.save(update_fields=["status", f"{stamp}_at", f"{stamp}_by"])
    if kind is not None:
        order_event_emit(
            OrderEvent(
                kind=kind,
                order_id=locked.order_id,
                actor_id=actor.pk,
                details={"return_id": locked.pk},
            )
        )
    return locked


def return_authorize(*, return_request: ReturnRequest, actor: User) -> ReturnRequest:
    """The seller agrees to take the item back (Requested → Authorized)."""
    return _return_step(return_request=return_request, actor=actor, step="authorize")


def return_mark_received(*, return_request: ReturnRequest, actor: User) -> ReturnRequest:
    """The returned item arrived (Authorized → Received)."""
    return _return_step(return_request=return_request, actor=actor, step="receive")


def return_close(*, return_request: ReturnRequest, actor: User) -> ReturnRequest:
    """The seller ends an open return without a refund (e.g. the buyer kept the item)."""
    return _return_step(return_request=return_request, actor=actor, step="close")


@transaction.atomic
def return_refund(
    *, return_request: ReturnRequest, actor: User, amount: Decimal, reason: str
) -> Refund:
    """Refund all or part of what is left of the order, for this return; the return becomes
    Refunded. The amount is checked (positive, cents, at most what is left, in the order's
    currency) by `order_refund` under the order's row lock: concurrent refunds never exceed the
    order's total. REFUNDED is emitted by `order_refund`."""
    _check_seller_actor(request=return_request, actor=actor)
    locked = _locked(return_request)
    _refuse_step(locked, "refund", REFUNDABLE_RETURN_STATUSES)
    refund = order_refund(
        order=locked.order,
        actor=actor,
        amount=amount,
        reason=reason,
        source=RefundSource.RETURN,
        source_id=locked.pk,
    )
    locked.status = ReturnStatus.REFUNDED
    locked.refunded_at = refund.created_at
    locked.refunded_by = actor
    locked.save(update_fields=["status", "refunded_at", "refunded_by"])
    return refund
