"""The inbox's filter and search."""

from typing import Any, cast

from django import forms

from core.forms import SearchField
from messaging.inbox.selectors import DEFAULT_INBOX_FILTER, INBOX_FILTERS


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
