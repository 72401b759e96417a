"""Contact Buyer (R5): the seller writes to the buyer about an order."""

from typing import Any, cast

from django import forms

from messaging.forms import SUBJECT_MAX_LENGTH, AttachmentsField, MessageBodyField, TemplateIdField
from messaging.policy import ORDER_ID_AND_MARK_LENGTH, ReasonAvailability

# What the seller types is kept whole: the subject column holds it with the order ID (R7) and
# "[Important]" (R3) the send adds.
CONTACT_BUYER_SUBJECT_MAX_LENGTH = SUBJECT_MAX_LENGTH - ORDER_ID_AND_MARK_LENGTH


class ContactBuyerForm(forms.Form):
    """Contact Buyer (R5): reasons offered by order status and category; the subject gets the
    order ID (R7) and "[Important]" for critical reasons (R3) when the message is sent."""

    reason = forms.ChoiceField(label="Contact reason", widget=forms.RadioSelect)
    subject = forms.CharField(
        label="Subject",
        max_length=CONTACT_BUYER_SUBJECT_MAX_LENGTH,
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
