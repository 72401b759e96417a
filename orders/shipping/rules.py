"""What a shipment confirmation may say, as pure functions: each returns the cleaned value or
raises ValidationError with the words the seller reads next to the field."""

import re
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.validators import has_control_characters
from orders.models import Order, OrderStatus
from orders.shipping.models import Carrier

TRACKING_MIN_LENGTH = 6
TRACKING_MAX_LENGTH = 40
CARRIER_OTHER_MAX_LENGTH = 60
_TRACKING_ALLOWED = re.compile(r"^[A-Z0-9-]+$")
# The latest calendar date anywhere on earth (UTC+14): a seller whose day has already begun
# may enter it as today's date.
_EARLIEST_UTC_OFFSET_AHEAD = timedelta(hours=14)

PENDING_MSG = (
    "This order is Pending: the buyer's payment has not been confirmed yet. Wait until it is "
    "posted to the order report as Unshipped, then confirm its shipment."
)
STATUS_MSG = {
    OrderStatus.SHIPPED: "This order is already shipped; its shipment was confirmed before.",
    OrderStatus.DELIVERED: "This order is already delivered.",
    OrderStatus.CANCELED: "This order is canceled: a canceled order cannot be shipped.",
}
TRACKING_REQUIRED_MSG = "Enter the tracking number the carrier gave you."
TRACKING_LENGTH_MSG = (
    f"A tracking number has {TRACKING_MIN_LENGTH} to {TRACKING_MAX_LENGTH} letters and digits."
)
TRACKING_CHARS_MSG = (
    "A tracking number has only letters A–Z, digits and dashes (spaces are left out)."
)
CARRIER_MSG = "Choose the carrier from the list."
CARRIER_OTHER_MSG = "Enter the name of the carrier (you chose Other)."
CARRIER_OTHER_LENGTH_MSG = (
    f"Use at most {CARRIER_OTHER_MAX_LENGTH} characters, on one line, for the carrier's name."
)
SHIP_DATE_FUTURE_MSG = "The ship date cannot be in the future: enter the day you shipped it."
SHIP_DATE_BEFORE_ORDER_MSG = "The ship date cannot be before the order was placed ({placed})."


def shipment_status_refusal(order: Order) -> str | None:
    """Why the order cannot be shipped now, or None for an Unshipped order."""
    if order.status == OrderStatus.UNSHIPPED:
        return None
    if order.status == OrderStatus.PENDING:
        return PENDING_MSG
    return STATUS_MSG.get(OrderStatus(order.status), "This order cannot be shipped.")


def tracking_number_clean(value: str) -> str:
    """Upper case without spaces, as carriers send it in their events."""
    cleaned = re.sub(r"\s+", "", value or "").upper()
    if not cleaned:
        raise ValidationError({"tracking_number": TRACKING_REQUIRED_MSG})
    if not _TRACKING_ALLOWED.match(cleaned):
        raise ValidationError({"tracking_number": TRACKING_CHARS_MSG})
    if not TRACKING_MIN_LENGTH <= len(cleaned) <= TRACKING_MAX_LENGTH:
        raise ValidationError({"tracking_number": TRACKING_LENGTH_MSG})
    return cleaned


def carrier_clean(carrier: str, carrier_other: str) -> tuple[str, str]:
    """(carrier, the other carrier's name or "")."""
    if carrier not in Carrier.values:
        raise ValidationError({"carrier": CARRIER_MSG})
    if carrier != Carrier.OTHER:
        return carrier, ""
    name = " ".join((carrier_other or "").split())
    if not name:
        raise ValidationError({"carrier_other": CARRIER_OTHER_MSG})
    if len(name) > CARRIER_OTHER_MAX_LENGTH or has_control_characters(name):
        raise ValidationError({"carrier_other": CARRIER_OTHER_LENGTH_MSG})
    return carrier, name


def ship_date_check(ship_date: date, *, order: Order, now: datetime | None = None) -> date:
    """Not after today (anywhere on earth) and not before the order's purchase date (UTC, as
    the order page shows it)."""
    now = now or timezone.now()
    latest = (now.astimezone(UTC) + _EARLIEST_UTC_OFFSET_AHEAD).date()
    if ship_date > latest:
        raise ValidationError({"ship_date": SHIP_DATE_FUTURE_MSG})
    placed = order.placed_at.astimezone(UTC).date()
    if ship_date < placed:
        raise ValidationError(
            {
                "ship_date": SHIP_DATE_BEFORE_ORDER_MSG.format(
                    placed=f"{placed:%b} {placed.day}, {placed.year}"
                )
            }
        )
    return ship_date
