"""A real Celery worker (not eager) on Redis processes an inbound mail end to end: the mail is
stored and committed here, its task goes through Redis to a `celery -A config worker` process
on the test database, which turns it into a message in the seller's inbox."""

import re
import secrets
from email.message import EmailMessage
from urllib.parse import quote

import kombu.pools
import pytest
from django.db import connection

from config.celery import app as celery_app
from messaging.email.authentication import sender_check
from messaging.email.services.inbound import inbound_mail_receive
from messaging.models import InboundMail, Message
from scripts.commands import BIN
from tests.factories import RelationshipFactory
from tests.integration.conftest import (
    process_output,
    start_process,
    stop_process,
    subprocess_env,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _test_database_url(application_name: str = "") -> str:
    """The database this test runs on, for the worker process (its connections named
    `application_name` in pg_stat_activity, when given)."""
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    query = f"?application_name={application_name}" if application_name else ""
    return f"postgres://{auth}{host}{port}/{settings['NAME']}{query}"


@pytest.fixture
def celery_on_redis(redis_url):
    """This process publishes tasks to Redis instead of running them eagerly, under a key
    prefix of its own so other runs on the same Redis never see them."""
    prefix = f"sc-test-{secrets.token_hex(4)}:"
    keys = ("task_always_eager", "broker_url", "broker_transport_options")
    saved = {key: celery_app.conf[key] for key in keys}

    def reset_pools():
        # Celery keeps its pools in kombu's process-wide registry (eager tasks use one too):
        # close and forget them all, so the next task makes fresh ones for the broker_url of
        # the moment.
        kombu.pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    reset_pools()
    celery_app.conf.update(
        task_always_eager=False,
        broker_url=redis_url,
        broker_transport_options={"global_keyprefix": prefix},
    )
    try:
        yield prefix
    finally:
        reset_pools()
        celery_app.conf.update(saved)
        import redis

        client = redis.Redis.from_url(redis_url, socket_timeout=5)
        try:
            for key in client.scan_iter(match=f"{prefix}*"):
                client.delete(key)
        finally:
            client.close()


def _worker_start(prefix: str, redis_url: str, log_path, application_name: str = ""):
    worker = start_process(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=test-{prefix.strip(':')}@%h",
        ],
        env=subprocess_env(
            CELERY_EAGER="false",
            CELERY_BROKER_URL=redis_url,
            CELERY_BROKER_KEYPREFIX=prefix,
            DATABASE_URL=_test_database_url(application_name),
            CONN_MAX_AGE="60",  # as in production
        ),
        log_path=log_path,
    )
    wait_until(
        lambda: worker.poll() is not None or "ready." in process_output(worker),
        timeout=60,
        what="the Celery worker to start",
    )
    assert worker.poll() is None, f"the worker stopped:\n{process_output(worker)}"
    return worker


def _mail_buyer_to_seller(relationship, text: str) -> InboundMail:
    buyer = relationship.buyer
    mail = EmailMessage()
    mail["From"] = f"Buyer <{buyer.email}>"
    mail["To"] = relationship.seller_alias
    mail["Subject"] = "Is the blue one in stock?"
    mail["Message-ID"] = f"<{secrets.token_hex(8)}@buyer.example.com>"
    mail.set_content(text)
    raw = mail.as_bytes()
    (stored,) = inbound_mail_receive(
        raw=raw,
        recipients=[relationship.seller_alias],
        envelope_from=buyer.email,
        source=InboundMail.Source.SMTP,
        # as the relay checks it over loopback (the test zone allows 127.0.0.1 by SPF)
        check=sender_check(raw, envelope_from=buyer.email, client_ip="127.0.0.1"),
    )
    return stored


def _processed(stored: InboundMail) -> bool:
    stored.refresh_from_db()
    return stored.status != InboundMail.Status.RECEIVED


def test_worker_on_redis_turns_an_inbound_mail_into_a_message(celery_on_redis, redis_url, tmp_path):
    relationship = RelationshipFactory()
    buyer = relationship.buyer
    worker = _worker_start(celery_on_redis, redis_url, tmp_path / "worker.log")
    try:
        stored = _mail_buyer_to_seller(relationship, "Hello, is the blue one in stock? Thanks.")
        wait_until(
            lambda: _processed(stored), timeout=60, what="the worker to process the inbound mail"
        )
        assert stored.status == InboundMail.Status.ACCEPTED, (stored.rule, stored.reason)
        message = Message.objects.get(pk=stored.message_id)
        assert message.sender_id == buyer.pk
        assert message.case.relationship_id == relationship.pk
        assert message.channel == "email"
        assert "blue one in stock" in message.body_text
    finally:
        log = stop_process(worker)
    # The worker, not this process, ran the task.
    assert re.search(r"Task messaging\.tasks\.inbound_mail_process_task\[.+\] succeeded", log), log


def test_worker_keeps_its_database_connection_from_task_to_task(
    celery_on_redis, redis_url, tmp_path
):
    """Celery's Django fixup closes the connection around every task unless CELERY_DB_REUSE_MAX
    is set; config/celery.py keeps it for CONN_MAX_AGE, as Django does between requests. A new
    PostgreSQL connection per task was most of an inbound mail's cost."""
    name = f"sc-test-worker-{secrets.token_hex(4)}"

    def worker_backends() -> list[tuple[int, object]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, backend_start FROM pg_stat_activity WHERE application_name = %s",
                [name],
            )
            return list(cursor.fetchall())

    relationship = RelationshipFactory()
    worker = _worker_start(celery_on_redis, redis_url, tmp_path / "worker.log", name)
    try:
        first = _mail_buyer_to_seller(relationship, "First question.")
        wait_until(lambda: _processed(first), timeout=60, what="the worker to process a mail")
        after_first = worker_backends()
        assert len(after_first) == 1, after_first
        more = [_mail_buyer_to_seller(relationship, f"Question {n}.") for n in range(8)]
        wait_until(
            lambda: all(_processed(mail) for mail in more),
            timeout=60,
            what="the worker to process eight more mails",
        )
        assert {mail.status for mail in [first, *more]} == {InboundMail.Status.ACCEPTED}
        assert worker_backends() == after_first
    finally:
        stop_process(worker)
