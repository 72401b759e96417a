from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import SellerAccount
from core.forms import SearchField
from messaging.attachments import CONTENT_TYPES, IncomingAttachment, format_size
from messaging.models import BuyerContactReason, ReportReason
from messaging.policy import ReasonAvailability
from messaging.selectors import DEFAULT_INBOX_FILTER, INBOX_FILTERS
from orders.models import Order, Product

# Templates read these from the bound field (`form.subject.field.max_length`), never a number.
BODY_MAX_LENGTH = 8000
SUBJECT_MAX_LENGTH = 200
REPORT_DETAILS_MAX_LENGTH = 2000


def attachments_help_text() -> str:
    """R13 as every form with attachments states it, from the settings and the allowed types:
    "Up to 10 files, 7 MB each: .txt, .pdf, …" (in the language of the page)."""
    return gettext("Up to {count} files, {size} each: {types}").format(
        count=settings.MESSAGING_ATTACHMENTS_PER_MESSAGE,
        size=format_size(settings.MESSAGING_ATTACHMENT_MAX_BYTES),
        types=", ".join(CONTENT_TYPES),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (https://docs.djangoproject.com/en/5.2/topics/http/file-uploads/)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class AttachmentsField(MultipleFileField):
    """The "Attachments" input of every message form, with the R13 help text.

    The help text is computed when the form is shown, so it follows the settings (and
    override_settings in tests) instead of freezing them at import time.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault("help_text", lazy(attachments_help_text, str)())
        super().__init__(*args, **kwargs)


def incoming_attachments(files: Iterable[UploadedFile] | None) -> list[IncomingAttachment]:
    """Uploaded files as the services take them (content is checked there, R13).

    At most one byte past the R13 limit is read from each file: that is enough for the check
    to refuse it, and a huge upload is never held in memory. Its real size goes along for the
    refusal message."""
    read_at_most = settings.MESSAGING_ATTACHMENT_MAX_BYTES + 1
    return [
        IncomingAttachment(name=f.name or "", content=f.read(read_at_most), size=f.size)
        for f in files or []
    ]


class MessageBodyField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault("max_length", BODY_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6, "class": "form-control"}))
        kwargs.setdefault("strip", True)
        super().__init__(*args, **kwargs)


# Buyers read the forms below in their language (accounts.language): their texts are translated.
class ReplyForm(forms.Form):
    body = MessageBodyField(label=_("Reply"))
    attachments = AttachmentsField()


class TemplateIdField(forms.IntegerField):
    """The seller template a message was started from (R23), filled in by Insert Template;
    anything that is not an id is no template (the send funnel ignores other sellers' ids)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        try:
            number = super().to_python(value)
        except forms.ValidationError:
            return None
        return number if number is not None and number > 0 else None


class SellerReplyForm(ReplyForm):
    """The seller's reply box: a reply, attachments and the template it started from."""

    template = TemplateIdField()


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


class InboxFilterForm(forms.Form):
    filter = forms.ChoiceField(
        label="Show",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = SearchField(placeholder="Buyer alias, order ID or text")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["filter"]).choices = [
            (key, label) for key, (label, _, _) in INBOX_FILTERS.items()
        ]

    def selection(self) -> tuple[str, str]:
        """(filter key, search text); an unknown filter falls back to Response Needed."""
        if not self.is_valid():
            return DEFAULT_INBOX_FILTER, ""
        return self.cleaned_data["filter"] or DEFAULT_INBOX_FILTER, self.cleaned_data["q"]


class ContactSellerForm(forms.Form):
    """A buyer writes to the seller about one order."""

    reason = forms.ChoiceField(
        label=_("Contact reason"),
        choices=[("", _("Choose a reason…")), *BuyerContactReason.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        required=False,
        help_text=_("Leave it empty to use the contact reason and the order ID."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    body = MessageBodyField()
    attachments = AttachmentsField()

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        self.order = order
        super().__init__(*args, **kwargs)

    @staticmethod
    def subject_for(*, reason: str, order_number: str) -> str:
        """The subject prefilled from the reason and the order ID."""
        if reason in BuyerContactReason.values:
            return gettext("{reason} — order {order_number}").format(
                reason=BuyerContactReason(reason).label, order_number=order_number
            )
        return gettext("Question about order {order_number}").format(order_number=order_number)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None
        if not cleaned.get("subject") and cleaned.get("reason"):
            cleaned["subject"] = self.subject_for(
                reason=cleaned["reason"], order_number=self.order.number
            )
        return cleaned


class StoreAskForm(forms.Form):
    """R24: "Ask a question" from the storefront, without an order."""

    product = forms.ModelChoiceField(
        label=_("Product (optional)"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=_("A general question, not about one product"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    body = MessageBodyField()

    def __init__(self, *args: Any, seller: SellerAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["product"]).queryset = Product.objects.filter(
            seller=seller
        ).order_by("title")


class ContactBuyerForm(forms.Form):
    """Contact Buyer (R5): reasons offered by order status and category; the subject gets the
    order ID (R7) and "[Important]" for critical reasons (R3) when the message is sent."""

    reason = forms.ChoiceField(label="Contact reason", widget=forms.RadioSelect)
    subject = forms.CharField(
        label="Subject",
        max_length=SUBJECT_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="The order ID is added automatically.",
    )
    body = MessageBodyField(label="Message")
    attachments = AttachmentsField()
    # R23: the seller template, or the platform template of the reason, the text started from.
    template = TemplateIdField()
    platform_template = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, reasons: list[ReasonAvailability], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason_options = reasons
        cast(forms.ChoiceField, self.fields["reason"]).choices = [
            (r.key, r.label) for r in reasons if r.available
        ]
