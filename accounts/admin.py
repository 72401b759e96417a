"""Staff edit accounts here; every change a rule depends on goes through the service that
records it (R2's opted_out_at, R18's accepting_changed_at), and relationships (R1) are read-only.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from accounts.models import (
    BuyerProfile,
    NotificationPreferences,
    Relationship,
    SellerAccount,
    SellerMembership,
    User,
)
from accounts.services import buyer_profile_update, seller_set_accepting_messages
from core.admin import LenientAutocompleteMixin, ReadOnlyAdminMixin


class SellerMembershipInline(LenientAutocompleteMixin, admin.TabularInline):
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
    readonly_fields = ["accepting_changed_at"]
    inlines = [SellerMembershipInline]

    def save_model(
        self, request: HttpRequest, obj: SellerAccount, form: forms.ModelForm, change: bool
    ) -> None:
        """R18: the accepting flag changes only with its timestamp, through the service."""
        accepting = obj.accepting_buyer_messages
        # Save everything else with the flag as it was (a new account starts accepting) ...
        obj.accepting_buyer_messages = (
            form.initial.get("accepting_buyer_messages", True) if change else True
        )
        super().save_model(request, obj, form, change)
        # ... then change the flag the one way that records when.
        if accepting != obj.accepting_buyer_messages:
            updated = seller_set_accepting_messages(seller=obj, accepting=accepting)
            obj.accepting_buyer_messages = updated.accepting_buyer_messages
            obj.accepting_changed_at = updated.accepting_changed_at


@admin.register(SellerMembership)
class SellerMembershipAdmin(LenientAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "seller", "role", "joined_at"]
    list_filter = ["role", "seller"]
    search_fields = ["user__email", "seller__business_name"]
    list_select_related = ["user", "seller"]
    autocomplete_fields = ["user", "seller"]


@admin.register(BuyerProfile)
class BuyerProfileAdmin(LenientAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "preferred_language", "opted_out_of_unsolicited", "opted_out_at"]
    list_filter = ["preferred_language", "opted_out_of_unsolicited"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["opted_out_at"]

    def save_model(
        self, request: HttpRequest, obj: BuyerProfile, form: forms.ModelForm, change: bool
    ) -> None:
        """R2: opting out records when, through the same service as the buyer's settings page."""
        profile = buyer_profile_update(
            user=obj.user,
            preferred_language=obj.preferred_language,
            opted_out=obj.opted_out_of_unsolicited,
        )
        obj.pk, obj.opted_out_at = profile.pk, profile.opted_out_at


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(LenientAutocompleteMixin, admin.ModelAdmin):
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


@admin.register(Relationship)
class RelationshipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """R1: made only by the relationship service (first order or contact); its parties and
    aliases never change, so staff read them here."""

    list_display = [
        "buyer_alias",
        "seller_alias",
        "buyer",
        "seller",
        "created_at",
        "first_order_at",
    ]
    list_filter = ["seller"]
    search_fields = ["buyer_alias", "seller_alias", "buyer__email", "seller__business_name"]
    list_select_related = ["buyer", "seller"]
