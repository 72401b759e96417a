from decimal import Decimal

from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import pgettext_lazy

from core.forms import SearchField
from orders.adjustments.models import RefundReason
from orders.returns.models import ReturnReason, ReturnStatus
from orders.returns.photos import return_photo_clean


class ReturnRequestForm(forms.Form):
    """Your Orders › Request a return (buyer-facing: translated)."""

    reason = forms.ChoiceField(
        label=pgettext_lazy("return", "Why are you returning this item?"),
        choices=[("", pgettext_lazy("return", "Choose a reason")), *ReturnReason.choices],
    )
    comment = forms.CharField(
        label=pgettext_lazy("return", "Comments (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        label=pgettext_lazy("return", "Photo (optional)"),
        required=False,
        help_text=pgettext_lazy(
            "return", "A JPEG or PNG picture of the item, if it helps the seller."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def clean_photo(self) -> ContentFile | None:
        upload = self.cleaned_data.get("photo")
        return return_photo_clean(upload) if upload else None


class ReturnFilterForm(forms.Form):
    q = SearchField(placeholder="Order ID or buyer alias")
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *ReturnStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class ReturnRefundForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount",
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    reason = forms.ChoiceField(label="Reason", choices=RefundReason.choices)
