"""The fields every message form shares (the text, attachments, the template a text started
from) and the reply box of the case pages; each page's own form is in its sub-package."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from messaging.attachments import CONTENT_TYPES, IncomingAttachment, format_size
from messaging.models import SUBJECT_MAX_LENGTH as MESSAGE_SUBJECT_MAX_LENGTH

# Templates read these from the bound field (`form.subject.field.max_length`), never a number.
BODY_MAX_LENGTH = 8000
SUBJECT_MAX_LENGTH = MESSAGE_SUBJECT_MAX_LENGTH


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
