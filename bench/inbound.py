"""Inbound mail at rate (issue 13): buyers mail their sellers' aliases through the SMTP relay,
a Celery worker turns each stored mail into a message. It prints figures; it asserts nothing.

    .venv/bin/python bench/inbound.py [--mails 2000] [--threads 8] [--concurrency 2]
    .venv/bin/python bench/inbound.py \\
        --database-url postgres://postgres@127.0.0.1:5432/h13p_inbound --fresh

It creates the PostgreSQL database if missing (--fresh drops it first), migrates it and seeds
the demo sellers (`seed_demo`), then starts the relay (`manage.py runmailrelay`) and a Celery
worker on Redis (--broker-url, emptied first), as `make run` does, with DEBUG off and the
outbound mail to a dummy backend. --threads SMTP clients (one connection each, several mails
per connection, as a mail server delivers) send --mails mails from buyers to their sellers'
aliases, each naming one of the buyer's orders with that seller. It measures:

- accepted/s at the relay: mails answered 250 (stored and committed) per second of sending;
- stored/s end to end: mails turned into messages by the worker (InboundMail `accepted`) per
  second from the first mail sent to the last one processed.

Then it stops every process it started. Logs under var/inbound/.
"""

import argparse
import os
import smtplib
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import load_average  # noqa: E402  (the root is on sys.path now)
from scripts.commands import (  # noqa: E402
    CommandFailed,
    celery_worker_command,
    local_env,
    manage,
    relay_command,
    shell_json,
)
from scripts.databases import database_ensure  # noqa: E402
from scripts.processes import HOST, Processes, WaitTimeout, free_port, wait_for_port  # noqa: E402

OUT_DIR = ROOT / "var" / "inbound"

FACTS = """
import json
from accounts.models import Relationship
from orders.models import Order
pairs = []
for r in Relationship.objects.select_related("buyer").order_by("pk"):
    order = Order.objects.filter(relationship=r).order_by("-placed_at").first()
    if order is not None and r.seller_alias:
        pairs.append({"alias": r.seller_alias, "buyer": r.buyer.email, "order": order.number})
print("JSON " + json.dumps(pairs))
"""


def _mail(pair: dict[str, str], n: int, run: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = pair["buyer"]
    mail["To"] = pair["alias"]
    mail["Subject"] = f"Question about order {pair['order']} ({run} {n})"
    mail["Message-ID"] = make_msgid(domain="buyers.example")
    mail.set_content(
        f"Hello,\n\nmy parcel for order {pair['order']} has not arrived yet. Could you tell me "
        f"where it is?\n\nThanks ({run} {n})\n"
    )
    return mail


def _send(port: int, mails: list[EmailMessage], accepted: list[int], errors: list[str]) -> None:
    done = 0
    try:
        with smtplib.SMTP(HOST, port, timeout=60) as smtp:
            for mail in mails:
                try:
                    smtp.send_message(mail)
                    done += 1
                except smtplib.SMTPException as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
    except OSError as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    accepted.append(done)


def _statuses(url: str, since: int) -> dict[str, int]:
    with psycopg.connect(url, connect_timeout=5) as db:
        rows = db.execute(
            "SELECT status, count(*) FROM messaging_inboundmail WHERE id > %s GROUP BY 1", [since]
        ).fetchall()
    return {str(status): int(count) for status, count in rows}


def _last_processed(url: str, since: int) -> float:
    with psycopg.connect(url, connect_timeout=5) as db:
        row = db.execute(
            "SELECT extract(epoch FROM max(processed_at)) FROM messaging_inboundmail WHERE id > %s",
            [since],
        ).fetchone()
    return float(row[0] or 0)


def _cpu_seconds(processes: Processes) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each started process with its children, by
    this script (the SMTP clients) and by every PostgreSQL process on the machine."""
    import psutil

    def tree(process: psutil.Process) -> float:
        total = 0.0
        for p in [process, *process.children(recursive=True)]:
            try:
                times = p.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    used = {name: tree(psutil.Process(p.pid)) for name, p in processes.running.items()}
    me = psutil.Process().cpu_times()
    used["clients"] = me.user + me.system
    postgres = 0.0
    for p in psutil.process_iter(["name", "cpu_times"]):
        if p.info["name"] and p.info["name"].startswith("postgres") and p.info["cpu_times"]:
            postgres += p.info["cpu_times"].user + p.info["cpu_times"].system
    used["postgresql"] = postgres
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/h13p_inbound")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8, help="SMTP client connections")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--drain-timeout", type=int, default=600)
    options = parser.parse_args()

    run = f"ib{int(time.time()) % 100000}"
    database_ensure(options.database_url, fresh=options.fresh)
    env = local_env(
        options.database_url,
        CELERY_BROKER_URL=options.broker_url,
        MEDIA_ROOT=str(ROOT / "var" / "inbound-media"),
    )
    print("migrating and seeding…", flush=True)
    manage("migrate", "--noinput", env=env, timeout=900)
    manage("seed_demo", env=env, timeout=1800)
    pairs = shell_json(FACTS, env=env, timeout=300)
    if not pairs:
        raise SystemExit("no buyer-seller relationship with an order to mail about")
    import redis

    redis.Redis.from_url(options.broker_url).flushdb()
    with psycopg.connect(options.database_url) as db:
        since = int(
            db.execute("SELECT coalesce(max(id), 0) FROM messaging_inboundmail").fetchone()[0]
        )

    mails = [_mail(pairs[n % len(pairs)], n, run) for n in range(options.mails)]
    relay_port = free_port()
    processes = Processes(OUT_DIR, cwd=ROOT)
    try:
        relay = processes.start("relay", relay_command(relay_port), env)
        wait_for_port(relay_port, relay, timeout=90, what="the relay")
        processes.start(
            "worker", celery_worker_command(f"--concurrency={options.concurrency}"), env
        )
        time.sleep(5)  # the worker imports the app before it takes tasks
        if processes.dead():
            raise SystemExit(f"did not start: {processes.dead()} (logs in {OUT_DIR})")
        print(
            f"sending {len(mails):,} mails over {options.threads} SMTP connections to "
            f"{HOST}:{relay_port} ({len(pairs)} buyer/seller pairs; load "
            f"{load_average()})…",
            flush=True,
        )
        accepted: list[int] = []
        errors: list[str] = []
        chunks = [mails[i :: options.threads] for i in range(options.threads)]
        threads = [
            threading.Thread(target=_send, args=(relay_port, chunk, accepted, errors))
            for chunk in chunks
        ]
        cpu_before = _cpu_seconds(processes)
        started_wall, started = time.time(), time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sent_in = time.perf_counter() - started
        at_relay = sum(accepted)
        print(
            f"relay: {at_relay:,} accepted in {sent_in:.1f} s = {at_relay / sent_in:.0f} mails/s "
            f"accepted ({len(errors)} errors{': ' + errors[0] if errors else ''})",
            flush=True,
        )
        deadline = time.monotonic() + options.drain_timeout
        while True:
            statuses = _statuses(options.database_url, since)
            if not statuses.get("received") or time.monotonic() > deadline:
                break
            if processes.dead():
                raise SystemExit(f"died: {processes.dead()} (logs in {OUT_DIR})")
            time.sleep(0.5)
        end_to_end = _last_processed(options.database_url, since) - started_wall
        stored = statuses.get("accepted", 0)
        print(
            f"worker: {stored:,} stored as messages, {end_to_end:.1f} s from the first mail sent "
            f"to the last processed = {stored / end_to_end:.0f} mails/s end to end "
            f"(statuses {statuses}; load {load_average()})",
            flush=True,
        )
        cpu_after = _cpu_seconds(processes)
        print(
            "CPU per mail: "
            + ", ".join(
                f"{name} {(cpu_after[name] - cpu_before[name]) / max(at_relay, 1) * 1000:.1f} ms"
                for name in cpu_after
            )
            + f" ({os.cpu_count()} cores: at most {os.cpu_count() or 1} s of CPU per second)",
            flush=True,
        )
    finally:
        processes.stop_all()


if __name__ == "__main__":
    try:
        main()
    except subprocess.TimeoutExpired as exc:
        raise SystemExit(f"timed out: {exc}") from exc
    except (CommandFailed, WaitTimeout) as failed:
        raise SystemExit(f"{failed}\n(logs in {OUT_DIR})") from None
