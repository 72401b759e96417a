from django.contrib import admin
from django.urls import include, path

from accounts.views import home

# Our own pages: 503 with Retry-After while the database is down, 500 otherwise (config/views.py).
handler500 = "config.views.server_error"

admin.site.site_header = "AlphaDiscounters Seller Central — staff"
admin.site.site_title = "AlphaDiscounters staff"

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("", include("orders.urls")),
    path("", include("orders.returns.urls")),
    path("", include("messaging.urls")),
    path("admin/", admin.site.urls),
]
