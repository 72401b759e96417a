"""Staff see every conversation (R25) and work through reported messages (R16).

Messages and attachments are kept for dispute resolution: these admins only read them, and no
admin offers to delete them. Django's admin finds this module; the reports queue and the staff
warnings (`messaging.moderation.admin`) and the email channel (`messaging.email.admin`) are
registered by importing them here, as are django-celery-beat's admins with their forms mended
(`messaging.schedule_admin`).
"""

from typing import Any, cast

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from accounts.admin import RelationshipAdmin
from accounts.models import Relationship
from cases.admin import CaseAdmin
from cases.models import Case
from core.admin import ReadOnlyAdminMixin, ReadOnlyInlineMixin
from messaging import schedule_admin  # noqa: F401  (replaces django-celery-beat's two admins)
from messaging.email import admin as email_admin  # noqa: F401  (registers its models)
from messaging.models import (
    Attachment,
    BlockedMessageNotice,
    Direction,
    Message,
    MetricsWatermark,
    ResponseTimeDaily,
)
from messaging.moderation.admin import MessageReportInline
from messaging.moderation.dispute_file import (
    DisputeFileLinkMixin,
    case_admin_link,
    dispute_file_view,
)
from messaging.policy import CRITICAL_REASONS
from messaging.presentation import contact_reason_label
from messaging.sanctions import admin as sanctions_admin  # noqa: F401  (registers Sanction)
from orders.admin import OrderAdmin
from orders.models import Order


def attachment_staff_url(attachment: Attachment) -> str:
    """R13/R25: downloads go through the view that checks the parties (staff may read all);
    staff get the sender's original when the parties' copy had its image metadata removed."""
    url = reverse("messaging:attachment_download", args=[attachment.pk])
    return f"{url}?original=1" if attachment.original else url


def attachment_download_link(attachment: Attachment) -> str:
    return format_html(
        '<a href="{}">{}</a>', attachment_staff_url(attachment), attachment.display_name
    )


def attachment_links(message: Message) -> str:
    """Links to a message's attachments; the queryset must prefetch `attachments`."""
    return (
        format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((attachment_staff_url(a), a.display_name) for a in message.attachments.all()),
        )
        or "—"
    )


# ---- messages


IMPORTANT_IN_SUBJECT = "[important]"


class ImportantSubjectFilter(admin.SimpleListFilter):
    """R3: `[Important]` in an email subject makes a message critical; staff watch for misuse
    (it can cost selling privileges). "Yes, reason not critical" lists the likely misuse: the
    mark on a seller message whose contact reason is not one of the critical ones, or that has
    none (by email, where the mark alone made it critical)."""

    title = "marked [Important]"
    parameter_name = "important"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("misuse", "Yes, reason not critical"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(subject__icontains=IMPORTANT_IN_SUBJECT)
        if self.value() == "misuse":
            return queryset.filter(
                subject__icontains=IMPORTANT_IN_SUBJECT, direction=Direction.SELLER_TO_BUYER
            ).exclude(contact_reason__in=CRITICAL_REASONS)
        if self.value() == "no":
            return queryset.exclude(subject__icontains=IMPORTANT_IN_SUBJECT)
        return queryset


class AttachmentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Attachment
    fields = ["download", "content_type", "size", "sha256", "created_at"]
    readonly_fields = cast(list[str], fields)  # names only, no field groups

    @admin.display(description="file")
    def download(self, attachment: Attachment) -> str:
        return attachment_download_link(attachment)


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
            {"fields": ["created_at", "reason", "subject", "body_text", "body_html"]},
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
    readonly_fields = ["case_link", "reason"]
    inlines = [AttachmentInline, MessageReportInline]
    # R3: the `[Important]` list for misuse review (?important=yes or =misuse): when, which
    # seller, the contact reason in words and whether it is one of the critical reasons.
    important_list_display = [
        "id",
        "created_at",
        "seller",
        "subject",
        "reason",
        "reason_critical",
        "is_critical",
        "channel",
        "outcome",
        "case_link",
    ]

    def get_list_display(self, request: HttpRequest) -> Any:
        if request.GET.get(ImportantSubjectFilter.parameter_name) in ("yes", "misuse"):
            return self.important_list_display
        return super().get_list_display(request)

    @admin.display(description="contact reason")
    def reason(self, message: Message) -> str:
        """The label staff read ("Shipping or delivery"), not the stored code."""
        return contact_reason_label(message.contact_reason) if message.contact_reason else "—"

    @admin.display(description="reason critical", boolean=True)
    def reason_critical(self, message: Message) -> bool | None:
        """Whether the contact reason is a critical one (R3); unknown when none was chosen (a
        message by email, which only the `[Important]` mark made critical)."""
        if not message.contact_reason:
            return None
        return message.contact_reason in CRITICAL_REASONS

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
        if attachment.original:
            return f"{attachment.file.name} (original as sent: {attachment.original.name})"
        return attachment.file.name


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
class CaseWithMessagesAdmin(DisputeFileLinkMixin, CaseAdmin):
    inlines = [MessageInline, *CaseAdmin.inlines]
    # "Dispute file" among the object tools of the changelist too (an empty search page).
    change_list_template = "admin/dispute_file_change_list.html"
    # The contact reason as its label: the codes' labels live here in messaging, above cases.
    fieldsets = [
        (
            name,
            {
                **options,
                "fields": [
                    "reason" if field == "contact_reason" else field for field in options["fields"]
                ],
            },
        )
        for name, options in CaseAdmin.fieldsets
    ]
    readonly_fields = ["reason"]

    @admin.display(description="contact reason")
    def reason(self, case: Case) -> str:
        return contact_reason_label(case.contact_reason) if case.contact_reason else "—"

    def get_urls(self) -> list[URLPattern]:
        """R25: /admin/cases/case/dispute-file/ (`admin:dispute_file`), before the object URLs."""
        view = self.admin_site.admin_view(
            lambda request: dispute_file_view(request, admin_site=self.admin_site)
        )
        return [path("dispute-file/", view, name="dispute_file"), *super().get_urls()]

    def dispute_file_key(self, obj: Case) -> str:
        return str(obj.pk)


# ---- the order and relationship pages link to the dispute file of their order or alias (R25)

admin.site.unregister(Order)
admin.site.unregister(Relationship)


@admin.register(Order)
class OrderWithDisputeFileAdmin(DisputeFileLinkMixin, OrderAdmin):
    def dispute_file_key(self, obj: Order) -> str:
        return obj.number


@admin.register(Relationship)
class RelationshipWithDisputeFileAdmin(DisputeFileLinkMixin, RelationshipAdmin):
    def dispute_file_key(self, obj: Relationship) -> str:
        return obj.buyer_alias


@admin.register(ResponseTimeDaily)
class ResponseTimeDailyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """R21: the daily figures the dashboard reads (computed by the metrics task)."""

    list_display = ["day", "seller", "counted", "within_target", "later", "unanswered"]
    list_filter = ["day"]
    search_fields = ["seller__business_name"]
    list_select_related = ["seller"]
    date_hierarchy = "day"


@admin.register(MetricsWatermark)
class MetricsWatermarkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "changed_after", "computed_at"]
