from django import forms

from orders.adjustments.models import RefundReason


class CancelOrderForm(forms.Form):
    """The reason as chosen; order_cancel decides (its refusals are shown on the page)."""

    reason = forms.ChoiceField(
        label="Reason for the adjustment",
        choices=[("", "Choose a reason"), *RefundReason.choices],
        widget=forms.Select(attrs={"class": "form-select", "aria-describedby": "reason-help"}),
        error_messages={
            "required": "Choose the reason for canceling the order.",
            "invalid_choice": "Choose a reason from the list.",
        },
    )

    def mark_invalid(self) -> None:
        """Bootstrap's invalid style and the error read with the field."""
        if "reason" in self.errors:
            attrs = self.fields["reason"].widget.attrs
            attrs["class"] = "form-select is-invalid"
            attrs["aria-describedby"] = "reason-errors reason-help"
