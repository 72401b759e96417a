from django.urls import path

from orders import converters  # noqa: F401  (registers <order_number:…>)
from orders.shipping import views

urlpatterns = [
    path(
        "orders/<order_number:number>/confirm-shipment/",
        views.order_confirm_shipment_page,
        name="order_confirm_shipment",
    ),
    path("carriers/events/", views.carrier_events, name="carrier_events"),
]
