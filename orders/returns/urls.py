from django.urls import path

from orders import converters  # noqa: F401  (registers <order_number:…>)
from orders.returns import views

app_name = "returns"

urlpatterns = [
    path("returns/", views.return_list, name="return_list"),
    path("returns/<int:return_id>/", views.return_detail, name="return_detail"),
    path("returns/<int:return_id>/refund/", views.return_refund, name="return_refund"),
    path("returns/<int:return_id>/photo/", views.return_photo, name="return_photo"),
    path("returns/<int:return_id>/<slug:step>/", views.return_step, name="return_step"),
    path(
        "buyer/orders/<order_number:number>/return/",
        views.buyer_return_request,
        name="buyer_return_request",
    ),
]
