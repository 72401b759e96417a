"""Celery tasks of the messaging domain: each takes an id and calls one service, which is safe
to run twice (a state check under a row lock). Transport and database errors retry with
exponential backoff; after the last retry, or on an unexpected error, the row is marked failed
for staff (and an inbound sender is told), never dropped.

Tasks call services; services never import this module: they queue a task by its name through
`messaging.jobs` (the two queued that way take their names from there).
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils import timezone

from cases.services import cases_closing_warn
from messaging import jobs
from messaging.contact_buyer.services import review_requests_auto_send
from messaging.email.services.inbound import inbound_mail_give_up, inbound_mail_process
from messaging.email.services.outbound import (
    case_closing_warning,
    outbound_email_deliver,
    outbound_email_give_up,
)
from messaging.models import InboundMail, OutboundEmail
from messaging.performance.services import response_metrics_compute
from messaging.sanctions.services import sanctions_lift_due
from messaging.sending.services.files import attachment_orphans_sweep

logger = logging.getLogger(__name__)

MAX_RETRIES = 8
TRANSIENT = (SMTPException, OSError, DatabaseError)
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def backoff_seconds(retries: int) -> int:
    """5 s, 10 s, 20 s … at most 10 minutes."""
    return int(min(5 * 2**retries, 600))


@shared_task(name=jobs.OUTBOUND_EMAIL_SEND, bind=True, max_retries=MAX_RETRIES, acks_late=True)
def outbound_email_send(self: Task, email_id: int) -> None:
    try:
        outbound_email_deliver(email_id)
    except TRANSIENT as exc:
        if self.request.retries >= MAX_RETRIES:
            outbound_email_give_up(email_id, f"{type(exc).__name__}: {exc}")
            return
        raise self.retry(exc=exc, countdown=backoff_seconds(self.request.retries)) from exc
    except Exception as exc:
        outbound_email_give_up(email_id, f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name=jobs.INBOUND_MAIL_PROCESS, bind=True, max_retries=MAX_RETRIES, acks_late=True)
def inbound_mail_process_task(self: Task, inbound_id: int) -> None:
    """Only a database that cannot be reached is retried: bad data in the mail is refused by
    the service at once, and any other error would fail the same way again (failed at once,
    the sender told that sending again will not help)."""
    try:
        inbound_mail_process(inbound_id)
    except DATABASE_UNREACHABLE as exc:
        if self.request.retries >= MAX_RETRIES:
            inbound_mail_give_up(inbound_id, f"{type(exc).__name__}: {exc}")
            return
        raise self.retry(exc=exc, countdown=backoff_seconds(self.request.retries)) from exc
    except Exception as exc:
        logger.exception("Inbound mail %s could not be processed", inbound_id)
        inbound_mail_give_up(inbound_id, f"{type(exc).__name__}: {exc}", temporary=False)
        raise


SWEEP_AFTER_SECONDS = 300


@shared_task(acks_late=True)
def email_queue_sweep() -> int:
    """Queue again what was stored but never reached a worker (a broker outage at commit): inbound
    mail not processed and outbound email not sent after five minutes. Idempotent: the tasks
    themselves skip what is already done. Returns how many were queued."""
    before = timezone.now() - timedelta(seconds=SWEEP_AFTER_SECONDS)
    inbound = InboundMail.objects.filter(
        status=InboundMail.Status.RECEIVED, received_at__lt=before
    ).values_list("pk", flat=True)[:1000]
    outbound = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, created_at__lt=before
    ).values_list("pk", flat=True)[:1000]
    for pk in inbound:
        inbound_mail_process_task.delay(pk)
    for pk in outbound:
        outbound_email_send.delay(pk)
    return len(inbound) + len(outbound)


@shared_task(acks_late=True)
def cases_closing_warn_task() -> int:
    """R10: a day before an Opened case closes for lack of activity, tell its buyer (in the
    buyer message center, and by email), once per quiet spell."""
    warned = cases_closing_warn()
    for case in warned:
        case_closing_warning(case)
    return len(warned)


@shared_task(acks_late=True)
def response_metrics_task() -> int:
    """R21: recompute the response-time figures of the days touched since the last run."""
    return response_metrics_compute()


@shared_task(acks_late=True)
def review_requests_auto_task() -> int:
    """R17: the automatic review requests that are due (once per order)."""
    return review_requests_auto_send()


@shared_task(acks_late=True)
def attachment_orphans_sweep_task() -> int:
    """Remove attachment files a rolled-back transaction left without a row (older than a day)."""
    return len(attachment_orphans_sweep())


@shared_task(acks_late=True)
def sanctions_lift_due_task() -> int:
    """R38: lift the staff sanctions past their end date (and tell the sellers' owners)."""
    return sanctions_lift_due()
