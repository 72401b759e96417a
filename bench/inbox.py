"""Inbox benchmark: how long the hot seller pages take on a large data set, against a bare
signed-in page. It prints figures; it is not a test and asserts nothing about timings.

    .venv/bin/python bench/inbox.py                  # sellercentral_bench, 100,000 cases
    .venv/bin/python bench/inbox.py --cases 2000     # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sellercentral_bench_20k \\
        .venv/bin/python bench/inbox.py --cases 20000

It migrates the PostgreSQL database named by DATABASE_URL (default sellercentral_bench on
127.0.0.1:5432, created if missing; settings: DJANGO_SETTINGS_MODULE, default
config.settings.local), tops the first demo seller up to --cases cases of --messages-per-case
messages with `seed_demo`, then times each page with django.test.Client signed in as a member of
that seller. See bench/README.md.
"""

import argparse
import io
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import machine_line, percentile  # noqa: E402  (the root is on sys.path now)
from bench.in_process import django_setup  # noqa: E402

TARGET_RATIO = 3.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases of the first seller")
    parser.add_argument("--messages-per-case", type=int, default=10)
    parser.add_argument(
        "--orders", type=int, default=None, help="orders of the first seller (default: cases / 2)"
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--no-seed", action="store_true", help="use the database as it is")
    return parser.parse_args()


def seed(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    orders = args.orders if args.orders is not None else args.cases // 2
    started = time.perf_counter()
    call_command(
        "seed_demo",
        "--orders",
        str(orders),
        "--cases",
        str(args.cases),
        "--messages-per-case",
        str(args.messages_per_case),
        stdout=io.StringIO(),
    )
    # After a bulk load: planner statistics and the visibility map (what autovacuum gives a
    # database in steady state; index-only scans depend on it).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded/checked in {time.perf_counter() - started:.1f} s")


def measure(client, pages: dict[str, str], *, warmup: int, requests: int) -> dict[str, dict]:
    """Median and p95 of each page, and the queries of one request. Rounds go through every
    page in turn, so a busy machine slows all pages alike and the ratios stay comparable."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results: dict[str, dict] = {}
    for label, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            results[label] = {"error": f"HTTP {response.status_code}"}
    ready = {label: url for label, url in pages.items() if label not in results}
    samples: dict[str, list[float]] = {label: [] for label in ready}
    for round_number in range(warmup + requests):
        for label, url in ready.items():
            started = time.perf_counter()
            client.get(url)
            if round_number >= warmup:
                samples[label].append((time.perf_counter() - started) * 1000)
    for label, url in ready.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        statements = [q["sql"] for q in queries.captured_queries]
        real = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
        results[label] = {
            "median": statistics.median(samples[label]),
            "p95": percentile(samples[label], 0.95),
            "queries": len(real),
            "bytes": len(response.content),
        }
    return {label: results[label] for label in pages}


def explain(client, url: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) every query on the case table that the default inbox page
    runs (the page and the paginator's count): the page should be an index scan on
    case_inbox_response_needed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "cases_case"' in q["sql"]
    ]
    prefix = "EXPLAIN (ANALYZE, BUFFERS) "
    lines = []
    for sql in statements:
        lines.append(f"\n{prefix}{sql}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                lines.append("   " + row[0])
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    django_setup()
    import django
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import SellerAccount, User
    from cases.models import Case
    from messaging.models import Message

    if not args.no_seed:
        seed(args)
    seller = SellerAccount.objects.order_by("pk").filter(slug="acme-outfitters").first()
    if seller is None:
        sys.exit("No demo seller: run without --no-seed first.")
    member = User.objects.filter(seller_membership__seller=seller).order_by("pk").first()
    cases = Case.objects.filter(seller=seller)
    newest = cases.order_by("-latest_message_at", "-id").first()
    long_case = (
        cases.filter(message_count=args.messages_per_case).order_by("-id").first()
        or cases.order_by("-message_count", "-id").first()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        db_version = cursor.fetchone()[0]

    print(f"\nInbox benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(machine_line())
    print(f"Django {django.get_version()}, {db_version.split(' on ')[0]}")
    print(
        f"data: {cases.count():,} cases of {seller} "
        f"({cases.filter(needs_response=True).count():,} need a response), "
        f"{Message.objects.count():,} messages in all"
    )
    print(f"signed in as {member.email}; {args.warmup} warm-up + {args.requests} timed requests")

    pages = {
        "bare signed-in page": "/bench/bare/",
        "inbox (Response Needed)": "/messages/",
        "inbox ?filter=all": "/messages/?filter=all",
    }
    if newest is not None:
        pages["inbox ?q=<buyer alias>"] = f"/messages/?q={newest.buyer_alias}"
    # A word in about one bulk buyer message in ten: thousands of matching messages.
    pages["inbox ?q=parcel (common word)"] = "/messages/?filter=all&q=parcel"
    if long_case is not None:
        pages[f"case page ({long_case.message_count} messages)"] = f"/messages/{long_case.pk}/"
    with override_settings(ROOT_URLCONF="bench.urls"):
        client = Client()
        client.force_login(member)
        results = measure(client, pages, warmup=args.warmup, requests=args.requests)
        plans = ""
        if "error" not in results["inbox (Response Needed)"]:
            plans = explain(client, "/messages/")

    print(f"\n{'page':<32} {'median ms':>10} {'p95 ms':>8} {'× bare':>7} {'queries':>8} {'KB':>6}")
    bare = results["bare signed-in page"].get("median")
    for label, result in results.items():
        if "error" in result:
            print(f"{label:<32} {result['error']}")
            continue
        ratio = result["median"] / bare if bare else float("nan")
        print(
            f"{label:<32} {result['median']:>10.1f} {result['p95']:>8.1f} {ratio:>6.1f}× "
            f"{result['queries']:>8} {result['bytes'] / 1024:>6.1f}"
        )
    inbox = results["inbox (Response Needed)"].get("median")
    if bare and inbox:
        verdict = "within" if inbox / bare <= TARGET_RATIO else "OVER"
        print(
            f"\ninbox / bare page (median): {inbox / bare:.1f}× — {verdict} the "
            f"{TARGET_RATIO:.0f}× target"
        )
    print(plans)


if __name__ == "__main__":
    main()
