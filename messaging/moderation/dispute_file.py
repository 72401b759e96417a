"""The staff "Dispute file" (R25): everything about one order, alias or case on one page.

`/admin/cases/case/dispute-file/?q=<order ID | alias | case ID>` (URL name
`admin:dispute_file`, added by the case admin in `messaging.admin`). The Order, Relationship and
Case change pages link to it (`DisputeFileLinkMixin`), and so do the reports queue's rows. It
only reads: the selector `messaging.moderation.selectors.dispute_file` fetches it in a fixed
number of queries whatever the number of messages.
"""

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from cases.models import Case
from messaging.moderation import selectors

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _ModelAdminBase = ModelAdmin[Any]
else:
    _ModelAdminBase = object

# Reading a dispute file is reading cases and messages.
DISPUTE_FILE_PERMISSIONS = ("cases.view_case", "messaging.view_message")
DISPUTE_FILE_TEMPLATE = "admin/messaging/dispute_file.html"


def case_admin_link(case_id: int) -> str:
    """The staff page of a case (with every message of it), linked beside its dispute file."""
    url = reverse("admin:cases_case_change", args=[case_id])
    return format_html('<a href="{}">Case {}</a>', url, case_id)


def dispute_file_url(key: str) -> str:
    """The dispute file of an order ID, an alias or a case ID."""
    return f"{reverse('admin:dispute_file')}?{urlencode({'q': key})}"


def dispute_file_link(key: str, text: str = "Dispute file") -> str:
    return format_html('<a href="{}" class="dispute-file-link">{}</a>', dispute_file_url(key), text)


@require_safe
def dispute_file_view(request: HttpRequest, *, admin_site: AdminSite) -> TemplateResponse:
    """Staff with view permission on cases and messages; others get 403 (the admin site has
    already sent anyone who is not active staff to its login page). It only reads: GET."""
    if not request.user.has_perms(DISPUTE_FILE_PERMISSIONS):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    file = selectors.dispute_file(query) if query else None
    context = {
        **admin_site.each_context(request),
        "title": f"Dispute file: {file.kind} {file.key}" if file else "Dispute file",
        "subtitle": None,
        "opts": Case._meta,
        "query": query,
        "file": file,
        "not_found": bool(query) and file is None,
        "max_cases": selectors.DISPUTE_FILE_MAX_CASES,
    }
    request.current_app = admin_site.name
    return TemplateResponse(request, DISPUTE_FILE_TEMPLATE, context)


class DisputeFileLinkMixin(_ModelAdminBase):
    """A "Dispute file" button among the change page's object tools (next to History)."""

    change_form_template = "admin/dispute_file_change_form.html"

    def dispute_file_key(self, obj: Any) -> str:
        raise NotImplementedError

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Model | None = None,
    ) -> Any:
        if obj is not None and obj.pk is not None:
            context["dispute_file_url"] = dispute_file_url(self.dispute_file_key(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)
