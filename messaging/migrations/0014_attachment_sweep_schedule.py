"""The daily sweep of attachment files no row references, in django-celery-beat (created when
missing, never overwritten), like messaging/0011."""

from django.db import migrations

NAME = "Remove attachment files without a message (daily)"
TASK = "messaging.tasks.attachment_orphans_sweep_task"


def schedule_create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    interval, _ = IntervalSchedule.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.create(name=NAME, task=TASK, interval=interval, enabled=True)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0013_dispute_resolution_group")]

    operations = [migrations.RunPython(schedule_create, migrations.RunPython.noop)]
