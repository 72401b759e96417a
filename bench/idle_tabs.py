"""What idle open pages cost the server (issue 14): N signed-in tabs left open on the inbox (or
on a case page), each polling its "what changed since" endpoint every MESSAGING_LIVE_POLL_SECONDS
while nothing changes, served by gunicorn.

    .venv/bin/python bench/idle_tabs.py                       # 100 tabs, 30 s per phase
    .venv/bin/python bench/idle_tabs.py --tabs 300 --duration 60
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sellercentral_idle \\
        .venv/bin/python bench/idle_tabs.py

It creates the PostgreSQL database if missing (default sellercentral_idle_tabs), migrates it
and seeds the demo (`seed_demo`), signs in one session per tab (the demo sellers' members, in
turn), starts gunicorn (one sync worker, DEBUG off, persistent database connections) on a free
port of 127.0.0.1, and then, per phase:

- inbox: every tab asks GET /messages/changes/?since=<its page's token>&n=0 once per interval,
  the tabs spread evenly over the interval (as tabs opened at different moments are);
- case: every tab asks GET /messages/<case>/live/?since=…&after=…&p= of a case of its seller.

Nothing changes meanwhile, so every answer should be 204. It prints per phase the requests per
second the tabs cost, their latency, the CPU time the gunicorn worker spent (user + system,
read from /proc through psutil) as a share of one core, the CPU per request, and how many such
idle tabs one core would carry at that cost. Then it stops gunicorn.

The load generator runs in this process (threads, http.client): on a 2-core machine it competes
with the server for the cores, so the CPU figure of the worker is the one to read, not the
latency. Presence lives in the cache: with the default per-process LocMem cache, as here, that
costs no network round trip; with Redis (CACHE_URL) each case poll adds two cache calls.
"""

import argparse
import html
import http.client
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import machine_line  # noqa: E402  (the root is on sys.path now)
from scripts.commands import CommandFailed, gunicorn_command, local_env, manage  # noqa: E402
from scripts.databases import database_ensure  # noqa: E402
from scripts.processes import (  # noqa: E402
    HOST,
    Processes,
    WaitTimeout,
    free_port,
    wait_for_port,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/sellercentral_idle_tabs"
LOG_DIR = ROOT / "var" / "idle-tabs"
POLLER = re.compile(r'id="(?:case-live|inbox-live)"[^>]*?hx-get="([^"]+)"')


def prepare(tabs: int) -> tuple[list[str], list[tuple[str, str]]]:
    """Sign in one session per tab; the inbox and case-page poll URLs of each tab (a case of
    the tab's seller, as its page would poll it)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from accounts.models import SellerMembership
    from cases.models import Case
    from cases.selectors import change_token
    from messaging.case_page.team_context import case_live_url

    memberships = list(SellerMembership.objects.select_related("user").order_by("seller", "pk"))
    if not memberships:
        raise SystemExit("no seller members: seed_demo did not run")
    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    cookies, urls = [], []
    since = change_token(timezone.now())
    for index in range(tabs):
        membership = memberships[index % len(memberships)]
        user = membership.user
        session = store_class()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
        case = Case.objects.filter(seller_id=membership.seller_id).order_by("-pk").first()
        inbox = f"{reverse('messaging:inbox_changes')}?since={since}&n=0"
        live = (
            case_live_url(case, since=change_token(case.summary_changed_at), after=0, signature="")
            if case is not None
            else inbox
        )
        # The page's own poll knows its last message; 0 is as cheap when nothing changed.
        urls.append((inbox, live))
    return cookies, urls


class Tab(threading.Thread):
    def __init__(self, port, cookie, url, *, interval, offset, stop_at, results):
        super().__init__(daemon=True)
        self.port, self.cookie, self.url = port, cookie, url
        self.interval, self.offset, self.stop_at, self.results = interval, offset, stop_at, results

    def run(self) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        next_at = time.monotonic() + self.offset
        headers = {"Cookie": self.cookie, "HX-Request": "true", "Host": HOST}
        while next_at < self.stop_at:
            wait = next_at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            started = time.monotonic()
            try:
                connection.request("GET", self.url, headers=headers)
                response = connection.getresponse()
                body = response.read()
                self.results.append((response.status, time.monotonic() - started))
                if response.status == 200:
                    # As htmx does: the answer's poller, with the page's new state, replaces it.
                    found = POLLER.search(body.decode())
                    if found:
                        self.url = html.unescape(found.group(1))
            except (OSError, http.client.HTTPException):
                self.results.append((0, time.monotonic() - started))
                connection.close()
                connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            next_at += self.interval
        connection.close()


def worker_cpu(master) -> float:
    import psutil

    total = 0.0
    for process in psutil.Process(master.pid).children(recursive=True):
        times = process.cpu_times()
        total += times.user + times.system
    return total


def phase(name, port, cookies, urls, master, *, interval, duration) -> dict:
    results: list[tuple[int, float]] = []
    tabs = len(cookies)
    # Two rounds first, unmeasured: sessions and connections warm, and each case page's poller
    # knowing who else is on its case, as in tabs open for a while.
    warm_until = time.monotonic() + 2 * interval
    threads = [
        Tab(
            port,
            cookies[i],
            urls[i],
            interval=interval,
            offset=interval * i / tabs,
            stop_at=warm_until,
            results=[],
        )
        for i in range(tabs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    urls = [thread.url for thread in threads]  # each tab's poller as its last answer left it
    cpu_before, wall_before = worker_cpu(master), time.monotonic()
    stop_at = wall_before + duration
    threads = [
        Tab(
            port,
            cookies[i],
            urls[i],
            interval=interval,
            offset=interval * i / tabs,
            stop_at=stop_at,
            results=results,
        )
        for i in range(tabs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Every tab asked for the last time before `stop_at`; its answer is in the CPU time.
    wall = duration
    cpu = worker_cpu(master) - cpu_before
    latencies = sorted(latency for _, latency in results) or [0.0]
    statuses: dict[int, int] = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    requests = len(results)
    cpu_per_request = cpu / requests if requests else 0.0
    return {
        "phase": name,
        "tabs": tabs,
        "requests": requests,
        "rps": requests / wall,
        "statuses": statuses,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1 if len(latencies) > 1 else 0] * 1000,
        "cpu_s": cpu,
        "core_share": cpu / wall,
        "cpu_ms_per_request": cpu_per_request * 1000,
        "tabs_per_core": (interval / cpu_per_request) if cpu_per_request else float("inf"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=100)
    parser.add_argument("--interval", type=float, default=10.0, help="poll interval, seconds")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per phase")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--no-seed", action="store_true")
    args = parser.parse_args()

    env = local_env(
        args.database_url,
        MESSAGING_LIVE_POLL_SECONDS=str(args.interval),
        # The demo's emails are queued to nowhere: no worker runs, and var/broker stays clean.
        CELERY_BROKER_URL="memory://",
        CONN_MAX_AGE=os.environ.get("CONN_MAX_AGE", "600"),
    )
    os.environ.update(env)
    database_ensure(args.database_url)
    if not args.no_seed:
        manage("migrate", "--no-input", "-v", "0", env=env, timeout=900)
        manage("seed_demo", env=env, timeout=1800)
    cookies, urls = prepare(args.tabs)

    port = free_port()
    processes = Processes(LOG_DIR, cwd=ROOT)
    gunicorn = processes.start("gunicorn", gunicorn_command(port, workers=1), env)
    try:
        wait_for_port(port, gunicorn, timeout=30, what="gunicorn")
        import django

        print(f"Idle tabs benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        print(
            f"{machine_line()}; Django {django.get_version()}, gunicorn 1 sync worker, "
            f"{env['DJANGO_SETTINGS_MODULE']} DEBUG off"
        )
        print(
            f"{args.tabs} tabs, each polling every {args.interval:g} s, "
            f"{args.duration:g} s measured per phase; nothing changes meanwhile\n"
        )
        rows = [
            phase(
                "inbox /messages/changes/",
                port,
                cookies,
                [u[0] for u in urls],
                gunicorn,
                interval=args.interval,
                duration=args.duration,
            ),
            phase(
                "case page /messages/<id>/live/",
                port,
                cookies,
                [u[1] for u in urls],
                gunicorn,
                interval=args.interval,
                duration=args.duration,
            ),
        ]
    finally:
        processes.stop_all()

    header = (
        f"{'tabs on':<32}{'req/s':>7}{'answers':>14}{'median ms':>11}{'p95 ms':>8}"
        f"{'CPU ms/req':>12}{'1 core':>9}{'tabs/core':>11}"
    )
    print(header)
    for row in rows:
        answers = " ".join(f"{count}×{status}" for status, count in sorted(row["statuses"].items()))
        print(
            f"{row['phase']:<32}{row['rps']:>7.1f}{answers:>14}{row['median_ms']:>11.1f}"
            f"{row['p95_ms']:>8.1f}{row['cpu_ms_per_request']:>12.2f}"
            f"{row['core_share'] * 100:>8.1f}%{row['tabs_per_core']:>11,.0f}"
        )
    print(
        "\n1 core: the share of one core the gunicorn worker spent answering them; tabs/core: "
        "idle tabs one core would carry at this CPU cost per poll."
    )
    bad = [row for row in rows if set(row["statuses"]) - {204}]
    if bad:
        print("unexpected answers (not 204):", [row["statuses"] for row in bad])
        return 1
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except (CommandFailed, WaitTimeout) as failed:
        raise SystemExit(f"{failed}\n(logs in {LOG_DIR})") from None
