"""The periodic tasks in django-celery-beat, so staff see and change their schedules in the
admin. Created when missing, never overwritten: a schedule staff changed stays as they left it."""

from django.db import migrations

# name: (task, every N minutes)
SCHEDULES = {
    "Response-time metrics (R21)": ("messaging.tasks.response_metrics_task", 60),
    "Auto-close inactive and resolved cases (R10)": ("cases.tasks.cases_auto_close_task", 60),
    "Warn buyers a day before auto-close (R10)": ("messaging.tasks.cases_closing_warn_task", 60),
    "Queue unsent email again (SPEC 5)": ("messaging.tasks.email_queue_sweep", 5),
    "Automatic review requests (R17)": ("messaging.tasks.review_requests_auto_task", 60),
}


def schedules_create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, minutes) in SCHEDULES.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.create(name=name, task=task, interval=interval, enabled=True)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0010_auto_close"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedules_create, migrations.RunPython.noop)]
