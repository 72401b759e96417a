"""Every periodic task is registered in django-celery-beat (by messaging/0011), so staff see and
change its schedule in the admin, and each names a task the worker knows."""

import pytest
from django_celery_beat.models import PeriodicTask

from config.celery import app

EXPECTED = {
    "messaging.tasks.response_metrics_task",
    "cases.tasks.cases_auto_close_task",
    "messaging.tasks.cases_closing_warn_task",
    "messaging.tasks.email_queue_sweep",
    "messaging.tasks.review_requests_auto_task",
    "messaging.tasks.attachment_orphans_sweep_task",
    "messaging.tasks.sanctions_lift_due_task",
}


@pytest.mark.django_db
def test_the_periodic_tasks_are_scheduled_and_known_to_the_worker():
    scheduled = {task.task: task for task in PeriodicTask.objects.select_related("interval")}
    assert set(scheduled) >= EXPECTED
    app.loader.import_default_modules()
    for name in EXPECTED:
        assert name in app.tasks, name
        assert scheduled[name].enabled
        assert scheduled[name].interval is not None


@pytest.mark.django_db
def test_a_schedule_staff_changed_is_kept_when_the_registration_runs_again():
    from importlib import import_module

    from django.apps import apps

    registration = import_module("messaging.migrations.0011_periodic_tasks")
    task = PeriodicTask.objects.get(task="messaging.tasks.response_metrics_task")
    task.enabled = False
    task.save()
    registration.schedules_create(apps, None)
    task.refresh_from_db()
    assert not task.enabled
    assert PeriodicTask.objects.filter(task="messaging.tasks.response_metrics_task").count() == 1
