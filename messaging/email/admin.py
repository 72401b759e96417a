"""The email channel in the staff admin: what came in, what went out (the outbox), and the
sender addresses (R11). Registered by `messaging.admin`, which Django's admin finds."""

from django.contrib import admin
from django.utils.html import format_html

from core.admin import LenientAutocompleteMixin, ReadOnlyAdminMixin
from messaging.models import InboundMail, MessagingPermission, OutboundEmail


@admin.register(InboundMail)
class InboundMailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every mail the relay or webhook accepted, with what became of it (R25: kept)."""

    list_display = [
        "received_at",
        "recipient",
        "envelope_from",
        "sender_authenticated",
        "status",
        "rule",
        "source",
        "size",
    ]
    list_filter = ["status", "authenticated", "source", "rule"]
    search_fields = [
        "recipient",
        "envelope_from",
        "authenticated_from",
        "header_message_id",
        "reason",
        "authentication",
    ]
    date_hierarchy = "received_at"
    show_full_result_count = False
    exclude = ["raw"]
    readonly_fields = ["original"]

    @admin.display(description="sender authenticated", boolean=True, ordering="authenticated")
    def sender_authenticated(self, mail: InboundMail) -> bool:
        """SPF, DKIM and DMARC as checked on arrival (the summary is on the mail's page): a
        forged sender shows here as a refused mail that was not authenticated."""
        return mail.authenticated

    @admin.display(description="original (as received)")
    def original(self, mail: InboundMail) -> str:
        return format_html(
            "<pre class='text-break'>{}</pre>",
            bytes(mail.raw)[:200_000].decode("utf-8", errors="replace"),
        )


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox: every email we queued, its attempts and last error."""

    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "header_message_id", "idempotency_key"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    exclude = ["payload"]
    readonly_fields = ["text_body"]

    @admin.display(description="text")
    def text_body(self, email: OutboundEmail) -> str:
        return format_html("<pre class='text-break'>{}</pre>", email.payload.get("text", ""))


@admin.register(MessagingPermission)
class MessagingPermissionAdmin(LenientAutocompleteMixin, admin.ModelAdmin):
    """Staff can override a seller's sender addresses (R11)."""

    list_display = ["email", "seller", "status", "added_by", "created_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["email", "seller__business_name"]
    list_select_related = ["seller", "added_by"]
    autocomplete_fields = ["seller", "added_by"]
    readonly_fields = ["created_at", "confirmed_at", "status_changed_at"]
