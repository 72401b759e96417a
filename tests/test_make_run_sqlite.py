"""`make run` serves a SQLite database (var/), although production and the rest of the suite
run PostgreSQL. Run as `make run` runs it, in a fresh interpreter with the local settings:
- every migration applies there and goes back (an index built CONCURRENTLY on PostgreSQL is
  built the plain way on SQLite: core/indexes.py);
- the seller's, buyer's and staff's main pages work there, some hot pages using PostgreSQL
  statements with an ORM form for other databases: migrate, load the demo data, open every main
  page, reply on a case and contact a buyer through the send funnel."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

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
    "/messages/", "/messages/?filter=all", "/messages/?filter=assigned-to-me",
    "/messages/?filter=closed&page=2", "/messages/?q=parcel", f"/messages/{case.pk}/",
    "/messages/notices/", "/orders/", "/orders/?q=1-2", f"/orders/{order.number}/",
    f"/orders/{order.number}/contact-buyer/", "/templates/", "/performance/response-time/",
]:
    seen[url] = client.get(url).status_code
contact = client.post(
    f"/orders/{order.number}/contact-buyer/",
    {"reason": "additional_information", "subject": "Your size", "body": "Which size fits?"},
)
seen["contact"] = contact.status_code
seen["contact stored"] = order.cases.filter(messages__body_text="Which size fits?").count()
reply = client.post(f"/messages/{case.pk}/reply/", {"body": "It ships today."})
seen["reply"] = reply.status_code
seen["reply stored"] = case.messages.filter(body_text="It ships today.").count()
buyer = case.buyer
buyer_client = Client(HTTP_HOST="127.0.0.1")
buyer_client.force_login(buyer)
for url in ["/buyer/messages/", f"/buyer/messages/{case.pk}/"]:
    seen[url] = buyer_client.get(url).status_code
staff = Client(HTTP_HOST="127.0.0.1")
staff.force_login(User.objects.get(email="staff@alphadiscounters.example"))
seen["/admin/"] = staff.get("/admin/").status_code
print("SEEN " + json.dumps(seen))
"""


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "EMAIL_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{database}",
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


def test_the_main_pages_work_on_sqlite(tmp_path):
    database = tmp_path / "run.sqlite3"
    for step in (("migrate", "--noinput"), ("seed_demo",)):
        done = _manage(*step, database=database)
        assert done.returncode == 0, done.stderr[-3000:]
    done = _manage("shell", "-c", PAGES, database=database)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("SEEN "))
    seen = json.loads(line.removeprefix("SEEN "))
    assert seen.pop("reply") in (200, 302)
    assert seen.pop("reply stored") == 1
    assert seen.pop("contact") in (200, 302)
    assert seen.pop("contact stored") == 1
    assert seen == dict.fromkeys(seen, 200), seen


def test_every_migration_applies_on_sqlite_and_the_index_ones_go_back(tmp_path):
    database = tmp_path / "run.sqlite3"
    forward = _manage("migrate", "--noinput", database=database)
    assert forward.returncode == 0, forward.stderr[-3000:]
    back = _manage("migrate", "messaging", "0015", "--noinput", database=database)
    assert back.returncode == 0, back.stderr[-3000:]
    again = _manage("migrate", "--noinput", database=database)
    assert again.returncode == 0, again.stderr[-3000:]
    plan = _manage("migrate", "--plan", database=database)
    assert "No planned migration operations." in plan.stdout
