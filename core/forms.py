"""Form building blocks every app's pages share."""

from django import forms

SEARCH_MAX_LENGTH = 100


class SearchField(forms.CharField):
    """The search box of a list page (inbox, Manage Orders, Manage Templates): optional, a
    browser search input that does not autocomplete."""

    def __init__(self, *, placeholder: str, label: str = "Search") -> None:
        super().__init__(
            label=label,
            required=False,
            max_length=SEARCH_MAX_LENGTH,
            widget=forms.TextInput(
                attrs={
                    "type": "search",
                    "class": "form-control",
                    "placeholder": placeholder,
                    "autocomplete": "off",
                }
            ),
        )
