import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SellerAccount, User
from accounts.services import relationship_get_or_create
from orders.events import OrderEvent, OrderEventKind, order_event_emit
from orders.models import Order, OrderItem, OrderStatus, OrderStatusChange, Product
from orders.selectors import order_volume_forget, order_volume_window

ORDER_NUMBER_ATTEMPTS = 5
STATUS_TIMESTAMP_FIELD = {
    OrderStatus.SHIPPED: "shipped_at",
    OrderStatus.DELIVERED: "delivered_at",
    OrderStatus.CANCELED: "canceled_at",
}


def order_number_generate() -> str:
    """A random 17-digit order ID in the form 123-1234567-1234567."""
    digits = f"{secrets.randbelow(10**17):017d}"
    return f"{digits[:3]}-{digits[3:10]}-{digits[10:]}"


@dataclass(frozen=True)
class OrderLine:
    product: Product
    quantity: int = 1


@transaction.atomic
def order_create(
    *,
    buyer: User,
    seller: SellerAccount,
    lines: list[OrderLine],
    ship_name: str,
    ship_address: str,
    ship_phone: str = "",
    shipping_total: Decimal = Decimal("0"),
    placed_at: datetime | None = None,
) -> Order:
    """Place an order; the first order between the two parties creates their aliases (R1)."""
    placed_at = placed_at or timezone.now()
    relationship = relationship_get_or_create(buyer=buyer, seller=seller, first_order_at=placed_at)
    items_total = sum((line.product.price * line.quantity for line in lines), Decimal("0"))
    for _ in range(ORDER_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                order = Order.objects.create(
                    number=order_number_generate(),
                    seller=seller,
                    buyer=buyer,
                    relationship=relationship,
                    status=OrderStatus.PENDING,
                    placed_at=placed_at,
                    status_changed_at=placed_at,
                    ship_name=ship_name,
                    ship_address=ship_address,
                    ship_phone=ship_phone,
                    items_total=items_total,
                    shipping_total=shipping_total,
                    total=items_total + shipping_total,
                )
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("Could not find an unused order ID.")
    OrderItem.objects.bulk_create(
        OrderItem(
            order=order, product=line.product, quantity=line.quantity, unit_price=line.product.price
        )
        for line in lines
    )
    OrderStatusChange.objects.create(order=order, status=OrderStatus.PENDING, changed_at=placed_at)
    # R28: the seller hears of the new order (messaging.notices), in this transaction.
    order_event_emit(OrderEvent(kind=OrderEventKind.PLACED, order_id=order.pk, actor_id=buyer.pk))
    transaction.on_commit(
        lambda: _order_volume_refresh(seller_id=seller.pk, placed_at=order.placed_at)
    )
    return order


def _order_volume_refresh(*, seller_id: int, placed_at: datetime) -> None:
    """R8: an order placed before today (an import) changes the seller's cached order volume
    of today; forget it. An order placed today (every live order) is outside today's window and
    leaves it be. Run after the commit, so "today" is the day the order became visible."""
    today = timezone.now().astimezone(UTC).date()
    start, end = order_volume_window(today)
    if start <= placed_at < end:
        order_volume_forget(seller_id=seller_id, today=today)


@transaction.atomic
def order_set_status(
    *, order: Order, status: OrderStatus, at: datetime | None = None, actor: User | None = None
) -> Order:
    """Move an order to a status and record the time of the change and who made it."""
    at = at or timezone.now()
    order.status = status
    order.status_changed_at = at
    fields = ["status", "status_changed_at"]
    timestamp_field = STATUS_TIMESTAMP_FIELD.get(status)
    if timestamp_field:
        setattr(order, timestamp_field, at)
        fields.append(timestamp_field)
    order.save(update_fields=fields)
    OrderStatusChange.objects.create(order=order, status=status, changed_at=at, changed_by=actor)
    return order
