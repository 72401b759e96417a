"""Periodic-task benchmark: the R21 metrics task (full and incremental) and R10 auto-close on a
large data set. It prints figures; it is not a test and asserts nothing about timings.

    .venv/bin/python bench/periodic.py --cases 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sellercentral_bench \\
        .venv/bin/python bench/periodic.py --cases 100000

Like bench/inbox.py it migrates the database named by DATABASE_URL and tops the first demo
seller up with `seed_demo --cases N`; then it times `response_metrics_compute(full=True)`, an
incremental run after one new conversation, and `cases_auto_close` over every case (inside a
transaction that is rolled back, so the data set stays as it was). See bench/README.md.
"""

import argparse
import io
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--no-seed", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cases.models import Case
    from cases.services import cases_auto_close
    from messaging.models import Message
    from messaging.services.metrics import response_metrics_compute

    call_command("migrate", verbosity=0)
    if not args.no_seed:
        call_command("seed_demo", "--cases", str(args.cases), stdout=io.StringIO())
    print(
        f"database: {connection.vendor}; cases {Case.objects.count():,}; "
        f"messages {Message.objects.count():,}"
    )

    started = time.perf_counter()
    rows = response_metrics_compute(full=True)
    print(f"metrics, full:        {time.perf_counter() - started:8.2f} s  ({rows:,} day rows)")

    case = Case.objects.order_by("-id").first()
    Case.objects.filter(pk=case.pk).update(summary_changed_at=timezone.now())
    started = time.perf_counter()
    rows = response_metrics_compute()
    print(f"metrics, incremental: {time.perf_counter() - started:8.2f} s  ({rows:,} day rows)")

    far_future = timezone.now() + timedelta(days=365)
    started = time.perf_counter()
    try:
        with transaction.atomic():
            closed = cases_auto_close(now=far_future)
            raise _Rollback
    except _Rollback:
        pass
    print(f"auto-close (rolled back): {time.perf_counter() - started:8.2f} s  ({closed:,} cases)")


if __name__ == "__main__":
    main()
