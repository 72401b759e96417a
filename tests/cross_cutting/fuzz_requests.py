"""Issue 22: how the fuzz tests send what tests.cross_cutting.fuzz_inputs finds, and what they
check on every answer (test_fuzz_inputs.py for our apps, test_fuzz_admin.py for the staff
admin).

Each request runs in a savepoint that is rolled back, so one field's POST leaves the world as
it was for the next. Never a 5xx (nor an exception out of the view); a GET, HEAD or OPTIONS
writes no row of our apps' tables, and neither does a refused POST: PostgreSQL's
per-transaction counters (pg_stat_xact_user_tables) count every insert, update and delete,
rolled back or not. What was sent is counted per section for the summary."""

import copy
import json
import time
import traceback
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote_from_bytes, unquote

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import resolve
from hypothesis import HealthCheck, Phase, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.cross_cutting.fuzz_inputs import Field, Form, explicit_values

OUR_APPS = ("accounts", "orders", "cases", "templates_app", "messaging", "demo")
SUMMARY_FILE = Path(settings.BASE_DIR) / "var" / "fuzz_inputs.json"


class Tally:
    """What one section (our apps, the admin) sent."""

    def __init__(self) -> None:
        self.urls: set[str] = set()
        self.forms: set[str] = set()
        self.fields: set[str] = set()
        self.query_parameters: set[str] = set()
        self.requests: Counter[str] = Counter()
        self.answers: Counter[str] = Counter()
        self.generated = 0
        self.seconds = 0.0  # spent in the requests (and their checks)

    def summary(self) -> dict:
        return {
            "urls": len(self.urls),
            "forms": len(self.forms),
            "form_fields": len(self.fields),
            "query_parameters": len(self.query_parameters),
            "requests": dict(sorted(self.requests.items()), total=self.requests.total()),
            "answers": dict(sorted(self.answers.items())),
            "generated_values_per_field": self.generated,
            "seconds_in_requests": round(self.seconds),
            "fields": sorted(self.fields),
            "query_parameter_names": sorted(self.query_parameters),
        }


TALLY: defaultdict[str, Tally] = defaultdict(Tally)
# (method, path, field) fuzzed once only, although the same form (the navigation's sign-out)
# is on many pages.
DONE: set[tuple] = set()


def summary_write(sections: tuple[str, ...]) -> dict:
    """The JSON docs cite: per section, the counts (and the field and parameter names)."""
    summary: dict = {name: TALLY[name].summary() for name in sections}
    SUMMARY_FILE.parent.mkdir(exist_ok=True)
    SUMMARY_FILE.write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def app_tables() -> list[str]:
    return [
        model._meta.db_table
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def rows_written(tables: list[str]) -> int:
    """Rows of `tables` inserted, updated or deleted so far in this transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
            [tables],
        )
        return int(cursor.fetchone()[0])


def encoded(value: str | bytes, *, raw: bool) -> bytes:
    """A value as it goes on the wire: percent-encoded, or (raw=True, a form body) bytes that
    are not UTF-8 left as they are."""
    if isinstance(value, bytes):
        return value if raw else quote_from_bytes(value, safe="").encode()
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="").encode()


def urlencoded(pairs: list[tuple[str, str | bytes]], *, raw: bool = False) -> bytes:
    return b"&".join(encoded(k, raw=False) + b"=" + encoded(v, raw=raw) for k, v in pairs)


def multipart(pairs: list[tuple[str, str | bytes]], files: list[Field]) -> tuple[bytes, str]:
    """A multipart/form-data body by hand, so a value (or a file name) may be any bytes."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in pairs:
        data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + data + b"\r\n")
    for f in files:
        filename = f.default or "note.txt"
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{f.name}"; filename="'
        parts.append(
            head.encode()
            + (filename if isinstance(filename, bytes) else filename.encode("utf-8", "replace"))
            + b'"\r\nContent-Type: text/plain\r\n\r\nhello\r\n'
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def shown(value: str | bytes) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}…({len(value)} long)"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def refused(response) -> bool:
    """The POST was turned down: a 4xx, or the form again with a field marked invalid (our
    pages: is-invalid / invalid-feedback; the admin: errornote / errorlist)."""
    if response.status_code >= 400:
        return True
    return any(
        mark in response.body
        for mark in (b"is-invalid", b"invalid-feedback", b'class="errornote', b'class="errorlist')
    )


class Fuzzer:
    """Sends as one signed-in client; records every failure instead of stopping at the first,
    so one run lists them all."""

    def __init__(
        self,
        client,
        role: str,
        *,
        section: str = "apps",
        generated: int = 8,
        short: bool = False,
        ours: Callable[[str], bool] = lambda path: True,
        fuzzed: Callable[[Form, Field], bool] = lambda form, f: True,
        left_out: Callable[[str, str, str | bytes], bool] = lambda path, name, value: False,
    ) -> None:
        self.client = client
        self.role = role
        self.tally = TALLY[section]
        self.tally.generated = self.generated = generated
        self.short = short  # the shorter list of explicit values (the admin's many fields)
        self.ours = ours
        self.fuzzed = fuzzed  # which fields of a form get every value (the others: defaults)
        self.left_out = left_out  # (path, field, value) known to fail elsewhere: not sent
        self.tables = app_tables()
        self.failures: list[str] = []

    def send(
        self,
        method: str,
        path: str,
        *,
        query: bytes = b"",
        body: bytes = b"",
        content_type: str = "application/x-www-form-urlencoded",
        what: str = "",
    ):
        """One request in a rolled-back savepoint. Returns the response (`.body` read, also
        when streamed), or None when the view raised."""
        started = time.monotonic()
        try:
            return self._send(method, path, query, body, content_type, what)
        finally:
            self.tally.seconds += time.monotonic() - started

    def _send(self, method, path, query, body, content_type, what):
        self.tally.requests[method] += 1
        self.tally.urls.add(resolve(unquote(path)).view_name)
        cookies = copy.deepcopy(self.client.cookies)
        shown_query = f"?{query.decode()[:80]}" if query else ""
        label = f"{method} {path}{shown_query} {what} as {self.role}"
        try:
            with transaction.atomic():
                before = rows_written(self.tables)
                response = self.client.generic(
                    method,
                    path,
                    data=body,
                    content_type=content_type,
                    QUERY_STRING=query.decode("ascii"),
                )
                # a streamed answer (a CSV report, a download) runs its queries as it is read
                response.body = body_of(response)
                written = rows_written(self.tables) - before
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001  (every exception is a finding to report)
            last = traceback.extract_tb(exc.__traceback__)[-1]
            self.failures.append(
                f"{label}: {type(exc).__name__}: {str(exc)[:120]} "
                f"({Path(last.filename).name}:{last.lineno})"
            )
            return None
        finally:
            # a POST that signed out (or in) must not change who the next request is
            self.client.cookies = cookies
        self.tally.answers[f"{method} {response.status_code}"] += 1
        if response.status_code >= 500:
            self.failures.append(f"{label}: answered {response.status_code}")
        elif written and (method != "POST" or refused(response)):
            self.failures.append(f"{label}: answered {response.status_code}, wrote {written} rows")
        return response

    def values(self, f: Field, send_one: Callable[[str | bytes], None]) -> None:
        """Every explicit value for the field, then `generated` that Hypothesis draws."""

        @hypothesis_settings(
            max_examples=self.generated,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(drawn_values(f))
        def run(value):
            send_one(value)

        for value in reversed(explicit_values(f, short=self.short)):
            run = example(value)(run)
        run()

    def query(self, path: str, base: list[tuple[str, str]], names: set[str]) -> None:
        """Each query parameter in `names` given every value, the others as in `base`."""
        for name in sorted(names):
            if ("GET", path, name) in DONE:
                continue
            DONE.add(("GET", path, name))
            self.tally.query_parameters.add(f"{resolve(path).view_name}?{name}")
            kept = [(k, v) for k, v in base if k != name]

            def send_one(value, kept=kept, name=name):
                if self.left_out(path, name, value):
                    return
                query = urlencoded([*kept, (name, value)])
                self.send("GET", path, query=query, what=f"{name}={shown(value)}")

            self.values(Field(name, "text", dict(base).get(name, "")), send_one)
            self.send("GET", path, query=urlencoded([*kept, (name, "1"), (name, "2")]))

    def form(self, form: Form) -> None:
        """Each field of a form given every value, the others as the page filled them."""
        if not self.ours(form.action):
            return
        if form.method == "get":
            names = {f.name for f in form.fields if f.kind != "file"}
            self.query(form.action, form.defaults(), names)
            return
        if form.key() in DONE:
            return
        DONE.add(form.key())
        view_name = resolve(form.action).view_name
        self.tally.forms.add(f"{view_name} {' '.join(sorted(f.name for f in form.fields))}")
        for f in form.fields:
            if not self.fuzzed(form, f):
                continue
            self.tally.fields.add(f"{view_name}.{f.name}")
            self.values(f, lambda value, f=f: self._post_field(form, f, value))
        # the form without any field, and with one it does not have
        self.send("POST", form.action, what="(empty)")
        self.send("POST", form.action, body=urlencoded([("zz\x00", "\x00")]), what="(unknown)")

    def _post_field(self, form: Form, f: Field, value: str | bytes) -> None:
        if self.left_out(form.action, f.name, value):
            return
        if f.kind == "file":
            files = [
                Field(x.name, "file", value if x is f else "")
                for x in form.fields
                if x.kind == "file"
            ]
            body, content_type = multipart(form.defaults(), files)
        else:
            pairs = [(k, value if k == f.name else v) for k, v in form.defaults()]
            if form.multipart:
                body, content_type = multipart(pairs, [])
            else:
                body = urlencoded(pairs, raw=True)
                content_type = "application/x-www-form-urlencoded"
        what = f"{f.name}={shown(value)}"
        self.send("POST", form.action, body=body, content_type=content_type, what=what)


def drawn_values(f: Field):
    longest = min(2 * f.maxlength, 4000) if f.maxlength else 300
    strategy = st.one_of(
        st.text(max_size=longest),
        st.binary(max_size=24),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )
    if f.options:
        strategy = st.one_of(st.sampled_from(f.options), strategy)
    return strategy
