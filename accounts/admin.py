from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import (
    BuyerProfile,
    NotificationPreferences,
    SellerAccount,
    SellerMembership,
    User,
)


class SellerMembershipInline(admin.TabularInline):
    model = SellerMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("full_name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(SellerAccount)
class SellerAccountAdmin(admin.ModelAdmin):
    list_display = ["business_name", "slug", "accepting_buyer_messages", "created_at"]
    list_filter = ["accepting_buyer_messages"]
    search_fields = ["business_name", "slug", "memberships__user__email"]
    prepopulated_fields = {"slug": ["business_name"]}
    inlines = [SellerMembershipInline]


@admin.register(SellerMembership)
class SellerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "seller", "role", "joined_at"]
    list_filter = ["role", "seller"]
    search_fields = ["user__email", "seller__business_name"]
    list_select_related = ["user", "seller"]
    autocomplete_fields = ["user", "seller"]


@admin.register(BuyerProfile)
class BuyerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "preferred_language", "opted_out_of_unsolicited", "opted_out_at"]
    list_filter = ["preferred_language", "opted_out_of_unsolicited"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(admin.ModelAdmin):
    list_display = [
        "seller",
        "buyer_message_copies",
        "buyer_message_copies_email",
        "opt_out_bounces",
        "updated_at",
    ]
    list_filter = ["buyer_message_copies", "opt_out_bounces"]
    search_fields = ["seller__business_name", "buyer_message_copies_email"]
    list_select_related = ["seller"]
    autocomplete_fields = ["seller"]
