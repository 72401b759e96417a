from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "buyer/settings/communication/",
        views.buyer_communication_settings,
        name="buyer_communication_settings",
    ),
    path(
        "settings/notifications/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("settings/messaging/", views.messaging_settings, name="messaging_settings"),
]
