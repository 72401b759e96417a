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
from messaging.models import InboundMail, Message
from messaging.services.inbound import inbound_mail_receive
from tests.factories import RelationshipFactory
from tests.integration.conftest import (
    VENV_BIN,
    process_output,
    start_process,
    stop_process,
    subprocess_env,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _test_database_url() -> str:
    """The database this test runs on, for the worker process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings['NAME']}"


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


def test_worker_on_redis_turns_an_inbound_mail_into_a_message(celery_on_redis, redis_url, tmp_path):
    relationship = RelationshipFactory()
    buyer = relationship.buyer
    worker = start_process(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=test-{celery_on_redis.strip(':')}@%h",
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
            lambda: worker.poll() is not None or "ready." in process_output(worker),
            timeout=60,
            what="the Celery worker to start",
        )
        assert worker.poll() is None, f"the worker stopped:\n{process_output(worker)}"

        mail = EmailMessage()
        mail["From"] = f"Buyer <{buyer.email}>"
        mail["To"] = relationship.seller_alias
        mail["Subject"] = "Is the blue one in stock?"
        mail["Message-ID"] = f"<{secrets.token_hex(8)}@buyer.example.com>"
        mail.set_content("Hello, is the blue one in stock? Thanks.")
        (stored,) = inbound_mail_receive(
            raw=mail.as_bytes(),
            recipients=[relationship.seller_alias],
            envelope_from=buyer.email,
            source=InboundMail.Source.SMTP,
        )

        def processed():
            stored.refresh_from_db()
            return stored.status != InboundMail.Status.RECEIVED

        wait_until(processed, timeout=60, what="the worker to process the inbound mail")
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
