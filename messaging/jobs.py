"""The one way messaging code queues background work: a Celery task looked up by its registered
name, queued after the transaction commits.

Services call `enqueue_on_commit` and never import `messaging.tasks`: the tasks call the
services, so importing them back would close a circle (an import-linter contract in
pyproject.toml forbids it). `MessagingConfig.ready` imports the tasks, so every process has them
registered under these names; the names are also what django-celery-beat rows and worker logs
show, so they do not change when code moves.
"""

from celery import current_app
from django.db import transaction

OUTBOUND_EMAIL_SEND = "messaging.tasks.outbound_email_send"
INBOUND_MAIL_PROCESS = "messaging.tasks.inbound_mail_process_task"


def enqueue_on_commit(task_name: str, *args: int) -> None:
    """Queue the task once the current transaction commits (at once outside a transaction).

    Robust: a broker that is down must not undo what caused the work; the sweep task
    (`email_queue_sweep`) queues what is still pending later."""

    def enqueue() -> None:
        current_app.tasks[task_name].delay(*args)

    transaction.on_commit(enqueue, robust=True)
