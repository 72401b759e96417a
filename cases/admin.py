"""R25: staff read every case with its messages and its transition log; nothing here changes or
deletes them (state changes happen only in the seller's inbox and the auto-close task).

The case page's messages are added by `messaging.admin`, which knows them (layers point down)."""

from typing import cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from cases.models import INBOX_SUMMARY_FIELDS, Case, CaseSearchText, CaseTransition
from core.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin


class CaseTransitionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CaseTransition
    fields = ["created_at", "kind", "from_status", "to_status", "actor", "assignee", "cause"]
    readonly_fields = cast(list[str], fields)  # names only, no field groups
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseTransition]:
        return super().get_queryset(request).select_related("actor", "assignee")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "subject",
        "seller",
        "buyer_alias",
        "order_number",
        "status",
        "needs_response",
        "assigned_to",
        "waiting_since",
        "latest_message_at",
    ]
    list_filter = [
        "status",
        "needs_response",
        "reported",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        "seller",
    ]
    # `messages__subject` crosses a to-many join; Django's changelist then filters through an
    # EXISTS subquery, so a case with several matching messages is still listed once.
    search_fields = [
        "buyer_alias",
        "order_number",
        "subject",
        "relationship__seller_alias",
        "buyer__email",
        "messages__subject",
    ]
    search_help_text = "Buyer alias, seller alias, order ID, buyer email or subject."
    list_select_related = ["seller", "assigned_to"]
    show_full_result_count = False
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "seller",
                    "buyer",
                    "relationship",
                    "order",
                    "product",
                    "contact_reason",
                    "subject",
                    "started_by",
                ]
            },
        ),
        (
            "State",
            {
                "fields": [
                    "status",
                    "assigned_to",
                    "created_at",
                    "status_changed_at",
                    "last_activity_at",
                ]
            },
        ),
        (
            "Inbox summary",
            {
                "classes": ["collapse"],
                "fields": ["buyer_alias", "order_number", *INBOX_SUMMARY_FIELDS],
            },
        ),
    ]
    inlines = [CaseTransitionInline]


@admin.register(CaseTransition)
class CaseTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every state change and assignment of every case, with who or what made it."""

    list_display = [
        "created_at",
        "case",
        "kind",
        "from_status",
        "to_status",
        "actor",
        "assignee",
        "cause",
    ]
    list_filter = ["kind", "to_status", "cause"]
    search_fields = ["case__subject", "case__order_number", "case__buyer_alias", "actor__email"]
    list_select_related = ["case", "actor", "assignee"]
    date_hierarchy = "created_at"


@admin.register(CaseSearchText)
class CaseSearchTextAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What inbox search matches on each case besides its messages (a copy of the case's alias,
    order ID and subject, written when the case opens), for staff checking why a search finds
    or misses a case."""

    list_display = ["case", "seller", "buyer_alias", "order_number", "subject"]
    search_fields = ["buyer_alias", "order_number", "subject"]
    list_select_related = ["case", "seller"]
