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
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import load_average  # noqa: E402  (the root is on sys.path now)
from scripts.commands import (  # noqa: E402
    BIN,
    CommandFailed,
    celery_worker_command,
    gunicorn_command,
    local_env,
    manage,
    relay_command,
    shell_json,
)
from scripts.databases import database_ensure  # noqa: E402
from scripts.processes import (  # noqa: E402
    HOST,
    Processes,
    WaitTimeout,
    free_port,
    wait_for_port,
)

OUT_DIR = ROOT / "var" / "load"
# Seed facts for the users: each demo seller's members, open cases, orders with a contact reason
# on offer, and the buyer/alias pairs the buyers mail from.
SEED_FACTS = """
import json
from accounts.models import Relationship, SellerAccount, SellerMembership
from cases.models import Case, CaseStatus
from demo.reference import DEMO_PASSWORD
from messaging.contact_buyer.selectors import contact_reasons_for
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
print("JSON " + json.dumps({"sellers": sellers, "mail": mail}))
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
    env = local_env(
        options.database_url,
        CELERY_BROKER_URL=options.broker_url,
        MEDIA_ROOT=str(ROOT / "var" / "load-media"),
    )
    print("migrating and seeding…", flush=True)
    manage("migrate", "--noinput", env=env, timeout=900)
    seed_args = ["--cases", str(options.bulk_cases)] if options.bulk_cases else []
    manage("seed_demo", *seed_args, env=env, timeout=1800)
    seed = shell_json(SEED_FACTS, env=env, timeout=300)
    seed_path = OUT_DIR / "seed.json"
    seed_path.write_text(json.dumps(seed, indent=1))
    results_path = OUT_DIR / f"results-{run}.json"

    web_port, relay_port = free_port(), free_port()
    processes = Processes(OUT_DIR, cwd=ROOT)
    check: dict[str, Any] = {"run": run, "users": options.users, "duration": options.duration}
    check["workers"] = options.workers
    try:
        gunicorn_options = [
            "--timeout=60",
            "--graceful-timeout=10",
            "--no-control-socket",
            f"--access-logfile={OUT_DIR / 'access.log'}",
            f"--access-logformat={ACCESS_FORMAT}",
        ]
        web = processes.start(
            "gunicorn",
            gunicorn_command(web_port, workers=options.workers, options=gunicorn_options),
            env,
        )
        processes.start("worker", celery_worker_command("--concurrency=2"), env)
        relay = processes.start("relay", relay_command(relay_port), env)
        wait_for_port(web_port, web, timeout=90, what="gunicorn")
        wait_for_port(relay_port, relay, timeout=90, what="the relay")
        if processes.dead():
            raise SystemExit(f"did not start: {processes.dead()} (logs in {OUT_DIR})")
        # Each worker's first answers load templates and code: not part of what is measured.
        for _ in range(options.workers * 3):
            with contextlib.suppress(OSError):
                urlopen(f"http://{HOST}:{web_port}/accounts/login/", timeout=60).close()  # noqa: S310
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
    try:
        sys.exit(main())
    except (CommandFailed, WaitTimeout) as failed:
        sys.exit(f"{failed}\n(logs in {OUT_DIR})")
