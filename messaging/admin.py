"""Staff see every conversation (R25) and work through reported messages (R16).

Messages and attachments are kept for dispute resolution: these admins only read them, and no
admin offers to delete them.
"""

from typing import cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from accounts.http import AuthenticatedRequest
from cases.admin import CaseAdmin
from cases.models import Case
from core.admin import NoDeleteActionMixin, ReadOnlyAdminMixin, ReadOnlyInlineMixin
from messaging.models import (
    Attachment,
    BlockedMessageNotice,
    MarketingPhrase,
    Message,
    MessageReport,
)
from messaging.services.moderation import report_mark_reviewed

EXCERPT_CHARS = 80


def attachment_download_link(attachment: Attachment) -> str:
    """R13: downloads go through the view that checks the parties (staff may read all)."""
    url = reverse("messaging:attachment_download", args=[attachment.pk])
    return format_html('<a href="{}">{}</a>', url, attachment.display_name)


def attachment_links(message: Message) -> str:
    """Links to a message's attachments; the queryset must prefetch `attachments`."""
    return (
        format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("messaging:attachment_download", args=[a.pk]), a.display_name)
                for a in message.attachments.all()
            ),
        )
        or "—"
    )


def case_admin_link(case_id: int) -> str:
    url = reverse("admin:cases_case_change", args=[case_id])
    return format_html('<a href="{}">Case {}</a>', url, case_id)


# ---- messages


class ImportantSubjectFilter(admin.SimpleListFilter):
    """R3: `[Important]` in an email subject makes a message critical; staff watch for misuse."""

    title = "marked [Important]"
    parameter_name = "important"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(subject__icontains="[important]")
        if self.value() == "no":
            return queryset.exclude(subject__icontains="[important]")
        return queryset


class AttachmentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Attachment
    fields = ["download", "content_type", "size", "sha256", "created_at"]
    readonly_fields = cast(list[str], fields)  # names only, no field groups

    @admin.display(description="file")
    def download(self, attachment: Attachment) -> str:
        return attachment_download_link(attachment)


class MessageReportInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = MessageReport
    fields = ["created_at", "reporter", "reason", "details", "status", "reviewed_by"]
    readonly_fields = cast(list[str], fields)  # names only, no field groups

    def get_queryset(self, request: HttpRequest) -> QuerySet[MessageReport]:
        return super().get_queryset(request).select_related("reporter", "reviewed_by")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "created_at",
        "direction",
        "seller",
        "case_link",
        "subject",
        "outcome",
        "outcome_rule",
        "is_critical",
        "response_state",
        "channel",
    ]
    list_filter = [
        ImportantSubjectFilter,
        "direction",
        "outcome",
        "is_critical",
        "channel",
        "response_state",
        "seller",
    ]
    search_fields = [
        "subject",
        "body_text",
        "case__buyer_alias",
        "case__order_number",
        "case__relationship__seller_alias",
        "order__number",
    ]
    search_help_text = "Subject, text, buyer or seller alias, order ID."
    list_select_related = ["seller"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    # Counting a table of millions twice per page is wasted work for staff.
    show_full_result_count = False
    fieldsets = [
        (
            None,
            {"fields": ["case_link", "seller", "order", "direction", "sender", "channel"]},
        ),
        (
            "Content",
            {"fields": ["created_at", "contact_reason", "subject", "body_text", "body_html"]},
        ),
        ("Delivery", {"fields": ["is_critical", "outcome", "outcome_rule", "outcome_reason"]}),
        (
            "Response",
            {
                "fields": [
                    "response_state",
                    "responded_at",
                    "no_response_needed_at",
                    "no_response_needed_by",
                ]
            },
        ),
        ("Email", {"fields": ["email_message_id"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["case_link"]
    inlines = [AttachmentInline, MessageReportInline]

    @admin.display(description="case", ordering="case")
    def case_link(self, message: Message) -> str:
        return case_admin_link(message.case_id)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "download",
        "message_link",
        "content_type",
        "size",
        "created_at",
    ]
    list_filter = ["content_type", "extension"]
    search_fields = [
        "display_name",
        "sha256",
        "message__case__order_number",
        "message__case__buyer_alias",
    ]
    ordering = ["-id"]
    show_full_result_count = False
    # The stored file is shown as a download link through the checked view, never its media URL.
    fields = [
        "download",
        "message_link",
        "display_name",
        "extension",
        "content_type",
        "size",
        "sha256",
        "stored_name",
        "created_at",
    ]
    readonly_fields = ["download", "message_link", "stored_name"]

    @admin.display(description="file")
    def download(self, attachment: Attachment) -> str:
        return attachment_download_link(attachment)

    @admin.display(description="message", ordering="message")
    def message_link(self, attachment: Attachment) -> str:
        url = reverse("admin:messaging_message_change", args=[attachment.message_id])
        return format_html('<a href="{}">Message {}</a>', url, attachment.message_id)

    @admin.display(description="stored as")
    def stored_name(self, attachment: Attachment) -> str:
        return attachment.file.name


# ---- moderation queue (R16)


@admin.register(MessageReport)
class MessageReportAdmin(NoDeleteActionMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "reason",
        "status",
        "reporter",
        "message_excerpt",
        "case_link",
        "reviewed_by",
    ]
    list_filter = ["status", "reason"]
    search_fields = [
        "message__subject",
        "message__body_text",
        "message__case__buyer_alias",
        "message__case__order_number",
        "reporter__email",
    ]
    list_select_related = ["reporter", "reviewed_by", "message"]
    # Open reports first ("open" sorts before "reviewed"), newest first: the report_queue index.
    ordering = ["status", "-created_at"]
    actions = ["mark_reviewed"]
    fields = [
        "message_link",
        "case_link",
        "message_text",
        "reporter",
        "reason",
        "details",
        "created_at",
        "status",
        "reviewed_by",
        "reviewed_at",
        "staff_notes",
    ]
    # Staff write notes; the status moves only through "Mark reviewed" (who and when recorded).
    readonly_fields = [name for name in cast(list[str], fields) if name != "staff_notes"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MessageReport | None = None) -> bool:
        return False

    @admin.display(description="message")
    def message_excerpt(self, report: MessageReport) -> str:
        message = report.message
        return f"{message.subject} — {Truncator(message.body_text).chars(EXCERPT_CHARS)}"

    @admin.display(description="message text")
    def message_text(self, report: MessageReport) -> str:
        return report.message.body_text

    @admin.display(description="message")
    def message_link(self, report: MessageReport) -> str:
        url = reverse("admin:messaging_message_change", args=[report.message_id])
        return format_html('<a href="{}">{}</a>', url, report.message.subject)

    @admin.display(description="case")
    def case_link(self, report: MessageReport) -> str:
        return case_admin_link(report.message.case_id)

    @admin.action(description="Mark reviewed", permissions=["change"])
    def mark_reviewed(
        self, request: AuthenticatedRequest, queryset: QuerySet[MessageReport]
    ) -> None:
        reports = list(queryset.filter(status=MessageReport.Status.OPEN))
        for report in reports:
            report_mark_reviewed(report=report, staff_user=request.user)
        self.message_user(
            request, f"{len(reports)} report(s) marked reviewed.", level=messages.SUCCESS
        )


@admin.register(MarketingPhrase)
class MarketingPhraseAdmin(admin.ModelAdmin):
    """R12: the marketing and coupon phrases seller messages may not contain."""

    list_display = ["phrase", "active", "created_at"]
    list_editable = ["active"]
    list_filter = ["active"]
    search_fields = ["phrase"]


@admin.register(BlockedMessageNotice)
class BlockedMessageNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """R4: the inbox notices of messages blocked by a buyer's opt-out."""

    list_display = ["created_at", "seller", "message", "dismissed_at"]
    list_filter = ["seller", ("dismissed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["seller", "message"]
    search_fields = ["message__subject", "message__case__buyer_alias"]


# ---- cases: the case page of cases.admin, with every message of the case (R25)


class MessageInline(ReadOnlyInlineMixin, admin.StackedInline):
    model = Message
    fields = [
        ("direction", "sender", "created_at", "channel"),
        "subject",
        "body_text",
        ("outcome", "outcome_rule", "outcome_reason"),
        "response_state",
        "attachments",
    ]
    readonly_fields = [
        "direction",
        "sender",
        "created_at",
        "channel",
        "subject",
        "body_text",
        "outcome",
        "outcome_rule",
        "outcome_reason",
        "response_state",
        "attachments",
    ]
    ordering = ["created_at", "id"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("sender").prefetch_related("attachments")
        )

    @admin.display(description="attachments")
    def attachments(self, message: Message) -> str:
        return attachment_links(message)


admin.site.unregister(Case)


@admin.register(Case)
class CaseWithMessagesAdmin(CaseAdmin):
    inlines = [MessageInline, *CaseAdmin.inlines]
