from django import forms

from core.forms import SearchField
from orders.models import OrderStatus


class OrderFilterForm(forms.Form):
    q = SearchField(placeholder="Order ID or buyer alias")
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *OrderStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
