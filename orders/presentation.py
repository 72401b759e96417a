"""What order pages show, computed in Python: the order status badge, its one definition (the
Manage Orders rows print it, the other pages through `{% order_status_badge order %}`)."""

from html import escape  # django.utils.html.escape without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe

from orders.models import OrderStatus

# The badge's colour by status.
_STATUS_BADGE_CLASSES: dict[str, str] = {
    OrderStatus.PENDING: "text-bg-warning",
    OrderStatus.UNSHIPPED: "text-bg-primary",
    OrderStatus.SHIPPED: "text-bg-info",
    OrderStatus.DELIVERED: "text-bg-success",
}
_OTHER_STATUS_BADGE_CLASS = "text-bg-secondary"  # Canceled


def order_status_badge_html(status: str, label: str) -> SafeString:
    """The badge of an order's status (`label`: its display name in the page's language)."""
    colour = _STATUS_BADGE_CLASSES.get(status, _OTHER_STATUS_BADGE_CLASS)
    return mark_safe(  # noqa: S308  (the label is escaped)
        f'<span class="badge rounded-pill {colour}">{escape(label)}</span>'
    )
