"""A real Celery worker with embedded beat (not eager) on Redis runs the R21 metrics task from
its django-celery-beat schedule: the schedule staff see in the admin is the one that runs."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from messaging.models import MetricsWatermark, ResponseTimeDaily
from messaging.sending import services
from scripts.commands import BIN
from tests.factories import OrderFactory, seller_user
from tests.integration.conftest import (
    process_output,
    start_process,
    stop_process,
    subprocess_env,
    wait_until,
)
from tests.integration.test_celery_worker_redis import _test_database_url, celery_on_redis  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_beat_runs_the_metrics_task_from_its_schedule(celery_on_redis, redis_url, tmp_path):  # noqa: F811
    seller_owner = seller_user()
    seller = seller_owner.seller_membership.seller
    at = timezone.now() - timedelta(days=2)
    order = OrderFactory(seller=seller, placed_at=at - timedelta(days=1))
    draft = services.Draft(body_text="Where?", subject="Parcel", contact_reason="other")
    case = services.message_send(sender=order.buyer, order=order, draft=draft, now=at).case
    services.message_send(
        sender=seller_owner, case=case, draft=services.Draft(body_text="Here."), now=at
    )
    # The registered schedule, made due every 2 seconds for the test (staff could do the same).
    every_two, _ = IntervalSchedule.objects.get_or_create(every=2, period="seconds")
    task = PeriodicTask.objects.get(task="messaging.tasks.response_metrics_task")
    PeriodicTask.objects.exclude(pk=task.pk).update(enabled=False)
    task.interval = every_two
    task.enabled = True
    task.save()
    PeriodicTasks.update_changed()
    assert not MetricsWatermark.objects.exists()

    worker = start_process(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--beat",
            f"--schedule={tmp_path / 'beat-schedule'}",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=beat-{celery_on_redis.strip(':')}@%h",
        ],
        env=subprocess_env(
            CELERY_EAGER="false",
            CELERY_BROKER_URL=redis_url,
            CELERY_BROKER_KEYPREFIX=celery_on_redis,
            DATABASE_URL=_test_database_url(),
        ),
        log_path=tmp_path / "worker.log",
    )
    try:
        wait_until(
            lambda: worker.poll() is not None or MetricsWatermark.objects.exists(),
            timeout=90,
            what="beat to run the metrics task",
        )
        assert worker.poll() is None, f"the worker stopped:\n{process_output(worker)}"
        row = ResponseTimeDaily.objects.get(seller=seller)
        assert (row.counted, row.within_target) == (1, 1)
        assert "messaging.tasks.response_metrics_task" in process_output(worker)
    finally:
        stop_process(worker)
