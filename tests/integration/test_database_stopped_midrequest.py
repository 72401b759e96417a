"""PostgreSQL stopped in the middle of a request (issue 12): the app answers our own 503 with
Retry-After, never a 500, and nothing is half-written; once the database is back the app serves
again and the same reply goes through exactly once.

Gunicorn serves the app (DEBUG off, persistent database connections as in production) on a
private PostgreSQL cluster that the test starts. A seller signs in and sends a reply with an
image attachment. A trigger makes the database sleep inside that request's transaction, and the
test stops PostgreSQL with `pg_ctl -m immediate stop` (a crash, not a polite shutdown) while it
sleeps, at two points:

1. during the INSERT of the attachment row, after the attachment file was written: the send
   funnel must remove the file it wrote, and no message row may exist afterwards;
2. at COMMIT (a deferred constraint trigger), after the view has finished: no row may exist;
   the file written for the lost transaction is left for the sweep, since a failed COMMIT may
   also have gone through (removing the file then would lose an attachment of a stored
   message), and the sweep removes it once no row references it.
"""

import io
import json
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg
from PIL import Image

from config.embedded_postgres import Cluster
from scripts.commands import BIN, manage
from scripts.databases import database_ensure
from scripts.processes import free_port
from tests.factories import DEFAULT_PASSWORD
from tests.integration.conftest import (
    port_answers,
    process_output,
    start_process,
    stop_process,
    subprocess_env,
    wait_until,
)

DATABASE = "midrequest"
UNAVAILABLE_TEXT = "Seller Central is temporarily unavailable"
MAKE_CASE = """
from tests.factories import CaseFactory, MessageFactory, seller_user
case = CaseFactory()
MessageFactory(case=case)
seller = seller_user(case.seller)
print("CASE", case.pk, seller.email)
"""
# The production settings' persistent connections (test settings close them after each request),
# so a worker also has to notice that its open connection died with the server.
PERSISTENT_SETTINGS = """
from config.settings.test import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
"""
SLEEP_FUNCTION = """
CREATE FUNCTION h12_sleep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_sleep(25);
  RETURN NEW;
END $$
"""
# Where the database is made to sleep: (table, the trigger that sleeps).
SLEEP_POINTS = {
    "attachment_insert": (
        "messaging_attachment",
        "CREATE TRIGGER h12_sleep BEFORE INSERT ON messaging_attachment "
        "FOR EACH ROW EXECUTE FUNCTION h12_sleep()",
    ),
    "commit": (
        "messaging_message",
        "CREATE CONSTRAINT TRIGGER h12_sleep AFTER INSERT ON messaging_message "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION h12_sleep()",
    ),
}
SWEEP_A_DAY_LATER = """
from datetime import timedelta
from django.utils import timezone
from messaging.sending.services.files import attachment_orphans_sweep
print("SWEPT", len(attachment_orphans_sweep(now=timezone.now() + timedelta(days=2))))
"""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    url: str = ""


@dataclass
class Browser:
    """A signed-in browser for a plain HTTP server: cookies, CSRF token, multipart forms."""

    base: str
    jar: CookieJar = field(default_factory=CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, path: str, *, data: bytes | None = None, content_type: str = "", timeout: float = 60
    ) -> Answer:
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 (http only)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(
                    response.status,
                    dict(response.headers),
                    response.read().decode(),
                    response.url,
                )
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read().decode(), error.url)

    def csrf_token(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]):
        boundary = secrets.token_hex(16)
        body = io.BytesIO()
        for name, value in {**fields, "csrfmiddlewaretoken": self.csrf_token()}.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in files.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            )
            body.write(content + b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        return self.request(
            path, data=body.getvalue(), content_type=f"multipart/form-data; boundary={boundary}"
        )

    def sign_in(self, email: str, password: str) -> None:
        page = self.request("/accounts/login/")
        assert page.status == 200, page.body[:500]
        form = urllib.parse.urlencode(
            {"username": email, "password": password, "csrfmiddlewaretoken": self.csrf_token()}
        ).encode()
        answer = self.request(
            "/accounts/login/", data=form, content_type="application/x-www-form-urlencoded"
        )
        assert answer.status == 200, answer.body[:500]
        assert "/accounts/login/" not in answer.url, "the sign-in was refused"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _stop_immediately(cluster: Cluster) -> None:
    """A crash as far as the app can tell: backends are killed, nothing is shut down politely."""
    cluster.stop(mode="immediate")


def _sql(url: str, query: str, params: list | None = None) -> list[tuple]:
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as db:
        cursor = db.execute(query, params or [])
        return cursor.fetchall() if cursor.description else []


def _messages_with(url: str, token: str) -> int:
    rows = _sql(
        url, "SELECT count(*) FROM messaging_message WHERE body_text LIKE %s", [f"%{token}%"]
    )
    return int(rows[0][0])


def _case_row(url: str, case_id: int) -> dict:
    rows = _sql(url, "SELECT row_to_json(c)::text FROM cases_case c WHERE id = %s", [case_id])
    return json.loads(rows[0][0])


def _files(media: Path) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def _referenced_files(url: str) -> set[str]:
    rows = _sql(url, "SELECT file, original FROM messaging_attachment")
    return {name for row in rows for name in row if name}


def _is_sleeping(url: str) -> bool:
    rows = _sql(url, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
    return int(rows[0][0]) > 0


def _assert_unavailable_page(answer: Answer) -> None:
    assert answer.status == 503, (answer.status, answer.body[:2000])
    assert answer.headers.get("Retry-After", "").isdigit(), answer.headers
    assert UNAVAILABLE_TEXT in answer.body


def test_database_stopped_midrequest_answers_503_and_leaves_nothing_half_written(
    private_postgres: Cluster, tmp_path: Path
):
    cluster = private_postgres
    database_ensure(cluster.url(DATABASE))
    url = cluster.url(DATABASE)
    media = tmp_path / "media"
    media.mkdir()
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "h12_persistent_settings.py").write_text(PERSISTENT_SETTINGS)
    env = subprocess_env(
        DATABASE_URL=url,
        MEDIA_ROOT=str(media),
        DJANGO_SETTINGS_MODULE="h12_persistent_settings",
        PYTHONPATH=str(settings_dir),
    )
    manage("migrate", "--noinput", env=env, timeout=600)
    line = next(
        line
        for line in manage("shell", "-c", MAKE_CASE, env=env, timeout=120).splitlines()
        if line.startswith("CASE ")
    )
    _, case_id_text, seller_email = line.split()
    case_id = int(case_id_text)
    _sql(url, SLEEP_FUNCTION)

    port = free_port()
    server = start_process(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "90",
            "--graceful-timeout",
            "5",
            "--no-control-socket",
        ],
        env=env,
        log_path=tmp_path / "gunicorn.log",
    )
    try:
        wait_until(
            lambda: server.poll() is not None or port_answers("127.0.0.1", port),
            timeout=60,
            what="gunicorn to listen",
        )
        assert server.poll() is None, f"gunicorn stopped:\n{process_output(server)}"
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.sign_in(seller_email, DEFAULT_PASSWORD)
        case_page = f"/messages/{case_id}/"
        assert browser.request(case_page).status == 200
        case_before = _case_row(url, case_id)
        token = secrets.token_hex(8)
        reply = {"body": f"Your parcel left our warehouse today. ({token})"}
        photo = {"attachments": ("parcel.png", _png())}

        for point, (table, trigger) in SLEEP_POINTS.items():
            _sql(url, trigger)
            answers: list[Answer] = []
            sending = threading.Thread(
                target=lambda into=answers: into.append(
                    browser.post(f"/messages/{case_id}/reply/", reply, photo)
                ),
                daemon=True,
            )
            sending.start()
            wait_until(lambda: _is_sleeping(url), timeout=30, what=f"the reply to sleep at {point}")
            if point == "attachment_insert":
                assert _files(media), "the attachment file is written before its row"
            _stop_immediately(cluster)
            sending.join(timeout=60)
            assert answers, f"no answer to the reply stopped at {point}"
            _assert_unavailable_page(answers[0])

            # While the database is down, every page answers the same 503, never a 500.
            _assert_unavailable_page(browser.request(case_page))
            _assert_unavailable_page(browser.request("/messages/"))

            cluster.start()
            wait_until(cluster.is_ready, timeout=30, what="PostgreSQL to come back")
            _sql(url, f"DROP TRIGGER h12_sleep ON {table}")
            assert _messages_with(url, token) == 0, f"a message row survived the stop at {point}"
            assert _case_row(url, case_id) == case_before, f"the case changed at {point}"
            assert not _referenced_files(url)
            left = _files(media)
            if point == "attachment_insert":
                assert not left, f"attachment files left behind: {left}"
            else:
                # The lost COMMIT: the file waits for the sweep, which removes it a day later.
                assert left
                swept = manage("shell", "-c", SWEEP_A_DAY_LATER, env=env, timeout=120)
                assert f"SWEPT {len(left)}" in swept, swept
                assert not _files(media)

        # The database is back: pages answer normally on the same workers, and the reply the
        # seller sends again is stored exactly once, with its file.
        assert browser.request(case_page).status == 200
        assert browser.request("/messages/").status == 200
        sent = browser.post(f"/messages/{case_id}/reply/", reply, photo)
        assert sent.status == 200, sent.body[:2000]
        assert sent.url.endswith(case_page)
        assert "Your reply was sent." in sent.body
        assert _messages_with(url, token) == 1
        assert _case_row(url, case_id) != case_before
        referenced = _referenced_files(url)
        assert referenced
        assert _files(media) == referenced
    finally:
        log = stop_process(server)
    # Every failure was the database's: Django logged 503s, never a 500.
    assert "Service Unavailable: /messages/" in log, log
    assert "Internal Server Error" not in log, log
