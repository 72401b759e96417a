"""The app's own commands, as scripts and benchmarks start them: manage.py (run to the end),
gunicorn, a Celery worker, the SMTP relay, a throwaway redis-server, and the environment they run
in locally. Each builder returns the argument list for scripts.processes (start_process,
Processes); the programs are those of this interpreter's virtualenv.
"""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scripts.processes import HOST

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


class CommandFailed(RuntimeError):
    """A manage.py command exited with an error; the message holds what it printed."""


def manage(*args: str, env: Mapping[str, str], timeout: float) -> str:
    """Run `manage.py ARGS` in the repository root and return what it printed; CommandFailed
    with its output when it fails."""
    done = subprocess.run(  # noqa: S603  (this interpreter, our manage.py)
        [*MANAGE, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise CommandFailed(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def local_env(database_url: str, **settings: str) -> dict[str, str]:
    """This process's environment (its DJANGO_* variables left out) for the app's servers and
    commands on this machine: config.settings.local with DEBUG off, the database of
    `database_url`, mail to a dummy backend, logs at WARNING; `settings` add to it or override."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url,
        DEBUG="false",
        ALLOWED_HOSTS=f"{HOST},localhost",
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(settings)
    return env


def shell_json(code: str, *, env: Mapping[str, str], timeout: float) -> Any:
    """Run `code` in `manage.py shell`; it prints one line `JSON <value>`, returned decoded."""
    for line in manage("shell", "-c", code, env=env, timeout=timeout).splitlines():
        if line.startswith("JSON "):
            return json.loads(line.removeprefix("JSON "))
    raise CommandFailed(f"manage.py shell printed no JSON line; the code:\n{code}")


def gunicorn_command(port: int, *, workers: int, options: Sequence[str] = ()) -> list[str]:
    """gunicorn serving config.wsgi on 127.0.0.1:`port` with `workers` sync workers."""
    return [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--chdir={ROOT}",
        "--log-level=warning",
        *options,
    ]


def celery_worker_command(*options: str) -> list[str]:
    """A Celery worker of the app, quiet and on its own (no gossip or mingle with others)."""
    return [
        str(BIN / "celery"),
        "-A",
        "config",
        "worker",
        "--loglevel=WARNING",
        "--without-gossip",
        "--without-mingle",
        *options,
    ]


def relay_command(port: int) -> list[str]:
    """The SMTP relay (`manage.py runmailrelay`) on 127.0.0.1:`port`."""
    return [*MANAGE, "runmailrelay", "--host", HOST, "--port", str(port)]


def redis_command(port: int) -> list[str]:
    """A redis-server on 127.0.0.1:`port` that keeps nothing on disk; SystemExit if Redis is
    not installed."""
    binary = shutil.which("redis-server")
    if not binary:
        raise SystemExit("redis-server is needed (apt-get install redis-server).")
    return [binary, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"]
