"""Bounded load run (issue 12, docs/RELIABILITY.md): real servers on 127.0.0.1, several sellers
at once, and afterwards every write the load generator saw accepted is looked up in the database.

    make load
    .venv/bin/python bench/load.py --users 30 --duration 60
    .venv/bin/python bench/load.py \\
        --database-url postgres://postgres@127.0.0.1:5432/sellercentral_load --fresh

It creates the PostgreSQL database if missing (--fresh drops it first), migrates it, seeds the
demo sellers with `seed_demo` (optionally --bulk-cases more for the first seller), then starts
gunicorn (--workers, DEBUG off, persistent connections), a Celery worker on Redis and the SMTP
relay (`manage.py runmailrelay`), as `make run` does, and runs locust headless for --duration
seconds (bench/locustfile.py): inbox, case page, seller reply (POST), Contact Buyer (POST) for
every demo seller at once, and buyers mailing their seller alias through the relay.

Afterwards it waits (bounded) for the worker to process the inbound mail, then checks that each
accepted write is in the database exactly once, prints the report (requests, 5xx, per-endpoint
median and p95, requests per second, accepted writes against found), writes it as JSON beside
the logs under var/load/, and stops every process it started. Exit status 1 when any answer was
a 5xx or otherwise unexpected, a write is missing or stored twice, or a server died.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import string
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import processes as helpers  # noqa: E402  (the repository root is on sys.path now)

# bench/inbound.py uses free_port, port_answers, wait_until and Processes from here too.
from scripts.processes import free_port, port_answers  # noqa: E402

BIN = Path(sys.executable).parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
OUT_DIR = ROOT / "var" / "load"
# Seed facts for the users: each demo seller's members, open cases, orders with a contact reason
# on offer, and the buyer/alias pairs the buyers mail from.
SEED_FACTS = """
import json
from accounts.models import Relationship, SellerAccount, SellerMembership
from cases.models import Case, CaseStatus
from demo.reference import DEMO_PASSWORD
from messaging.selectors import contact_reasons_for
from orders.models import Order

sellers = []
for seller in SellerAccount.objects.order_by("pk"):
    members = list(SellerMembership.objects.filter(seller=seller).select_related("user")
                   .order_by("role", "pk"))
    cases = list(Case.objects.filter(seller=seller).exclude(status=CaseStatus.CLOSED)
                 .order_by("-latest_message_at").values_list("pk", flat=True)[:40])
    orders = []
    for order in Order.objects.filter(seller=seller).order_by("-placed_at")[:200]:
        reasons = [r.key for r in contact_reasons_for(order) if r.available and not r.critical]
        if reasons:
            orders.append({"number": order.number, "reason": reasons[0]})
        if len(orders) >= 30:
            break
    # One login per member: two members of one seller work the same inbox at once.
    sellers += [{"slug": seller.slug, "email": member.user.email, "password": DEMO_PASSWORD,
                 "cases": cases, "orders": orders} for member in members if cases]
mail = [{"alias": r.seller_alias, "buyer": r.buyer.email}
        for r in Relationship.objects.select_related("buyer").order_by("pk")[:40]]
print("SEED " + json.dumps({"sellers": sellers, "mail": mail}))
"""


# Gunicorn's access log: method, path, status and the seconds the worker spent on the request
# (from reading it to the last byte sent), so time in the server and time queued can be told
# apart. Paths map to the locust names.
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(L)s"
ENDPOINTS = [
    ("GET", re.compile(r"/messages/$"), "inbox"),
    ("GET", re.compile(r"/messages/\d+/$"), "case page"),
    ("POST", re.compile(r"/messages/\d+/reply/$"), "reply (POST)"),
    ("POST", re.compile(r"/orders/[^/]+/contact-buyer/$"), "Contact Buyer (POST)"),
    ("GET", re.compile(r"/accounts/login/$"), "sign in (GET)"),
    ("POST", re.compile(r"/accounts/login/$"), "sign in (POST)"),
]


def server_times(access_log: Path) -> dict[str, dict[str, float]]:
    """Per endpoint, from gunicorn's access log: answers, 5xx, median and p95 seconds in the
    worker."""
    seconds: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for line in access_log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) != 4:
            continue
        method, path, status, took = parts
        name = next((n for m, pattern, n in ENDPOINTS if m == method and pattern.match(path)), "")
        name = name or "other"
        seconds.setdefault(name, []).append(float(took))
        errors[name] = errors.get(name, 0) + (status.startswith("5"))
    figures = {}
    for name, values in sorted(seconds.items()):
        ordered = sorted(values)
        figures[name] = {
            "answers": len(ordered),
            "5xx": errors[name],
            "median_ms": 1000 * ordered[len(ordered) // 2],
            "p95_ms": 1000 * ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        }
    return figures


def wait_until(predicate: Callable[[], object], *, timeout: float, what: str) -> None:
    """Poll every 0.3 s; end the run (SystemExit) after `timeout` seconds."""
    try:
        helpers.wait_until(predicate, timeout=timeout, interval=0.3, what=what)
    except helpers.WaitTimeout as gave_up:
        raise SystemExit(str(gave_up)) from None


def database_ensure(url: str, *, fresh: bool) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as db:
        if fresh:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str, env: dict[str, str], timeout: float) -> str:
    done = subprocess.run(  # noqa: S603
        [*MANAGE, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Processes:
    """Children in their own process groups, each logging to var/load/<name>.log; all stopped
    (SIGTERM, then SIGKILL) by stop_all, whatever happened."""

    def __init__(self) -> None:
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        process = helpers.start_process(args, env=env, log_path=OUT_DIR / f"{name}.log", cwd=ROOT)
        self.running[name] = process
        return process

    def dead(self) -> list[str]:
        return [name for name, p in self.running.items() if p.poll() is not None]

    def stop_all(self, timeout: float = 20) -> None:
        helpers.stop_process_groups(self.running, timeout=timeout)


def found_in_database(url: str, run: str) -> dict[str, int]:
    """How many messages carry each token of this run."""
    with psycopg.connect(url, connect_timeout=5) as db:
        rows = db.execute(
            "SELECT substring(body_text FROM %s), count(*) FROM messaging_message "
            "WHERE body_text LIKE %s GROUP BY 1",
            [f"ldt{run}q[a-z]+", f"%ldt{run}q%"],
        ).fetchall()
    return {str(token): int(count) for token, count in rows}


def inbound_waiting(url: str, run: str) -> int:
    """This run's inbound mails not processed yet."""
    with psycopg.connect(url, connect_timeout=5) as db:
        row = db.execute(
            "SELECT count(*) FROM messaging_inboundmail WHERE status = 'received' "
            "AND header_message_id LIKE %s",
            [f"<ldt{run}q%"],
        ).fetchone()
    return int(row[0]) if row else 0


def inbound_outcomes(url: str, run: str) -> dict[str, str]:
    with psycopg.connect(url, connect_timeout=5) as db:
        rows = db.execute(
            "SELECT header_message_id, status || ' ' || rule || ' ' || reason "
            "FROM messaging_inboundmail WHERE header_message_id LIKE %s",
            [f"<ldt{run}q%"],
        ).fetchall()
    return {str(mid).strip("<>").split("@")[0]: str(outcome) for mid, outcome in rows}


def load_average() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "?"


def report_print(results: dict[str, Any], check: dict[str, Any]) -> None:
    print(
        f"\nLoad run {check['run']}: {check['users']} users for {check['duration']} s, "
        f"{check['workers']} gunicorn workers, {os.cpu_count()} CPU cores, load average "
        f"(1, 5, 15 min) before {check['load_before']}, after {check['load_after']}"
    )
    print(
        "whole run: every answer; steady: the requests asked after the last user had signed in "
        f"({results['steady_seconds']:.0f} of {results['seconds']:.0f} s)"
    )
    print(
        f"{'endpoint':22} {'requests':>8} {'5xx':>4} {'fail':>4} {'median':>7} {'p95':>7} "
        f"{'req/s':>6} | {'steady median':>13} {'p95':>7} {'req/s':>6}"
    )
    rows = [*results["endpoints"].items(), ("total", results["total"])]
    for name, e in rows:
        print(
            f"{name:22} {e['requests']:8d} {e['5xx']:4d} {e['failures']:4d} "
            f"{e['median_ms']:5.0f}ms {e['p95_ms']:5.0f}ms {e['rps']:6.2f} | "
            f"{e['steady_median_ms']:11.0f}ms {e['steady_p95_ms']:5.0f}ms {e['steady_rps']:6.2f}"
        )
    print("in the gunicorn worker (access log), from reading the request to the last byte:")
    for name, e in check["server"].items():
        print(
            f"  {name:22} {e['answers']:8d} {e['5xx']:4d}      "
            f"{e['median_ms']:5.0f}ms {e['p95_ms']:5.0f}ms"
        )
    print(
        f"inbound mail processed by the worker {check['drain_seconds']} s after the load "
        f"ended ({check['inbound_still_waiting']} still waiting)"
    )
    for kind, figures in check["writes"].items():
        print(
            f"writes {kind:14} accepted {figures['accepted']:4d}, found once "
            f"{figures['found_once']:4d}, missing {figures['missing']}, "
            f"twice or more {figures['duplicated']}, refused by a rule {figures['refused']}"
        )
    if results["errors"]:
        print("failures:", json.dumps(results["errors"], indent=1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/sellercentral_load"
    )
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--users", type=int, default=24, help="concurrent locust users")
    parser.add_argument("--spawn-rate", type=float, default=6)
    parser.add_argument(
        "--duration",
        type=int,
        default=90,
        help="seconds of load, starting and signing in the users included (about 30 s of it "
        "with 24 users on 2 shared cores: a sign-in hashes the password)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2-4)")
    parser.add_argument("--bulk-cases", type=int, default=0, help="seed_demo --cases")
    parser.add_argument("--drain-timeout", type=int, default=180)
    options = parser.parse_args()

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "access.log").unlink(missing_ok=True)
    run = "".join(secrets.choice(string.ascii_lowercase) for _ in range(6))
    database_ensure(options.database_url, fresh=options.fresh)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": options.database_url,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_BROKER_URL": options.broker_url,
            "EMAIL_URL": "dummymail://",
            "MEDIA_ROOT": str(ROOT / "var" / "load-media"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    print("migrating and seeding…", flush=True)
    manage("migrate", "--noinput", env=env, timeout=900)
    seed_args = ["--cases", str(options.bulk_cases)] if options.bulk_cases else []
    manage("seed_demo", *seed_args, env=env, timeout=1800)
    seed_line = next(
        line
        for line in manage("shell", "-c", SEED_FACTS, env=env, timeout=300).splitlines()
        if line.startswith("SEED ")
    )
    seed = json.loads(seed_line.removeprefix("SEED "))
    seed_path = OUT_DIR / "seed.json"
    seed_path.write_text(json.dumps(seed, indent=1))
    results_path = OUT_DIR / f"results-{run}.json"

    web_port, relay_port = free_port(), free_port()
    processes = Processes()
    check: dict[str, Any] = {"run": run, "users": options.users, "duration": options.duration}
    check["workers"] = options.workers
    try:
        web = processes.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--workers",
                str(options.workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--no-control-socket",
                "--access-logfile",
                str(OUT_DIR / "access.log"),
                "--access-logformat",
                ACCESS_FORMAT,
            ],
            env,
        )
        processes.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
            ],
            env,
        )
        processes.start(
            "relay",
            [*MANAGE, "runmailrelay", "--host", "127.0.0.1", "--port", str(relay_port)],
            env,
        )
        wait_until(
            lambda: web.poll() is not None or port_answers(web_port),
            timeout=90,
            what="gunicorn",
        )
        wait_until(lambda: port_answers(relay_port), timeout=90, what="the relay")
        if processes.dead():
            raise SystemExit(f"did not start: {processes.dead()} (logs in {OUT_DIR})")
        # Each worker's first answers load templates and code: not part of what is measured.
        for _ in range(options.workers * 3):
            with contextlib.suppress(OSError):
                urlopen(f"http://127.0.0.1:{web_port}/accounts/login/", timeout=60).close()  # noqa: S310
        check["load_before"] = load_average()
        print(
            f"load: {options.users} users for {options.duration} s on "
            f"http://127.0.0.1:{web_port} and smtp 127.0.0.1:{relay_port} "
            f"({len(seed['sellers'])} sellers)…",
            flush=True,
        )
        locust_env = {
            **env,
            "LOAD_SEED": str(seed_path),
            "LOAD_OUT": str(results_path),
            "LOAD_SMTP": f"127.0.0.1:{relay_port}",
            "LOAD_RUN": run,
        }
        locust = processes.start(
            "locust",
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{web_port}",
                "--users",
                str(options.users),
                "--spawn-rate",
                str(options.spawn_rate),
                "--run-time",
                f"{options.duration}s",
                "--stop-timeout",
                "15",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            locust_env,
        )
        try:
            locust.wait(timeout=options.duration + 120)
        except subprocess.TimeoutExpired:
            raise SystemExit("locust did not finish in time") from None
        check["load_after"] = load_average()
        if not results_path.exists():
            raise SystemExit(f"locust wrote no results (see {OUT_DIR / 'locust.log'})")
        results = json.loads(results_path.read_text())

        # The worker drains the inbound mail the relay stored (bounded).
        drain_started = time.monotonic()
        deadline = drain_started + options.drain_timeout
        while inbound_waiting(options.database_url, run) and time.monotonic() < deadline:
            time.sleep(0.5)
        check["drain_seconds"] = round(time.monotonic() - drain_started, 1)
        check["inbound_still_waiting"] = inbound_waiting(options.database_url, run)
        found = found_in_database(options.database_url, run)
        outcomes = inbound_outcomes(options.database_url, run)
        check["dead_processes"] = [n for n in processes.dead() if n != "locust"]
    finally:
        processes.stop_all()

    writes: dict[str, dict[str, Any]] = {}
    for kind in ("reply", "contact_buyer", "inbound_mail"):
        tokens = [w["token"] for w in results["accepted"] if w["kind"] == kind]
        missing = [t for t in tokens if found.get(t, 0) == 0]
        writes[kind] = {
            "accepted": len(tokens),
            "found_once": sum(1 for t in tokens if found.get(t) == 1),
            "missing": len(missing),
            "duplicated": sum(1 for t in tokens if found.get(t, 0) > 1),
            "refused": results["refused"].get(kind, 0),
            "missing_examples": {t: outcomes.get(t, "no inbound row") for t in missing[:5]},
        }
    check["writes"] = writes
    check["server"] = server_times(OUT_DIR / "access.log")
    check["5xx"] = max(results["total"]["5xx"], sum(e["5xx"] for e in check["server"].values()))
    report_print(results, check)
    report = OUT_DIR / f"report-{run}.json"
    report.write_text(json.dumps({"check": check, "results": results}, indent=1))
    print(f"report: {report.relative_to(ROOT)}; logs: {OUT_DIR.relative_to(ROOT)}/*.log")

    problems = []
    if check["5xx"]:
        problems.append(f"{check['5xx']} answers were 5xx")
    if results["total"]["failures"]:
        problems.append(f"{results['total']['failures']} answers were not the expected ones")
    for kind, figures in writes.items():
        if figures["missing"] or figures["duplicated"]:
            problems.append(f"{kind}: {figures['missing']} missing, {figures['duplicated']} twice")
    if check["dead_processes"]:
        problems.append(f"stopped during the run: {check['dead_processes']}")
    if not sum(f["accepted"] for f in writes.values()):
        problems.append("no write was accepted at all")
    for problem in problems:
        print("FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
