"""Report Message (R16), the form of both parties' report page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from messaging.models import ReportReason

REPORT_DETAILS_MAX_LENGTH = 2000


# Buyers report seller messages with this form too: marked for translation (gettext_noop keeps
# the English text; the form shows it translated).
REPORT_REASON_REQUIRED_MSG = gettext_noop("Choose why you are reporting this message.")


class ReportForm(forms.Form):
    """R16: the reason is the reporter's own choice; nothing is preselected."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason…")), *ReportReason.choices],
        error_messages={"required": _(REPORT_REASON_REQUIRED_MSG)},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=REPORT_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
