"""`make run` migrates a SQLite database under var/: every migration must apply there too, and
go back, although production runs PostgreSQL (an index built CONCURRENTLY on PostgreSQL is
built the plain way on SQLite: core/indexes.py). Run as `make run` runs it, in a fresh
interpreter with the local settings."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "EMAIL_"))
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": f"sqlite:///{database}"}
    )
    return subprocess.run(  # noqa: S603  (this interpreter, manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_migration_applies_on_sqlite_and_the_index_ones_go_back(tmp_path):
    database = tmp_path / "run.sqlite3"
    forward = _manage("migrate", "--noinput", database=database)
    assert forward.returncode == 0, forward.stderr[-3000:]
    back = _manage("migrate", "messaging", "0015", "--noinput", database=database)
    assert back.returncode == 0, back.stderr[-3000:]
    again = _manage("migrate", "--noinput", database=database)
    assert again.returncode == 0, again.stderr[-3000:]
    plan = _manage("migrate", "--plan", database=database)
    assert "No planned migration operations." in plan.stdout
