from django.urls import register_converter

from orders.models import ORDER_NUMBER_PATTERN


class OrderNumberConverter:
    """`<order_number:number>` in URLs: the 17-digit order ID as 123-1234567-1234567."""

    regex = ORDER_NUMBER_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OrderNumberConverter, "order_number")
