"""`make prod-check`: the production stack, started locally and used once, end to end.

With config.settings.production on PostgreSQL (database sellercentral_prodcheck on
127.0.0.1:5432, dropped and created afresh) and Redis (127.0.0.1:6379: the broker on database 12,
the cache and sessions on database 13, both emptied first), it runs `check --deploy`, migrates,
collects the static files, creates a seller and a buyer with an order, and starts every line of
deploy/Procfile (gunicorn web, Celery worker, Celery beat, the mail relay) plus an SMTP server of
its own as the outside world's mail. Then, over HTTP as a browser would (behind a TLS proxy:
X-Forwarded-Proto https): the buyer signs in and writes to the seller about the order; the seller
signs in, loads the inbox (200, the case listed), opens the case and replies; the worker sends the
reply's email (its OutboundEmail row `sent`, the SMTP server received it for the buyer). It checks
that the session lives in the Redis cache, that the relay answers SMTP and that no process died,
then stops everything. Exit status 0 when all of it worked, 1 otherwise (with the logs).

    .venv/bin/python scripts/prod_check.py [--keep-database]

Override the servers with PRODCHECK_POSTGRES (postgres://user@host:port) and PRODCHECK_REDIS
(redis://host:port).
"""

import argparse
import contextlib
import html
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message as EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.commands import BIN, CommandFailed, manage  # noqa: E402  (root on sys.path now)
from scripts.databases import database_drop, database_ensure  # noqa: E402
from scripts.processes import (  # noqa: E402
    HOST,
    Processes,
    WaitTimeout,
    free_port,
    port_answers,
    wait_until,
)

POSTGRES = os.environ.get("PRODCHECK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("PRODCHECK_REDIS", "redis://127.0.0.1:6379")
DATABASE = "sellercentral_prodcheck"
BROKER_DB, CACHE_DB = 12, 13


class CheckFailed(Exception):
    pass


def step(text: str) -> None:
    print(f"prod-check: {text}", flush=True)


# ---- the servers it needs


def redis_client(db: int) -> Any:
    import redis

    return redis.Redis.from_url(f"{REDIS}/{db}", socket_connect_timeout=3, socket_timeout=3)


def database_fresh() -> None:
    try:
        database_ensure(f"{POSTGRES}/{DATABASE}", fresh=True)
    except Exception as exc:
        raise CheckFailed(f"PostgreSQL at {POSTGRES} did not answer or refused ({exc})") from exc


def redis_fresh() -> None:
    for db in (BROKER_DB, CACHE_DB):
        client = redis_client(db)
        try:
            client.flushdb()
        except Exception as exc:
            raise CheckFailed(f"Redis at {REDIS}/{db} did not answer ({exc})") from exc
        finally:
            client.close()


# ---- the outside world's mail server: records what the worker sends


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.port = free_port()
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = BytesParser().parsebytes(envelope.original_content or envelope.content)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def received_for(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [message for rcpts, message in self.messages if address in rcpts]

    @contextlib.contextmanager
    def running(self) -> Iterator["SmtpSink"]:
        from aiosmtpd.controller import Controller

        controller = Controller(self, hostname=HOST, port=self.port)
        controller.start()
        try:
            yield self
        finally:
            controller.stop()


# ---- processes


class Stack:
    """The lines of deploy/Procfile, each in its own process group with its log file."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.processes = Processes(logs, cwd=ROOT)

    def manage(self, *args: str, timeout: float = 300) -> str:
        try:
            return manage(*args, env=self.env, timeout=timeout)
        except CommandFailed as failed:
            raise CheckFailed(str(failed)) from None

    def start_procfile(self) -> None:
        for line in (ROOT / "deploy" / "Procfile").read_text().splitlines():
            match = re.fullmatch(r"([A-Za-z0-9_-]+):\s*(.+)", line.strip())
            if match is None:
                continue
            name, command = match.groups()
            # Through bash: the lines use ${VAR:-default}.
            process = self.processes.start(name, ["bash", "-c", f"exec {command}"], self.env)
            step(f"started {name} (pid {process.pid}): {command}")

    def names(self) -> list[str]:
        return list(self.processes.running)

    def log(self, name: str) -> str:
        return self.processes.log(name)

    def dead(self) -> list[str]:
        return self.processes.dead()

    def stop(self) -> None:
        for name in self.processes.stop_all(timeout=30):
            step(f"{name} did not stop within 30 s: killed")
        step("stopped " + ", ".join(self.names()) if self.names() else "nothing to stop")


# ---- a browser: cookies by hand (Secure cookies over plain http to the local gunicorn)


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(
        self, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        headers = {
            # What the TLS-terminating proxy adds (SECURE_PROXY_SSL_HEADER).
            "X-Forwarded-Proto": "https",
            "User-Agent": "prod-check",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            origin = self.base.replace("http://", "https://", 1)
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', "") or "Max-Age=0" in header:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        text = response.read().decode("utf-8", errors="replace")
        return response.status, dict(response.headers.items()), text

    def get(self, path: str, *, expect: int = 200) -> str:
        status, _, text = self.request(path)
        if status != expect:
            raise CheckFailed(f"GET {path}: HTTP {status}, expected {expect}\n{text[:2000]}")
        return text

    def post(self, path: str, form_page: str, data: dict[str, str]) -> tuple[int, str]:
        """POST with the CSRF token of the form on `form_page` (its HTML)."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page)
        if token is None:
            raise CheckFailed(f"no CSRF token in the page before POST {path}")
        status, headers, text = self.request(path, {"csrfmiddlewaretoken": token.group(1), **data})
        return status, headers.get("Location", "") if status in (301, 302, 303) else text

    def sign_in(self, email: str, password: str) -> None:
        page = self.get("/accounts/login/")
        status, location = self.post(
            "/accounts/login/", page, {"username": email, "password": password}
        )
        if status != 302:
            raise CheckFailed(f"sign-in of {email}: HTTP {status}\n{location[:2000]}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# ---- the check

SETUP = """
import json
from decimal import Decimal
from django.utils import timezone
from accounts.models import BuyerProfile, SellerAccount, SellerMembership, User
from orders.models import Category, OrderStatus, Product
from orders.services import OrderLine, order_create, order_set_status
data = json.loads({payload!r})
seller = SellerAccount.objects.create(business_name="Prod Check Outfitters", slug="prod-check")
member = User.objects.create_user(data["seller_email"], data["password"], full_name="Pat Seller")
SellerMembership.objects.create(seller=seller, user=member, role=SellerMembership.Role.OWNER)
buyer = User.objects.create_user(data["buyer_email"], data["password"], full_name="Bo Buyer")
BuyerProfile.objects.create(user=buyer)
category = Category.objects.create(name="Outdoor")
product = Product.objects.create(
    seller=seller, category=category, title="Trail tent", sku="TENT-1", price=Decimal("99.00")
)
order = order_create(
    buyer=buyer, seller=seller, lines=[OrderLine(product=product)],
    ship_name="Bo Buyer", ship_address="1 Main St, Springfield",
)
order_set_status(order=order, status=OrderStatus.SHIPPED)
print(json.dumps({{"order": order.number}}))
"""


def run_check(stack: Stack, sink: SmtpSink, base: str, relay_port: int) -> None:
    password = secrets.token_urlsafe(16)
    people = {
        "seller_email": "seller@prodcheck.example.com",
        "buyer_email": "buyer@prodcheck.example.com",
        "password": password,
    }
    step("manage.py check --deploy")
    stack.manage("check", "--deploy", "--fail-level", "WARNING")
    step("migrate")
    stack.manage("migrate", "--noinput")
    step("collectstatic")
    stack.manage("collectstatic", "--noinput", "--verbosity", "0")
    step("create a seller, a buyer and a shipped order")
    created = stack.manage("shell", "-c", SETUP.format(payload=json.dumps(people)))
    order_number = json.loads(created.strip().splitlines()[-1])["order"]

    stack.start_procfile()
    web_port = int(stack.env["WEB_BIND"].rsplit(":", 1)[1])
    wait_until(lambda: port_answers(web_port) or stack.dead(), timeout=60, what="gunicorn")
    wait_until(lambda: port_answers(relay_port) or stack.dead(), timeout=60, what="the relay")
    wait_until(
        lambda: "ready" in stack.log("worker") or stack.dead(), timeout=90, what="the worker"
    )
    wait_until(
        lambda: "beat: Starting" in stack.log("beat") or stack.dead(), timeout=60, what="beat"
    )
    if stack.dead():
        raise CheckFailed(f"process(es) exited early: {', '.join(stack.dead())}")

    step("the relay answers SMTP")
    import smtplib

    with smtplib.SMTP(HOST, relay_port, timeout=10) as smtp:
        code, _ = smtp.ehlo()
        if code != 250:
            raise CheckFailed(f"the relay answered EHLO with {code}")

    step("buyer: sign in, write to the seller about the order")
    buyer = Browser(base)
    buyer.sign_in(people["buyer_email"], password)
    contact_path = f"/buyer/orders/{order_number}/contact-seller/"
    form_page = buyer.get(contact_path)
    subject = f"Where is my tent? {secrets.token_hex(3)}"
    status, location = buyer.post(
        contact_path,
        form_page,
        {"reason": "shipping_or_delivery", "subject": subject, "body": "Has it left yet?"},
    )
    if status != 302:
        raise CheckFailed(f"buyer's message: HTTP {status}\n{location[:3000]}")

    step("seller: sign in, load the inbox, open the case, reply")
    seller = Browser(base)
    seller.sign_in(people["seller_email"], password)
    inbox = seller.get("/messages/")
    if subject not in html.unescape(inbox):
        raise CheckFailed("the buyer's case is not in the seller's inbox (Response Needed)")
    case_ids = re.findall(r'href="/messages/(\d+)/"', inbox)
    if not case_ids:
        raise CheckFailed("no case link in the inbox")
    case_path = f"/messages/{case_ids[0]}/"
    case_page = seller.get(case_path)
    reply = f"It ships today, tracking follows. {secrets.token_hex(3)}"
    status, location = seller.post(f"{case_path}reply/", case_page, {"body": reply})
    if status != 302:
        raise CheckFailed(f"seller's reply: HTTP {status}\n{location[:3000]}")
    after = seller.get(case_path)
    if reply not in html.unescape(after):
        raise CheckFailed("the reply is not on the case page")

    step("worker: the reply's email is sent to the buyer through SMTP")
    wait_until(
        lambda: (
            any(reply in str(m) for m in sink.received_for(people["buyer_email"])) or stack.dead()
        ),
        timeout=60,
        what="the worker to send the reply's email",
    )
    status_row = stack.manage(
        "shell",
        "-c",
        "from messaging.models import OutboundEmail as E; "
        "print(','.join(E.objects.filter(kind='to_buyer').values_list('status', flat=True)))",
    ).splitlines()[-1]
    if status_row != "sent":
        raise CheckFailed(f"the reply's OutboundEmail row is {status_row!r}, expected 'sent'")

    step("sessions: in the Redis cache (cached_db)")
    cache = redis_client(CACHE_DB)
    try:
        session_keys = list(cache.scan_iter(match="*cached_db*", count=1000))
    finally:
        cache.close()
    if len(session_keys) < 2:
        raise CheckFailed(f"expected the two sessions in the cache, found {len(session_keys)}")

    if stack.dead():
        raise CheckFailed(f"process(es) died during the check: {', '.join(stack.dead())}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep-database", action="store_true", help="leave it for a look")
    args = parser.parse_args()
    started = time.monotonic()
    web_port, relay_port = free_port(), free_port()
    base = f"http://{HOST}:{web_port}"
    with tempfile.TemporaryDirectory(prefix="prodcheck-") as tmp, SmtpSink().running() as sink:
        logs = Path(tmp)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CACHE_", "EMAIL_", "PYTEST"))
        }
        env.update(
            {
                "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
                "PYTHONUNBUFFERED": "1",
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": f"{HOST},localhost",
                "SITE_URL": base.replace("http://", "https://", 1),
                "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
                "CELERY_BROKER_URL": f"{REDIS}/{BROKER_DB}",
                "CACHE_URL": f"{REDIS}/{CACHE_DB}",
                "EMAIL_URL": f"smtp://{HOST}:{sink.port}",
                "MEDIA_ROOT": str(logs / "media"),
                "LOG_LEVEL": "INFO",
                "WEB_BIND": f"{HOST}:{web_port}",
                "WEB_CONCURRENCY": "2",
                "WORKER_CONCURRENCY": "2",
                "RELAY_HOST": HOST,
                "RELAY_PORT": str(relay_port),
            }
        )
        stack = Stack(env, logs)
        ok = False
        try:
            step(f"fresh database {DATABASE} at {POSTGRES}; Redis {REDIS} /{BROKER_DB} /{CACHE_DB}")
            database_fresh()
            redis_fresh()
            run_check(stack, sink, base, relay_port)
            ok = True
        except (CheckFailed, WaitTimeout) as failure:
            print(f"\nprod-check FAILED: {failure}\n", file=sys.stderr)
        finally:
            stack.stop()
            if not ok:
                for name in stack.names():
                    print(f"---- {name}.log (last 60 lines)", file=sys.stderr)
                    print("\n".join(stack.log(name).splitlines()[-60:]), file=sys.stderr)
            if not args.keep_database:
                with contextlib.suppress(Exception):
                    database_drop(f"{POSTGRES}/{DATABASE}")
            with contextlib.suppress(Exception):
                redis_fresh()
    if ok:
        step(f"OK in {time.monotonic() - started:.0f} s: web, worker, beat and relay worked")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
