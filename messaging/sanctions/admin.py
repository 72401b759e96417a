"""Staff sanctions in the staff admin (R30, R35-R37): add one with a reason and an optional end
date (who set it is filled in); lift it, or release or reject the message a hold took. Nothing is
deleted and a sanction is not edited once set: lifting and setting a new one keeps the record.
Registered by `messaging.admin`, which Django's admin finds."""

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from accounts.http import AuthenticatedRequest
from core.admin import LenientAutocompleteMixin, NoDeleteActionMixin
from messaging.models import Sanction
from messaging.sanctions import services


class SanctionForm(forms.ModelForm):
    class Meta:
        model = Sanction
        fields = ["seller", "kind", "reason", "starts_at", "ends_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "reason" not in self.fields:
            return data  # the change page: nothing of a set sanction is edited
        if "reason" not in self.errors and not str(data.get("reason") or "").strip():
            self.add_error("reason", services.REASON_MISSING_MSG)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", services.ENDS_BEFORE_START_MSG)
        return data

    def validate_constraints(self, exclude: Any = None) -> None:
        """The end-date constraint is said in words by clean() above."""


@admin.register(Sanction)
class SanctionAdmin(LenientAutocompleteMixin, NoDeleteActionMixin, admin.ModelAdmin):
    form = SanctionForm
    list_display = [
        "seller",
        "kind",
        "reason",
        "starts_at",
        "ends_at",
        "set_by",
        "held_message",
        "decision",
        "lifted_at",
        "lifted_by",
    ]
    list_filter = ["kind", "decision", ("lifted_at", admin.EmptyFieldListFilter)]
    search_fields = ["seller__business_name", "reason"]
    list_select_related = ["seller", "set_by", "lifted_by", "message"]
    autocomplete_fields = ["seller"]
    actions = ["lift", "release_held", "reject_held"]
    readonly_fields = [
        "held_message",
        "set_by",
        "created_at",
        "decision",
        "lifted_at",
        "lifted_by",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Sanction | None = None) -> Any:
        if obj is None:
            return self.readonly_fields
        return ["seller", "kind", "reason", "starts_at", "ends_at", *self.readonly_fields]

    def has_delete_permission(self, request: HttpRequest, obj: Sanction | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Sanction, form: Any, change: bool) -> None:
        if change:
            return  # set once; lift it and set a new one instead
        created = services.sanction_set(
            seller=obj.seller,
            kind=obj.kind,
            reason=obj.reason,
            set_by=cast(AuthenticatedRequest, request).user,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
        )
        obj.pk, obj.set_by, obj.created_at = created.pk, created.set_by, created.created_at

    @admin.display(description="held message")
    def held_message(self, sanction: Sanction) -> str:
        if sanction.message_id is None:
            return "—"
        url = reverse("admin:messaging_message_change", args=[sanction.message_id])
        return format_html('<a href="{}">Message {}</a>', url, sanction.message_id)

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Sanction], act: Any, done: str
    ) -> None:
        count = 0
        for sanction in queryset:
            try:
                act(sanction, cast(AuthenticatedRequest, request).user)
            except services.SanctionError as error:
                self.message_user(request, f"{sanction}: {error}", messages.WARNING)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} sanction{'s' * (count != 1)} {done}.")

    @admin.action(description="Lift the selected sanctions", permissions=["change"])
    def lift(self, request: HttpRequest, queryset: QuerySet[Sanction]) -> None:
        self._each(
            request,
            queryset,
            lambda sanction, user: services.sanction_lift(sanction=sanction, lifted_by=user),
            "lifted",
        )

    @admin.action(description="Release the held message (deliver it)", permissions=["change"])
    def release_held(self, request: HttpRequest, queryset: QuerySet[Sanction]) -> None:
        self._each(
            request,
            queryset,
            lambda sanction, user: services.held_message_release(
                sanction=sanction, staff_user=user
            ),
            "released",
        )

    @admin.action(description="Reject the held message (never delivered)", permissions=["change"])
    def reject_held(self, request: HttpRequest, queryset: QuerySet[Sanction]) -> None:
        self._each(
            request,
            queryset,
            lambda sanction, user: services.held_message_reject(sanction=sanction, staff_user=user),
            "rejected",
        )
