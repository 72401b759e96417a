"""django-celery-beat's admin for the periodic tasks (R10's warnings, metrics, sweeps), with two of
its errors turned into field errors instead of a 500 (found by the admin fuzz test,
tests/cross_cutting/test_fuzz_admin.py): a crontab value celery cannot parse (a negative number)
passed the model's validators and then failed while the form was shown again, and a task name the
form refused made its `clean` read a value that was not there."""

from typing import Any

from celery import schedules
from django import forms
from django.contrib import admin
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

CRONTAB_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


class CrontabScheduleForm(forms.ModelForm):
    class Meta:
        model = CrontabSchedule
        fields = [*CRONTAB_FIELDS, "timezone"]

    def _crontab_value(self, name: str) -> str:
        value: str = self.cleaned_data[name]
        try:
            schedules.crontab(**{name: value})
        except (ValueError, schedules.ParseException) as exc:
            raise forms.ValidationError(f"Celery cannot read this value: {exc}.") from exc
        return value

    def clean_minute(self) -> str:
        return self._crontab_value("minute")

    def clean_hour(self) -> str:
        return self._crontab_value("hour")

    def clean_day_of_month(self) -> str:
        return self._crontab_value("day_of_month")

    def clean_month_of_year(self) -> str:
        return self._crontab_value("month_of_year")

    def clean_day_of_week(self) -> str:
        return self._crontab_value("day_of_week")


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def clean(self) -> dict[str, Any]:
        if "task" not in self.cleaned_data:  # the field refused its value; its error is shown
            return self.cleaned_data
        cleaned: dict[str, Any] = super().clean()
        return cleaned


admin.site.unregister(CrontabSchedule)
admin.site.unregister(PeriodicTask)


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    form = CrontabScheduleForm


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm
