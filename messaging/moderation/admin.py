"""The reports queue (R16) and the warnings staff issue from it, in the staff admin. Registered
by `messaging.admin`, which Django's admin finds."""

from typing import cast

from django.contrib import admin, messages
from django.db.models import Case as SqlCase
from django.db.models import QuerySet, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from accounts.http import AuthenticatedRequest
from core.admin import NoDeleteActionMixin, ReadOnlyAdminMixin, ReadOnlyInlineMixin
from messaging.models import MessageReport, StaffWarning
from messaging.moderation.dispute_file import case_admin_link, dispute_file_link
from messaging.moderation.services.decisions import report_dismiss, report_warn

EXCERPT_CHARS = 80


class MessageReportInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = MessageReport
    fields = ["created_at", "reporter", "reason", "details", "status", "reviewed_by"]
    readonly_fields = cast(list[str], fields)  # names only, no field groups

    def get_queryset(self, request: HttpRequest) -> QuerySet[MessageReport]:
        return super().get_queryset(request).select_related("reporter", "reviewed_by")


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
