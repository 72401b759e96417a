from django import forms

from orders.models import OrderStatus


class OrderFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": "Order ID or buyer alias",
                "type": "search",
                "autocomplete": "off",
                "class": "form-control",
            }
        ),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *OrderStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
