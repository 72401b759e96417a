from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import BuyerProfile, NotificationPreferences


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class BuyerCommunicationForm(forms.ModelForm):
    """The buyer's communication settings: preferred language and the R2 opt-out."""

    class Meta:
        model = BuyerProfile
        fields = ["preferred_language", "opted_out_of_unsolicited"]
        # A buyer page: in the buyer's language (accounts.language).
        labels = {
            "preferred_language": _("Preferred language"),
            "opted_out_of_unsolicited": _("Opt out of unsolicited messages from sellers"),
        }
        help_texts = {
            "preferred_language": _(
                "Your pages on AlphaDiscounters, and the messages sellers send from "
                "AlphaDiscounters templates, are in this language (English where a translation "
                "is missing)."
            ),
            "opted_out_of_unsolicited": _(
                "Stops unsolicited messages from all sellers. Replies to messages you wrote still "
                "arrive, and so do critical messages about your orders: product customization "
                "questions, delivery scheduling and shipping address issues."
            ),
        }
        widgets = {"preferred_language": forms.Select(attrs={"class": "form-select"})}


COPIES_EMAIL_REQUIRED_MSG = "Enter the email address that should receive the copies."
BOUNCES_OFF_WARNING = (
    "If you clear this, blocked messages can no longer be confirmed: you will not know when a "
    "message was not delivered because the buyer opted out."
)


class NotificationPreferencesForm(forms.ModelForm):
    """Notification Preferences › Messaging: "Buyer Messages" copies (R22), "Buyer Opt-out"
    bounce-backs (R4)."""

    class Meta:
        model = NotificationPreferences
        fields = ["buyer_message_copies", "buyer_message_copies_email", "opt_out_bounces"]
        labels = {
            "buyer_message_copies": "Buyer Messages: send me a copy of every buyer message",
            "buyer_message_copies_email": "Send the copies to",
            "opt_out_bounces": (
                "Buyer Opt-out: tell me when a message is not delivered because the buyer opted out"
            ),
        }
        help_texts = {
            "buyer_message_copies": (
                "Copies come from the buyer's alias, so you can answer from your email client. "
                "Each copy has one-click links to mark it “No Response Needed” or report it."
            ),
            "buyer_message_copies_email": "Required when copies are on.",
            "opt_out_bounces": (
                "You get a bounce-back email and a notice in your inbox that explains how to send "
                "a critical message instead. " + BOUNCES_OFF_WARNING
            ),
        }
        widgets = {
            # Focus lands in the form after "Edit" (htmx honours autofocus in swapped content).
            "buyer_message_copies": forms.CheckboxInput(attrs={"autofocus": True}),
            "buyer_message_copies_email": forms.EmailInput(
                attrs={"autocomplete": "email", "placeholder": "orders@your-business.example"}
            ),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # a ModelForm's clean() returns its cleaned_data
        copies_on = cleaned.get("buyer_message_copies")
        # Only when the address was left empty, not when it is already marked invalid.
        if (
            copies_on
            and not cleaned.get("buyer_message_copies_email")
            and ("buyer_message_copies_email" not in self.errors)
        ):
            self.add_error("buyer_message_copies_email", COPIES_EMAIL_REQUIRED_MSG)
        return cleaned


class AcceptingMessagesForm(forms.Form):
    """R18: accept buyer messages on/off (vacation)."""

    accepting = forms.TypedChoiceField(
        label="Accept messages from buyers",
        choices=[
            ("on", "On: buyers can write to you"),
            ("off", "Off: only buyers who ordered from you before can write"),
        ],
        coerce=lambda value: value == "on",
        widget=forms.RadioSelect,
    )


class AutoReviewRequestsForm(forms.Form):
    """R17: "Request a Review automatically", a number of days after delivery."""

    auto_review_requests = forms.BooleanField(
        label="Request a Review automatically", required=False
    )
    auto_review_delay_days = forms.IntegerField(
        label="Days after delivery",
        min_value=5,
        max_value=30,
        help_text="5 to 30 days: the window in which a review may be requested (R17).",
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
