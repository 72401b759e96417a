from django import forms

from orders.shipping.models import Carrier
from orders.shipping.rules import CARRIER_OTHER_MAX_LENGTH, TRACKING_MAX_LENGTH


class ConfirmShipmentForm(forms.Form):
    """The fields as typed; order_confirm_shipment decides (its errors land on these fields)."""

    carrier = forms.ChoiceField(
        label="Carrier",
        choices=[("", "Choose a carrier"), *Carrier.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Choose the carrier from the list."},
    )
    carrier_other = forms.CharField(
        label="Carrier name (if Other)",
        required=False,
        # A little room over the limit, so the service says it in words instead of the
        # browser cutting the name.
        max_length=CARRIER_OTHER_MAX_LENGTH * 2,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    tracking_number = forms.CharField(
        label="Tracking number",
        max_length=TRACKING_MAX_LENGTH * 2,
        widget=forms.TextInput(
            attrs={"class": "form-control font-monospace", "autocomplete": "off"}
        ),
        error_messages={"required": "Enter the tracking number the carrier gave you."},
    )
    ship_date = forms.DateField(
        label="Ship date",
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the day you shipped the order.",
            "invalid": "Enter the ship date as a date, like 2026-12-08.",
        },
    )

    def mark_invalid(self) -> None:
        """Bootstrap's invalid style and the error read with each field that has one."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-describedby"] = f"{name}-errors"
