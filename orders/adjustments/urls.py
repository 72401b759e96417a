from django.urls import path

from orders import converters  # noqa: F401  (registers <order_number:…>)
from orders.adjustments import views

urlpatterns = [
    path("orders/<order_number:number>/cancel/", views.order_cancel_page, name="order_cancel"),
]
