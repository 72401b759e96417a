"""The buyer's forms: contact the seller about an order, and "Ask a question" from the
storefront (R24). Buyers read them in their language (accounts.language)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import SellerAccount
from messaging.forms import SUBJECT_MAX_LENGTH, AttachmentsField, MessageBodyField
from messaging.models import BuyerContactReason
from orders.models import Order, Product


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
