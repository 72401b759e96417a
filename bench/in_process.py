"""Django inside a benchmark's own process (bench/inbox.py, periodic.py, autoclose.py): the
settings of DJANGO_SETTINGS_MODULE (default config.settings.local) with DEBUG off, as production
runs, on the PostgreSQL database of DATABASE_URL.

Benchmarks that seed default to a database of their own (DEFAULT_DATABASE, created if missing),
so that a benchmark never fills the `make run` database; see bench/README.md.
"""

import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/sellercentral_bench"


def django_setup(*, default_database: str | None = DEFAULT_DATABASE) -> str:
    """Set the environment up, create the database of DATABASE_URL if missing (when there is
    a default) and start Django; returns the database URL. With no default, DATABASE_URL must
    be set and name an existing database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    # Measure what production runs: no DEBUG (which records every query and slows each one).
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Mail the demo data queues goes nowhere: no worker runs (bench/periodic.py --worker-rss
    # sets its own broker).
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    # Static files are not collected for a benchmark; WhiteNoise would warn on every start.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    if default_database:
        os.environ.setdefault("DATABASE_URL", default_database)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"DATABASE_URL must name a PostgreSQL database (got {url!r})")
    if default_database:
        from scripts.databases import database_ensure

        database_ensure(url)

    import django

    django.setup()
    return url
