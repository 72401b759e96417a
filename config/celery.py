import os
from typing import Any

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("sellercentral")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def database_connections_tidy(task: Task | None = None, **kwargs: Any) -> None:
    """Around each task, what Django does around each request: drop a connection that is broken
    or older than CONN_MAX_AGE, keep the others (with CONN_HEALTH_CHECKS, tested once at the
    task's first query). An eager task runs inside its caller's transaction: left alone."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    close_old_connections()
