"""A Celery worker killed in the middle of a task: the task runs exactly once after a restart.

A real `celery -A config worker` on Redis sends an outbound email through an SMTP server this
test runs. The server accepts the first connection and then says nothing, so the worker hangs
inside `outbound_email_send`, holding the row's lock in an open transaction; the test SIGKILLs
it there. The task was taken with `acks_late`, so it stays unacknowledged in Redis; after the
(shortened) visibility timeout a new worker gets it again, and the SMTP server, now answering,
receives the email exactly once. The killed attempt's transaction was rolled back by
PostgreSQL when its connection dropped, so the row records the one attempt that went through.

The worker uses the prefork pool (one child), as in production: with `--pool=solo` kombu's
Redis transport defers even an early acknowledgement until the task returns, so the test would
pass without `acks_late`; with prefork it fails without it (the task is lost).
"""

import contextlib
import os
import secrets
import signal
import socket
import threading
import time

import pytest

from messaging.models import OutboundEmail
from messaging.tasks import outbound_email_send
from scripts.commands import BIN
from tests.integration.conftest import (
    process_output,
    start_process,
    stop_process,
    subprocess_env,
    wait_until,
)
from tests.integration.test_celery_worker_redis import (  # noqa: F401  (a fixture)
    _test_database_url,
    celery_on_redis,
)

pytestmark = pytest.mark.django_db(transaction=True)

VISIBILITY_TIMEOUT = 3


class SmtpSink:
    """A tiny SMTP server on 127.0.0.1: the first connection is accepted and left hanging (no
    greeting); every later one gets a plain SMTP dialogue, and each mail's data is kept."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.settimeout(0.5)
        self.port = int(self.listener.getsockname()[1])
        self.connections = 0
        self.received: list[bytes] = []
        self.held: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            if self.connections == 1:
                self.held.append(conn)  # the stall: no greeting, ever
                continue
            threading.Thread(target=self._dialogue, args=(conn,), daemon=True).start()

    def _dialogue(self, conn: socket.socket) -> None:
        conn.settimeout(20)
        with conn, conn.makefile("rb") as reader:
            conn.sendall(b"220 sink ESMTP\r\n")
            while True:
                line = reader.readline()
                if not line:
                    return
                command = line[:4].upper()
                if command in (b"EHLO", b"HELO"):
                    conn.sendall(b"250 sink\r\n")
                elif command == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    data = b""
                    while (chunk := reader.readline()) not in (b".\r\n", b""):
                        data += chunk
                    self.received.append(data)
                    conn.sendall(b"250 queued\r\n")
                elif command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:  # MAIL, RCPT, RSET, NOOP
                    conn.sendall(b"250 ok\r\n")

    def close(self) -> None:
        self.stopping.set()
        self.listener.close()
        for conn in self.held:
            with contextlib.suppress(OSError):
                conn.close()
        self.thread.join(timeout=5)


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    try:
        yield sink
    finally:
        sink.close()


def _worker(name: str, *, prefix: str, redis_url: str, smtp_port: int, tmp_path):
    return start_process(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={name}-{prefix.strip(':')}@%h",
        ],
        env=subprocess_env(
            CELERY_EAGER="false",
            CELERY_BROKER_URL=redis_url,
            CELERY_BROKER_KEYPREFIX=prefix,
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            DATABASE_URL=_test_database_url(),
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        ),
        log_path=tmp_path / f"{name}.log",
    )


def _wait_ready(worker) -> None:
    wait_until(
        lambda: worker.poll() is not None or "ready." in process_output(worker),
        timeout=60,
        what="the Celery worker to start",
    )
    assert worker.poll() is None, f"the worker stopped:\n{process_output(worker)}"


def test_a_worker_killed_mid_task_sends_the_email_once_after_restart(
    celery_on_redis,  # noqa: F811
    redis_url,
    smtp_sink,
    tmp_path,
):
    email = OutboundEmail.objects.create(
        kind=OutboundEmail.Kind.TO_BUYER,
        idempotency_key=f"killed-worker-{secrets.token_hex(6)}",
        from_email="seller-alias@marketplace.example.com",
        recipient="buyer@example.com",
        subject="Your parcel ships today",
        header_message_id=f"<{secrets.token_hex(8)}@marketplace.example.com>",
        payload={"text": "Hello, your parcel ships today."},
    )
    first = _worker(
        "first",
        prefix=celery_on_redis,
        redis_url=redis_url,
        smtp_port=smtp_sink.port,
        tmp_path=tmp_path,
    )
    second = None
    try:
        _wait_ready(first)
        outbound_email_send.delay(email.pk)

        # The worker is inside the task, waiting for a greeting that never comes.
        wait_until(lambda: smtp_sink.connections >= 1, timeout=30, what="the SMTP connection")
        assert "outbound_email_send" in process_output(first)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        email.refresh_from_db()
        assert email.status == OutboundEmail.Status.PENDING
        assert smtp_sink.received == []

        # A new worker looks for unacknowledged tasks when it starts: start it once the task
        # has been unacknowledged for longer than the visibility timeout.
        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))
        second = _worker(
            "second",
            prefix=celery_on_redis,
            redis_url=redis_url,
            smtp_port=smtp_sink.port,
            tmp_path=tmp_path,
        )
        _wait_ready(second)

        def sent():
            email.refresh_from_db()
            return email.status == OutboundEmail.Status.SENT

        wait_until(sent, timeout=60, what="the restarted worker to send the email")
        # Given time to run it a second time, nothing more arrives.
        time.sleep(VISIBILITY_TIMEOUT + 2)
    finally:
        stop_process(first)
        log = stop_process(second) if second is not None else ""

    assert len(smtp_sink.received) == 1, smtp_sink.received
    assert b"Your parcel ships today" in smtp_sink.received[0]
    assert email.header_message_id.encode() in smtp_sink.received[0]
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    # The killed attempt's transaction was rolled back with its connection: one attempt counts.
    assert email.attempts == 1
    assert email.last_error == ""
    assert log.count("Task messaging.tasks.outbound_email_send[") >= 1, log
