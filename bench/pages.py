"""Seller pages through gunicorn, side by side with a floor: every page of issue 13's table
requested over HTTP, signed in as the large seller's owner of the `seed_scale` data set,
interleaved round by round with a bare signed-in view, then wrk for requests per second.

    make bench                                            # = .venv/bin/python bench/pages.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h13s_scale .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --explain             # plus EXPLAIN ANALYZE of key queries
    .venv/bin/python bench/pages.py --flat URL1 URL2 URL3 # the same pages at three sizes

The database must hold the data set (`manage.py seed_scale`, demo/scale.py). The server is
gunicorn with 2 sync workers and production's settings (bench/settings.py: DEBUG off, sessions in
a Redis cache this script starts on a free port, plain HTTP on 127.0.0.1), plus the floor view
(bench/urls.py) and a query counter (bench/middleware.py) that only this server has. It prints
one table: page, median, p95, × floor, req/s, queries, target, pass/fail. See bench/README.md.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import machine_line, percentile  # noqa: E402  (the root is on sys.path now)
from scripts.commands import gunicorn_command, redis_command  # noqa: E402
from scripts.processes import (  # noqa: E402
    HOST,
    Processes,
    WaitTimeout,
    child_pids,
    free_port,
    memory_kb,
    peak_reset,
    wait_for_port,
    wait_until,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/h13s_scale"
os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ["DEBUG"] = "false"
os.environ.setdefault("LOG_LEVEL", "WARNING")

INBOX_RATIO, CASE_RATIO, ORDERS_RATIO, SEARCH_RATIO = 3.0, 3.0, 3.0, 10.0
CSV_SECONDS = 3.0
WRK_SHARE = 0.40  # inbox requests per second, at least this share of the floor's


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed rounds (every page once)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument("--csv-runs", type=int, default=2, help="order report downloads")
    parser.add_argument("--wrk-seconds", type=int, default=8, help="per page and repeat")
    parser.add_argument("--wrk-repeats", type=int, default=2)
    parser.add_argument("--wrk-connections", type=int, default=4)
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE of key queries")
    parser.add_argument(
        "--flat",
        nargs="+",
        metavar="DATABASE_URL",
        help="instead of the full run: the inbox and case page on each of these databases "
        "(e.g. seed_scale --scale 0.01, 0.1 and 1), to show the cost stays flat",
    )
    return parser.parse_args()


# ---- the server


@dataclass
class Server:
    database_url: str
    workers: int
    explain_dir: Path
    port: int = 0
    processes: Processes | None = None

    def start(self) -> None:
        redis_port, self.port = free_port(), free_port()
        self.processes = Processes(self.explain_dir, cwd=ROOT)
        redis = self.processes.start("redis", redis_command(redis_port), os.environ)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "bench-only-not-secret",
            "CACHE_URL": f"redis://{HOST}:{redis_port}/1",
            "CELERY_BROKER_URL": f"redis://{HOST}:{redis_port}/2",
            "EMAIL_URL": "consolemail://",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "BENCH_EXPLAIN_DIR": str(self.explain_dir),
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DEBUG", None)
        options = ["--worker-class=sync", "--timeout=300"]
        gunicorn = self.processes.start(
            "gunicorn", gunicorn_command(self.port, workers=self.workers, options=options), env
        )
        try:
            wait_for_port(redis_port, redis, timeout=30, what="redis-server")
            wait_for_port(self.port, gunicorn, timeout=60, what="gunicorn")
            wait_until(self.ready, timeout=60, what="gunicorn's workers")
        except WaitTimeout as gave_up:
            self.stop()
            sys.exit(str(gave_up))

    def ready(self) -> bool:
        """The sign-in page answers and every worker is up."""
        try:
            status, *_ = Client(self.port).get("/accounts/login/")
        except OSError:
            return False
        return status == 200 and len(self.worker_pids()) == self.workers

    def gunicorn(self) -> subprocess.Popen[bytes]:
        assert self.processes is not None, "start() first"
        return self.processes.running["gunicorn"]

    def worker_pids(self) -> list[int]:
        return child_pids(self.gunicorn().pid)

    def stop(self) -> None:
        """Stop Redis and gunicorn; what gunicorn logged (warnings and errors) goes to stderr."""
        if self.processes is not None:
            self.processes.stop_all()
            log = self.processes.log("gunicorn").strip()
            if log:
                print(f"gunicorn's log:\n{log[-5000:]}", file=sys.stderr)
            self.processes = None


# ---- HTTP


class Client:
    """One signed-in browser: cookies kept, a new connection per request (gunicorn's sync
    workers close it after each response)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes, float]:
        headers = {**(headers or {})}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=600)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, data, seconds

    def get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes, float]:
        return self.request("GET", path, headers=headers)

    def sign_in(self, email: str, password: str) -> None:
        status, _, html, _ = self.get("/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not match:
            sys.exit(f"no sign-in form ({status})")
        body = urllib.parse.urlencode(
            {
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": match.group(1).decode(),
            }
        )
        status, *_ = self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"signing in as {email} failed ({status})")


# ---- what to request


@dataclass
class Page:
    label: str
    path: str
    target: float | None  # ratio to the floor's median, none for the floor
    samples: list[float] = field(default_factory=list)
    queries: str = "?"
    size_kb: float = 0.0
    rps: float | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples, 0.95) * 1000


@dataclass
class DataSet:
    email: str
    password: str
    seller_id: int
    messages: int
    cases: int
    orders: int
    seller_cases: int
    seller_messages: int
    seller_orders: int
    case10: int
    case50: int
    alias: str
    order_number: str
    postgres: str


def data_set() -> DataSet:
    import django

    django.setup()
    from django.db import connection

    from demo.scale import LARGE_OWNER_EMAIL, LARGE_SLUG, SCALE_PASSWORD

    with connection.cursor() as cursor:

        def one(sql: str, *params: object) -> Any:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is None:
                sys.exit(f"The database has no seed_scale data set ({sql[:60]}…).")
            return row[0]

        seller = int(one("SELECT id FROM accounts_selleraccount WHERE slug = %s", LARGE_SLUG))

        def case_with(n: int) -> int:
            return int(
                one(
                    "SELECT id FROM cases_case WHERE seller_id = %s AND message_count = %s "
                    "ORDER BY id LIMIT 1",
                    seller,
                    n,
                )
            )

        case10 = case_with(10)
        cursor.execute(
            "SELECT buyer_alias, order_number FROM cases_case WHERE seller_id = %s "
            "AND order_number <> '' ORDER BY id LIMIT 1 OFFSET 100",
            [seller],
        )
        alias, number = cursor.fetchone() or ("", "")
        return DataSet(
            email=LARGE_OWNER_EMAIL,
            password=SCALE_PASSWORD,
            seller_id=seller,
            messages=int(one("SELECT COUNT(*) FROM messaging_message")),
            cases=int(one("SELECT COUNT(*) FROM cases_case")),
            orders=int(one("SELECT COUNT(*) FROM orders_order")),
            seller_cases=int(one("SELECT COUNT(*) FROM cases_case WHERE seller_id = %s", seller)),
            seller_messages=int(
                one("SELECT COUNT(*) FROM messaging_message WHERE seller_id = %s", seller)
            ),
            seller_orders=int(
                one("SELECT COUNT(*) FROM orders_order WHERE seller_id = %s", seller)
            ),
            case10=case10,
            case50=case_with(50),
            alias=alias,
            order_number=number,
            postgres=str(one("SHOW server_version")),
        )


def pages_for(data: DataSet) -> list[Page]:
    from demo.scale import COMMON_WORD, RARE_WORD
    from messaging.inbox.selectors import INBOX_FILTERS

    def q(text: str) -> str:
        return urllib.parse.quote(text)

    number = data.order_number
    partial = number[4:15]  # e.g. 1234567-1234: a run across a dash
    pages = [Page("floor (bare signed-in view)", "/bench/bare/", None)]
    pages += [
        Page(f"inbox, {label}", f"/messages/?filter={key}", INBOX_RATIO)
        for key, (label, _, _) in INBOX_FILTERS.items()
    ]
    pages += [
        Page("case page, 10 messages", f"/messages/{data.case10}/", CASE_RATIO),
        Page("case page, 50 messages", f"/messages/{data.case50}/", CASE_RATIO),
        Page("inbox search, buyer alias", f"/messages/?filter=all&q={q(data.alias)}", SEARCH_RATIO),
        Page("inbox search, order ID", f"/messages/?filter=all&q={q(number)}", SEARCH_RATIO),
        Page(
            f'inbox search, common word "{COMMON_WORD}"',
            f"/messages/?filter=all&q={COMMON_WORD}",
            SEARCH_RATIO,
        ),
        Page(
            f'inbox search, rare word "{RARE_WORD}"',
            f"/messages/?filter=all&q={RARE_WORD}",
            SEARCH_RATIO,
        ),
        Page("Manage Orders", "/orders/", ORDERS_RATIO),
        Page(
            "Manage Orders, partial ID with dash",
            f"/orders/?q={q(partial)}",
            ORDERS_RATIO,
        ),
        Page(
            "Manage Orders, partial ID without dashes",
            f"/orders/?q={q(partial.replace('-', ''))}",
            ORDERS_RATIO,
        ),
        Page("Manage Orders, buyer alias", f"/orders/?q={q(data.alias)}", ORDERS_RATIO),
    ]
    return pages


# ---- measuring


def measure(client: Client, pages: list[Page], rounds: int, warmup: int) -> None:
    """Round-robin: each round requests every page once, so a busy machine slows all alike."""
    for round_number in range(warmup + rounds):
        for page in pages:
            status, headers, body, seconds = client.get(page.path)
            if status != 200:
                sys.exit(f"{page.label}: {page.path} answered {status}")
            if round_number >= warmup:
                page.samples.append(seconds)
            page.queries = headers.get("X-Bench-Queries", "?")
            page.size_kb = len(body) / 1024
        print(f"  round {round_number + 1}/{warmup + rounds}", end="\r", file=sys.stderr)
    print(file=sys.stderr)


@dataclass
class CsvResult:
    seconds: list[float]
    rows: int
    peak_rss_mb: float
    rss_before_mb: float


def measure_csv(client: Client, server: Server, runs: int) -> CsvResult:
    seconds, peaks, rows, before = [], [], 0, 0.0
    for _ in range(runs):
        workers = server.worker_pids()
        before = max(memory_kb(pid)["VmRSS"] for pid in workers) / 1024
        for pid in workers:
            peak_reset(pid)
        status, _, body, took = client.get("/orders/report.csv")
        if status != 200:
            sys.exit(f"order report answered {status}")
        seconds.append(took)
        rows = body.count(b"\n") - 1
        peaks.append(max(memory_kb(pid)["VmHWM"] for pid in workers) / 1024)
    return CsvResult(seconds, rows, max(peaks), before)


def wrk(server: Server, client: Client, pages: list[Page], seconds: int, repeats: int, conns: int):
    binary = shutil.which("wrk")
    if not binary:
        print("wrk not found (apt-get install -y wrk): no req/s figures", file=sys.stderr)
        return
    results: dict[str, list[float]] = {p.path: [] for p in pages}
    for _ in range(repeats):
        for page in pages:
            out = subprocess.run(  # noqa: S603
                [
                    binary,
                    "-t2",
                    f"-c{conns}",
                    f"-d{seconds}s",
                    "-H",
                    f"Cookie: {client.cookie_header()}",
                    f"http://{HOST}:{server.port}{page.path}",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if "Non-2xx" in out:
                sys.exit(f"wrk: {page.label} answered errors:\n{out}")
            match = re.search(r"Requests/sec:\s+([\d.]+)", out)
            results[page.path].append(float(match.group(1)) if match else 0.0)
    for page in pages:
        page.rps = statistics.mean(results[page.path])


def explain(client: Client, pages: list[Page], explain_dir: Path) -> list[str]:
    lines = []
    for page in pages:
        _, headers, _, _ = client.get(page.path, headers={"X-Bench-Explain": "2"})
        name = headers.get("X-Bench-Explain")
        if not name:
            continue
        lines.append(f"### {page.label}: {page.path}")
        for plan in json.loads((explain_dir / name).read_text()):
            lines.append(
                f"-- {plan['execution_ms']} ms ({plan['ms']} ms in the request); "
                f"params {plan['params']}\n"
                f"{plan['sql']}\n{plan['plan']}\n"
            )
    return lines


# ---- reporting


def verdict(page: Page, floor: Page) -> tuple[str, str]:
    if page.target is None:
        return "—", ""
    ratio = page.median_ms / floor.median_ms
    ok = ratio <= page.target
    target = f"≤ {page.target:.0f}×"
    if page.rps is not None and floor.rps and page.target == INBOX_RATIO and "inbox" in page.label:
        ok = ok and page.rps >= WRK_SHARE * floor.rps
        target += f", ≥ {WRK_SHARE:.0%} req/s"
    return target, "pass" if ok else "FAIL"


def table(pages: list[Page]) -> list[str]:
    floor = pages[0]
    lines = [
        "| page | median ms | p95 ms | × floor | req/s | queries | KB | target | result |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for page in pages:
        target, result = verdict(page, floor)
        rps = f"{page.rps:.0f}" if page.rps is not None else "—"
        lines.append(
            f"| {page.label} | {page.median_ms:.1f} | {page.p95_ms:.1f} | "
            f"{page.median_ms / floor.median_ms:.1f}× | {rps} | {page.queries} | "
            f"{page.size_kb:.1f} | {target} | {result} |"
        )
    return lines


@contextlib.contextmanager
def serving(database_url: str, workers: int) -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        server = Server(database_url, workers, Path(tmp))
        server.start()
        try:
            yield server
        finally:
            server.stop()


def full_run(args: argparse.Namespace) -> None:
    data = data_set()
    pages = pages_for(data)
    print(f"Pages through gunicorn, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(machine_line())
    print(
        f"PostgreSQL {data.postgres}; gunicorn {args.workers} sync workers, bench/settings.py "
        "(production settings, DEBUG off, sessions cached_db on Redis)"
    )
    print(
        f"data: {data.messages:,} messages, {data.cases:,} cases, {data.orders:,} orders; "
        f"the large seller: {data.seller_cases:,} cases, {data.seller_messages:,} messages, "
        f"{data.seller_orders:,} orders"
    )
    print(f"signed in as {data.email}; {args.warmup} warm-up + {args.rounds} timed rounds")
    print("searches: " + ", ".join(p.path for p in pages if "q=" in p.path))
    with serving(os.environ["DATABASE_URL"], args.workers) as server:
        client = Client(server.port)
        client.sign_in(data.email, data.password)
        measure(client, pages, args.rounds, args.warmup)
        csv = measure_csv(client, server, args.csv_runs)
        if not args.no_wrk:
            chosen = [pages[0], pages[1], next(p for p in pages if "10 messages" in p.label)]
            wrk(server, client, chosen, args.wrk_seconds, args.wrk_repeats, args.wrk_connections)
        plans = []
        if args.explain:
            wanted = (
                "inbox, Response Needed",
                "inbox, Reported",
                "case page, 50 messages",
                "inbox search, buyer alias",
                'inbox search, common word "parcel"',
                "Manage Orders, partial ID with dash",
                "Manage Orders, buyer alias",
            )
            key = [p for p in pages if p.label.startswith(wanted)]
            plans = explain(client, key, server.explain_dir)
        workers = [memory_kb(pid) for pid in server.worker_pids()]
    print()
    print("\n".join(table(pages)))
    csv_median = statistics.median(csv.seconds)
    print(
        f"| order report CSV, {csv.rows:,} orders | {csv_median * 1000:.0f} | "
        f"{max(csv.seconds) * 1000:.0f} | — | — | — | — | ≤ {CSV_SECONDS:.0f} s | "
        f"{'pass' if csv_median <= CSV_SECONDS else 'FAIL'} |"
    )
    print()
    print(
        f"order report: {csv.rows:,} rows, median {csv_median:.2f} s over {len(csv.seconds)} "
        f"downloads; web worker peak RSS during it {csv.peak_rss_mb:.0f} MB "
        f"(RSS before: {csv.rss_before_mb:.0f} MB)"
    )
    rss = ", ".join(
        f"{w['VmRSS'] / 1024:.0f} MB (peak {w['VmHWM'] / 1024:.0f} MB)" for w in workers
    )
    print(f"web workers after the run: {rss}")
    print(machine_line().replace("machine:", "at the end:"))
    if plans:
        print("\nEXPLAIN (ANALYZE, BUFFERS) of the slowest queries of key pages\n")
        print("\n".join(plans))


def flat_run(args: argparse.Namespace) -> None:
    print(f"Flatness, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(machine_line())
    rows = []
    for url in args.flat:
        os.environ["DATABASE_URL"] = url
        from django.db import connections

        connections.close_all()
        connections["default"].settings_dict["NAME"] = urllib.parse.urlparse(url).path[1:]
        data = data_set()
        pages = [
            p
            for p in pages_for(data)
            if p.label.startswith(
                (
                    "floor",
                    "inbox, Response Needed",
                    "inbox, All",
                    "case page",
                    "inbox search",
                    "Manage Orders",
                )
            )
        ]
        with serving(url, args.workers) as server:
            client = Client(server.port)
            client.sign_in(data.email, data.password)
            measure(client, pages, args.rounds, args.warmup)
            peak = max(memory_kb(pid)["VmHWM"] for pid in server.worker_pids()) / 1024
        rows.append((data, pages, peak))
    header = [p.label for p in rows[0][1]]
    print()
    print("| page | " + " | ".join(f"{d.seller_messages:,} msgs" for d, _, _ in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for index, label in enumerate(header):
        cells = []
        for _, pages, _ in rows:
            page, floor = pages[index], pages[0]
            cells.append(f"{page.median_ms:.1f} ms ({page.median_ms / floor.median_ms:.1f}×)")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| web worker peak RSS | " + " | ".join(f"{p:.0f} MB" for _, _, p in rows) + " |")
    print(
        "\nsizes: "
        + "; ".join(
            f"{d.seller_messages:,} messages / {d.seller_cases:,} cases of the large seller "
            f"({d.messages:,} messages in all)"
            for d, _, _ in rows
        )
    )


def main() -> None:
    args = parse_args()
    # Stopped with SIGTERM: still stop the servers it started (the `finally` of `serving`).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    if args.flat:
        flat_run(args)
    else:
        full_run(args)


if __name__ == "__main__":
    main()
