"""Periodic work of the cases domain (registered in django-celery-beat by a migration)."""

from celery import shared_task

from cases.services import cases_auto_close


@shared_task(acks_late=True)
def cases_auto_close_task() -> int:
    """R10: close cases without activity, and resolved ones after their days (idempotent)."""
    return cases_auto_close()
