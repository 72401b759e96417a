"""Integration tests: real servers and processes on this machine (a Celery worker on Redis, the
SMTP relay on a private PostgreSQL cluster). Each one skips with its reason where a server or
tool is missing, except under CI=true (.ci/run starts Redis and installs PostgreSQL first),
where that is a failure. Every wait is bounded and every process is stopped at the end."""

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import TypeVar

import pytest

from scripts import processes
from scripts.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
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


@dataclass
class PrivateCluster:
    bindir: Path
    datadir: Path
    port: int
    as_postgres: bool

    def command(self, *args: str) -> list[str]:
        """Root may not run PostgreSQL: the server tools run as the postgres OS user."""
        return ["runuser", "-u", "postgres", "--", *args] if self.as_postgres else list(args)

    def pg_ctl(self, action: str, *, timeout: float = 60) -> None:
        args = [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-w", "-t", "30"]
        if action == "start":
            options = f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1"
            args += ["-l", str(self.datadir / "server.log"), "-o", options, "start"]
        else:
            args += ["-m", "fast", "stop"]
        subprocess.run(  # noqa: S603
            self.command(*args), check=True, timeout=timeout, capture_output=True
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def is_ready(self) -> bool:
        return port_answers("127.0.0.1", self.port, timeout=0.5)


def _initdb() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: Path(p).parts[-3])
    if found:
        return Path(found[-1])
    which = shutil.which("initdb")
    return Path(which) if which else None


@pytest.fixture
def private_postgres() -> Iterator[PrivateCluster]:
    """initdb into a temporary folder and start the server on a free port; stopped and removed
    at the end, whatever happened."""
    initdb = _initdb()
    if initdb is None:
        unavailable("PostgreSQL's initdb is not installed (apt-get install postgresql)")
        raise AssertionError  # unreachable: unavailable() skips or fails
    as_postgres = os.geteuid() == 0
    if as_postgres:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            unavailable("running as root and there is no postgres OS user to run PostgreSQL")
            raise AssertionError from None
    datadir = Path(tempfile.mkdtemp(prefix="sc-relay-pg-"))
    if as_postgres:
        os.chown(datadir, owner.pw_uid, owner.pw_gid)
    cluster = PrivateCluster(initdb.parent, datadir, free_port(), as_postgres)
    try:
        subprocess.run(  # noqa: S603
            cluster.command(
                str(initdb), "-D", str(datadir), "-U", "postgres", "--auth=trust", "-N"
            ),
            check=True,
            timeout=120,
            capture_output=True,
        )
        cluster.pg_ctl("start")
        yield cluster
    finally:
        if (datadir / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                cluster.pg_ctl("stop")
        shutil.rmtree(datadir, ignore_errors=True)
