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


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def worker_rss(broker_url: str) -> None:
    """Peak RSS of a Celery worker (solo pool: the task runs in the process measured) running
    the metrics task from scratch (the watermark removed first, so it computes every day)."""
    import subprocess

    import redis

    from messaging.models import MetricsWatermark
    from messaging.tasks import response_metrics_task
    from scripts.processes import stop_process_group

    redis.Redis.from_url(broker_url).flushdb()
    MetricsWatermark.objects.all().delete()
    env = {**os.environ, "CELERY_BROKER_URL": broker_url}
    worker = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        time.sleep(10)  # imports the app and connects to the broker
        idle = _status_kb(worker.pid, "VmRSS")
        Path(f"/proc/{worker.pid}/clear_refs").write_text("5")  # reset the peak
        started = time.perf_counter()
        response_metrics_task.delay()
        while not MetricsWatermark.objects.exists():
            if worker.poll() is not None or time.perf_counter() - started > 1800:
                raise SystemExit("the worker died or the task did not finish")
            time.sleep(0.5)
        took = time.perf_counter() - started
        peak = _status_kb(worker.pid, "VmHWM")
        print(
            f"celery worker (solo pool), metrics task from scratch: {took:.1f} s; "
            f"RSS idle {idle / 1024:.0f} MB, peak during the task {peak / 1024:.0f} MB"
        )
    finally:
        stop_process_group(worker, timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument(
        "--worker-rss",
        action="store_true",
        help="only: peak RSS of a Celery worker running the metrics task (needs Redis)",
    )
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument(
        "--no-autoclose", action="store_true", help="metrics only (bench/autoclose.py: R10)"
    )
    args = parser.parse_args()
    if args.worker_rss:
        os.environ["CELERY_BROKER_URL"] = args.broker_url

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
    if args.worker_rss:
        print(f"database {connection.settings_dict['NAME']}: messages {Message.objects.count():,}")
        worker_rss(args.broker_url)
        return
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

    if args.no_autoclose:
        return
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
