"""Periodic-task benchmark: the R21 metrics task (full and incremental) and R10 auto-close on a
large data set. It prints figures; it is not a test and asserts nothing about timings.

    .venv/bin/python bench/periodic.py --cases 20000      # sellercentral_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sellercentral_bench_100k \\
        .venv/bin/python bench/periodic.py --cases 100000

Like bench/inbox.py it migrates the PostgreSQL database named by DATABASE_URL (default
sellercentral_bench on 127.0.0.1:5432, created if missing) and tops the first demo
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

from bench.in_process import django_setup  # noqa: E402  (the root is on sys.path now)
from scripts.commands import celery_worker_command  # noqa: E402
from scripts.processes import Processes, memory_kb, peak_reset  # noqa: E402

LOG_DIR = ROOT / "var" / "periodic"


class _Rollback(Exception):
    pass


def worker_rss(broker_url: str) -> None:
    """Peak RSS of a Celery worker (solo pool: the task runs in the process measured) running
    the metrics task from scratch (the watermark removed first, so it computes every day)."""
    import redis

    from messaging.models import MetricsWatermark
    from messaging.tasks import response_metrics_task

    redis.Redis.from_url(broker_url).flushdb()
    MetricsWatermark.objects.all().delete()
    env = {**os.environ, "CELERY_BROKER_URL": broker_url}
    processes = Processes(LOG_DIR, cwd=ROOT)
    worker = processes.start("worker", celery_worker_command("--pool=solo"), env)
    try:
        time.sleep(10)  # imports the app and connects to the broker
        idle = memory_kb(worker.pid)["VmRSS"]
        peak_reset(worker.pid)
        started = time.perf_counter()
        response_metrics_task.delay()
        while not MetricsWatermark.objects.exists():
            if worker.poll() is not None or time.perf_counter() - started > 1800:
                raise SystemExit(f"the worker died or the task did not finish (log in {LOG_DIR})")
            time.sleep(0.5)
        took = time.perf_counter() - started
        peak = memory_kb(worker.pid)["VmHWM"]
        print(
            f"celery worker (solo pool), metrics task from scratch: {took:.1f} s; "
            f"RSS idle {idle / 1024:.0f} MB, peak during the task {peak / 1024:.0f} MB"
        )
    finally:
        processes.stop_all(timeout=30)


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

    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cases.models import Case
    from cases.services import cases_auto_close
    from messaging.models import Message
    from messaging.performance.services import response_metrics_compute

    call_command("migrate", verbosity=0)
    if args.worker_rss:
        print(f"database {connection.settings_dict['NAME']}: messages {Message.objects.count():,}")
        worker_rss(args.broker_url)
        return
    if not args.no_seed:
        call_command("seed_demo", "--cases", str(args.cases), stdout=io.StringIO())
    print(
        f"database {connection.settings_dict['NAME']}: cases {Case.objects.count():,}; "
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
