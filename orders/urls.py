from django.urls import include, path

from orders import (
    converters,  # noqa: F401  (registers <order_number:…>)
    views,
)

app_name = "orders"

urlpatterns = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/report.csv", views.order_report_csv, name="order_report_csv"),
    path("orders/<order_number:number>/", views.order_detail, name="order_detail"),
    path("buyer/orders/", views.buyer_order_list, name="buyer_order_list"),
    path(
        "buyer/orders/<order_number:number>/", views.buyer_order_detail, name="buyer_order_detail"
    ),
    path("", include("orders.shipping.urls")),
    path("", include("orders.adjustments.urls")),
]
