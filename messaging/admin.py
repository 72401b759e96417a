"""Staff see every conversation (R25) and work through reported messages (R16).

Messages and attachments are kept for dispute resolution: these admins only read them, and no
admin offers to delete them.
"""

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import Case as SqlCase
from django.db.models import QuerySet, Value, When
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from accounts.admin import RelationshipAdmin
from accounts.http import AuthenticatedRequest
from accounts.models import Relationship
from cases.admin import CaseAdmin
from cases.models import Case
from core.admin import NoDeleteActionMixin, ReadOnlyAdminMixin, ReadOnlyInlineMixin
from messaging.admin_dispute import DisputeFileLinkMixin, dispute_file_link, dispute_file_view
from messaging.models import (
    Attachment,
    BlockedMessageNotice,
    Direction,
    InboundMail,
    Message,
    MessageReport,
    MessagingPermission,
    MetricsWatermark,
    OutboundEmail,
    ResponseTimeDaily,
    StaffWarning,
)
from messaging.policy import CRITICAL_REASONS
from messaging.presentation import contact_reason_label
from messaging.services.moderation import report_dismiss, report_warn
from orders.admin import OrderAdmin
from orders.models import Order

EXCERPT_CHARS = 80


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


def case_admin_link(case_id: int) -> str:
    url = reverse("admin:cases_case_change", args=[case_id])
    return format_html('<a href="{}">Case {}</a>', url, case_id)


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


# ---- the reports queue (R16)

# Open reports first, then the newest: "open" does not sort first by name among the statuses.
OPEN_REPORTS_FIRST = SqlCase(
    When(status=MessageReport.Status.OPEN, then=Value(0)), default=Value(1)
).asc()


@admin.register(MessageReport)
class MessageReportAdmin(NoDeleteActionMixin, admin.ModelAdmin):
    """The reports queue: open reports first; staff dismiss them or take action by warning the
    seller or the buyer of the case (the warning shows in their message center). The status
    moves only through these actions, which record who decided and when; staff notes are the
    one field to edit."""

    # The message comes right after the date, and the queue's stylesheet lets it wrap while the
    # short columns stay on one line, so at 1280 px (with the admin's side panels) the message is
    # in view; the trailing columns scroll inside the list when there is no room for them.
    list_display = [
        "created_at",
        "message_excerpt",
        "reason",
        "status",
        "reported_by",
        "sent_by",
        "seller",
        "case_link",
        "reviewed_by",
        "reviewed_at",
        "warned",
    ]
    list_filter = ["status", "reason"]
    search_fields = [
        "message__subject",
        "message__body_text",
        "message__case__buyer_alias",
        "message__case__order_number",
        "reporter__email",
    ]
    list_select_related = ["reporter", "reviewed_by", "message", "message__seller"]
    # Django's changelist takes an expression here too; the stubs allow field names only.
    ordering = cast(list[str], [OPEN_REPORTS_FIRST, "-created_at", "-id"])
    actions = ["dismiss", "warn_seller", "warn_buyer"]
    fields = [
        "message_link",
        "case_link",
        "dispute_file",
        "sent_by",
        "message_text",
        "reported_by",
        "reason",
        "details",
        "created_at",
        "status",
        "reviewed_by",
        "reviewed_at",
        "warned",
        "staff_notes",
    ]
    readonly_fields = [name for name in cast(list[str], fields) if name != "staff_notes"]

    class Media:
        css = {"all": ["css/admin-reports.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[MessageReport]:
        # One query for the warnings of the whole page.
        return super().get_queryset(request).prefetch_related("warnings")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MessageReport | None = None) -> bool:
        return False

    @admin.display(description="reported by")
    def reported_by(self, report: MessageReport) -> str:
        """The reporting user, or where the report came from (the link of a copy email)."""
        return report.reporter.email if report.reporter else report.reported_via or "—"

    @admin.display(description="sent by", ordering="message__direction")
    def sent_by(self, report: MessageReport) -> str:
        """Who wrote the reported message: the party a warning is usually for."""
        return "Buyer" if report.message.from_buyer else "Seller"

    @admin.display(description="seller", ordering="message__seller__business_name")
    def seller(self, report: MessageReport) -> str:
        return report.message.seller.business_name

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
        case_id = report.message.case_id
        return format_html(
            "{} · {}", case_admin_link(case_id), dispute_file_link(str(case_id), "file")
        )

    @admin.display(description="dispute file")
    def dispute_file(self, report: MessageReport) -> str:
        return dispute_file_link(str(report.message.case_id))

    @admin.display(description="warned")
    def warned(self, report: MessageReport) -> str:
        return ", ".join(warning.get_party_display() for warning in report.warnings.all()) or "—"

    @admin.action(description="Dismiss", permissions=["change"])
    def dismiss(self, request: AuthenticatedRequest, queryset: QuerySet[MessageReport]) -> None:
        reports = list(queryset.filter(status=MessageReport.Status.OPEN))
        for report in reports:
            report_dismiss(report=report, staff_user=request.user)
        self._tell(request, f"{len(reports)} report(s) dismissed.", queryset, len(reports))

    @admin.action(description="Action taken: warn the seller", permissions=["change"])
    def warn_seller(self, request: AuthenticatedRequest, queryset: QuerySet[MessageReport]) -> None:
        self._warn(request, queryset, StaffWarning.Party.SELLER)

    @admin.action(description="Action taken: warn the buyer", permissions=["change"])
    def warn_buyer(self, request: AuthenticatedRequest, queryset: QuerySet[MessageReport]) -> None:
        self._warn(request, queryset, StaffWarning.Party.BUYER)

    def _warn(
        self, request: AuthenticatedRequest, queryset: QuerySet[MessageReport], party: str
    ) -> None:
        reports = list(queryset.exclude(status=MessageReport.Status.DISMISSED))
        for report in reports:
            report_warn(report=report, party=party, staff_user=request.user)
        self._tell(
            request,
            f"The {party} was warned on {len(reports)} report(s); the warning shows in their "
            "message center.",
            queryset,
            len(reports),
        )

    def _tell(
        self,
        request: AuthenticatedRequest,
        text: str,
        queryset: QuerySet[MessageReport],
        acted_on: int,
    ) -> None:
        skipped = queryset.count() - acted_on
        if skipped:
            text += f" {skipped} already decided report(s) were left as they were."
        self.message_user(request, text, level=messages.SUCCESS)


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


# ---- warnings staff issued from the reports queue (R16)


@admin.register(StaffWarning)
class StaffWarningAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued only by the reports queue's actions; the warned party dismisses them."""

    list_display = [
        "created_at",
        "party",
        "seller",
        "buyer",
        "report_link",
        "issued_by",
        "dismissed_at",
        "dismissed_by",
    ]
    list_filter = ["party", ("dismissed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["seller", "buyer", "issued_by", "dismissed_by"]
    search_fields = ["seller__business_name", "buyer__email", "issued_by__email"]
    date_hierarchy = "created_at"

    @admin.display(description="report", ordering="report")
    def report_link(self, warning: StaffWarning) -> str:
        url = reverse("admin:messaging_messagereport_change", args=[warning.report_id])
        return format_html('<a href="{}">Report {}</a>', url, warning.report_id)


# ---- the email channel: what came in, what went out (the outbox), sender addresses (R11)


@admin.register(InboundMail)
class InboundMailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every mail the relay or webhook accepted, with what became of it (R25: kept)."""

    list_display = ["received_at", "recipient", "envelope_from", "status", "rule", "source", "size"]
    list_filter = ["status", "source", "rule"]
    search_fields = ["recipient", "envelope_from", "header_message_id", "reason"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    exclude = ["raw"]
    readonly_fields = ["original"]

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
class MessagingPermissionAdmin(admin.ModelAdmin):
    """Staff can override a seller's sender addresses (R11)."""

    list_display = ["email", "seller", "status", "added_by", "created_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["email", "seller__business_name"]
    list_select_related = ["seller", "added_by"]
    autocomplete_fields = ["seller", "added_by"]
    readonly_fields = ["created_at", "confirmed_at", "status_changed_at"]


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
