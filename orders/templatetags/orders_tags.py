from django import template
from django.utils.safestring import SafeString

from orders.models import Order
from orders.presentation import order_status_badge_html

register = template.Library()


@register.simple_tag
def order_status_badge(order: Order) -> SafeString:
    """The badge of the order's status (orders.presentation.order_status_badge_html)."""
    return order_status_badge_html(order.status, order.get_status_display())
