"""Issue 22: every form field and query parameter fuzzed, generated from the URL configuration.

Every named URL of our apps (the authorization matrix's EXPECTED, built from get_resolver())
is requested as the role that may use it; every form the page renders and every query parameter
its links, htmx requests and view module read (tests.cross_cutting.fuzz_inputs) is sent its
boundary lengths (maxlength −1, =, +1, 10×), empty, NUL and other control characters, CR/LF,
invalid UTF-8 (raw bytes in the body, percent-encoded in the query), huge, negative and
non-numeric numbers and long multi-byte strings, then a few values Hypothesis draws
(derandomized, no example database); every page also gets HEAD and OPTIONS.

Each request runs in a savepoint that is rolled back, so one field's POST leaves the world as it
was for the next. What must hold: never a 5xx; a GET, HEAD or OPTIONS writes no row of our apps'
tables, and neither does a refused POST (PostgreSQL's per-transaction counters,
pg_stat_xact_user_tables, count every insert, update and delete, rolled back or not). The
counts are printed by the last test (visible with -rA) and written to var/fuzz_inputs.json."""

import copy
import json
import re
import time
import traceback
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, quote_from_bytes, unquote, urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, Phase, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.cross_cutting.authz_world import (  # noqa: F401  (fixtures)
    _media_in_tmp,
    media_root,
    world_fixture,
)
from tests.cross_cutting.fuzz_inputs import (
    Field,
    Form,
    explicit_values,
    page_parse,
    role_for,
    view_query_params,
)
from tests.cross_cutting.test_authorization_matrix import EXPECTED
from tests.factories import SellerTemplateFactory

OUR_APPS = ("accounts", "orders", "cases", "templates_app", "messaging", "demo")
GENERATED_PER_FIELD = 8
SUMMARY_FILE = Path(django_settings.BASE_DIR) / "var" / "fuzz_inputs.json"

# Filled as the tests run: what was sent, and each (method, path, field) fuzzed once only
# although the same form (the navigation's sign-out) is on many pages.
COUNTS = {"urls": set(), "forms": set(), "fields": set(), "query_parameters": set()}
REQUESTS = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "POST": 0}
ANSWERS: Counter[str] = Counter()
DONE: set[tuple] = set()
PAGES_RUN: set[str] = set()
STARTED = time.monotonic()


def app_tables() -> list[str]:
    return [
        model._meta.db_table
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def rows_written(tables: list[str]) -> int:
    """Rows of our tables inserted, updated or deleted so far in this transaction."""
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
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in pairs:
        data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
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


class Fuzzer:
    def __init__(self, client, role: str) -> None:
        self.client = client
        self.role = role
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
        """One request in a rolled-back savepoint; a 5xx, an exception or a forbidden write is
        recorded as a failure. Returns the response (None when the view raised)."""
        REQUESTS[method] += 1
        COUNTS["urls"].add(resolve(unquote(path)).view_name)
        cookies = copy.deepcopy(self.client.cookies)
        label = f"{method} {path}{'?' + query.decode()[:80] if query else ''} {what} as {self.role}"
        response = None
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
            self.client.cookies = cookies
        ANSWERS[f"{method} {response.status_code}"] += 1
        if response.status_code >= 500:
            self.failures.append(f"{label}: answered {response.status_code}")
        elif written and (method != "POST" or refused(response)):
            self.failures.append(f"{label}: answered {response.status_code}, wrote {written} rows")
        return response


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def refused(response) -> bool:
    """The POST was turned down: a 4xx, or the form again with a field marked invalid."""
    if response.status_code >= 400:
        return True
    return b"is-invalid" in response.body or b"invalid-feedback" in response.body


def hypothesis_values(f: Field):
    longest = min(2 * f.maxlength, 4000) if f.maxlength else 300
    strategy = st.one_of(
        st.text(max_size=longest),
        st.binary(max_size=24),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )
    if f.options:
        strategy = st.one_of(st.sampled_from(f.options), strategy)
    return strategy


def fuzz_values(f: Field, send_one) -> None:
    """Every explicit value for the field, then GENERATED_PER_FIELD that Hypothesis draws."""

    @hypothesis_settings(
        max_examples=GENERATED_PER_FIELD,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(hypothesis_values(f))
    def run(value):
        send_one(value)

    for value in reversed(explicit_values(f)):
        run = example(value)(run)
    run()


def fuzz_query(fuzzer: Fuzzer, path: str, base: list[tuple[str, str]], names: set[str]) -> None:
    for name in sorted(names):
        if ("GET", path, name) in DONE:
            continue
        DONE.add(("GET", path, name))
        COUNTS["query_parameters"].add(f"{resolve(path).view_name}?{name}")
        kept = [(k, v) for k, v in base if k != name]
        f = Field(name, "text", dict(base).get(name, ""))

        def send_one(value, kept=kept, name=name):
            query = urlencoded([*kept, (name, value)])
            fuzzer.send("GET", path, query=query, what=f"{name}={shown(value)}")

        fuzz_values(f, send_one)
        # the same name twice
        fuzzer.send("GET", path, query=urlencoded([*kept, (name, "1"), (name, "2")]))


def fuzz_form(fuzzer: Fuzzer, form: Form) -> None:
    if form.method == "get":
        base = form.defaults()
        fuzz_query(fuzzer, form.action, base, {f.name for f in form.fields if f.kind != "file"})
        return
    if form.key() in DONE:
        return
    DONE.add(form.key())
    view_name = resolve(form.action).view_name
    COUNTS["forms"].add(f"{view_name} {' '.join(sorted(f.name for f in form.fields))}")
    files = [f for f in form.fields if f.kind == "file"]
    for f in form.fields:
        COUNTS["fields"].add(f"{view_name}.{f.name}")

        def send_one(value, f=f):
            if f.kind == "file":
                chosen = [Field(x.name, "file", value if x is f else "") for x in files]
                body, content_type = multipart(form.defaults(), chosen)
            else:
                pairs = [(k, value if k == f.name else v) for k, v in form.defaults()]
                if form.multipart:
                    body, content_type = multipart(pairs, [])
                else:
                    body = urlencoded(pairs, raw=True)
                    content_type = "application/x-www-form-urlencoded"
            fuzzer.send(
                "POST",
                form.action,
                body=body,
                content_type=content_type,
                what=f"{f.name}={shown(value)}",
            )

        fuzz_values(f, send_one)
    # the form without any field, and with one it does not have
    fuzzer.send("POST", form.action, what="(empty)")
    fuzzer.send("POST", form.action, body=urlencoded([("zz\x00", "\x00")]), what="(unknown)")


def ours(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in EXPECTED


# ---- the tests


def get_pages() -> list:
    return [pytest.param(name, id=name) for name in sorted(EXPECTED) if role_for(name, "get")]


def post_only() -> list:
    return [
        pytest.param(name, id=name)
        for name in sorted(EXPECTED)
        if not role_for(name, "get") and EXPECTED[name][2] is not None
    ]


@pytest.mark.django_db
def test_fuzz_write_counter_sees_a_write_that_was_rolled_back(world):
    """The check every request passes through is not blind: a rolled-back insert counts."""
    tables = app_tables()
    before = rows_written(tables)
    with transaction.atomic():
        SellerTemplateFactory(seller=world.seller_a)
        transaction.set_rollback(True)
    assert rows_written(tables) > before


@pytest.mark.django_db
@pytest.mark.parametrize("name", get_pages())
def test_finding8_head_answers_as_get_on_every_page(world, name):
    """HEAD is GET without the body (RFC 9110 §9.3.2): 200 wherever GET is, for the same role."""
    client = world.client(role_for(name, "get"))
    target = EXPECTED[name][0](world)
    assert client.get(target).status_code == 200
    head = client.head(target)
    assert head.status_code == 200, f"HEAD {target}"
    assert body_of(head) == b""


@pytest.mark.django_db
@pytest.mark.parametrize("name", get_pages())
def test_fuzz_page(world, name):
    role = role_for(name, "get")
    fuzzer = Fuzzer(world.client(role), role)
    parts = urlsplit(EXPECTED[name][0](world))
    path, base = parts.path, parse_qsl(parts.query, keep_blank_values=True)
    page = fuzzer.send("GET", path, query=urlencoded(base))
    assert page is not None, fuzzer.failures
    assert page.status_code == 200, path
    fuzzer.send("HEAD", path, query=urlencoded(base))
    fuzzer.send("OPTIONS", path, query=urlencoded(base))
    found = page_parse(path, page.body.decode())
    fuzz_query(fuzzer, path, base, view_query_params(path) | found.params.get(path, set()))
    first_link = {}
    for link in reversed(found.links):
        first_link[urlsplit(link).path] = parse_qsl(urlsplit(link).query, keep_blank_values=True)
    for other, names in sorted(found.params.items()):
        if other != path and ours(other):
            fuzz_query(fuzzer, other, first_link[other], names)
    forms = list(found.forms)
    # One level on: the pages and panels its links open (an edit mode, a template panel)
    # render forms of their own.
    for link in found.links:
        parts = urlsplit(link)
        seen = ("link", parts.path, tuple(sorted(dict(parse_qsl(parts.query)))))
        if seen in DONE or not ours(parts.path):
            continue
        DONE.add(seen)
        opened = fuzzer.send("GET", parts.path, query=parts.query.encode(), what="(link)")
        if opened is not None and opened.status_code == 200 and "html" in opened["Content-Type"]:
            forms += page_parse(parts.path, opened.body.decode()).forms
    for form in forms:
        if ours(form.action):
            fuzz_form(fuzzer, form)
    assert fuzzer.failures == [], "\n".join(fuzzer.failures)
    PAGES_RUN.add(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", post_only())
def test_fuzz_post_only_url(world, name):
    """URLs that only take a POST (their forms are on other pages, fuzzed there): HEAD and
    OPTIONS, an empty POST, junk fields, a body that is not UTF-8. The inbound webhook refuses
    everyone without its secret, so it gets these as anonymous."""
    role = role_for(name, "post") or "anonymous"
    fuzzer = Fuzzer(world.client(role), role)
    path = urlsplit(EXPECTED[name][0](world)).path
    for method in ("HEAD", "OPTIONS", "GET"):
        fuzzer.send(method, path)
    fuzzer.send("POST", path, what="(empty)")
    fuzzer.send("POST", path, body=b"body=\xff\xfe&subject=\x00&state=-1", what="(junk)")
    fuzzer.send("POST", path, body=b"\x00" * 64, content_type="text/plain", what="(binary)")
    assert fuzzer.failures == [], "\n".join(fuzzer.failures)


PATH_VALUES = {
    "int": ["0", "00001", "2147483648", "9223372036854775808", "9" * 30, "9" * 5000],
    "order_number": ["000-0000000-0000000", "999-9999999-9999999"],
    "other": [
        "%00",
        "a%00b",
        "%FF",
        "caf%E9",
        "%0D%0ABcc:x",
        "%E2%80%AE",
        "x" * 1000,
        "%F0%9F%98%80" * 300,
        "%2E%2E",
        "-1",
        "9" * 30,
    ],
}
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def path_values(route: str) -> list[str]:
    """The route with each of its converters given every odd value in turn (others real)."""
    return [
        route[: m.start()] + value + route[m.end() :]
        for m in _CONVERTER.finditer(route)
        for value in PATH_VALUES.get(m.group(1) or "str", PATH_VALUES["other"])
    ]


def with_args() -> list:
    return [
        pytest.param(name, id=name)
        for name in sorted(EXPECTED)
        if (role_for(name, "get") or role_for(name, "post")) and _CONVERTER.search(route_of(name))
    ]


def route_of(name: str) -> str:
    """The full route of a URL name, e.g. "messages/<int:case_id>/reply/"."""
    namespace, _, leaf = name.rpartition(":")

    def walk(patterns, prefix: str, current: str) -> str | None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found = walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or current,
                )
                if found is not None:
                    return found
            elif pattern.name == leaf and current == namespace:
                return prefix + str(pattern.pattern)
        return None

    return walk(get_resolver().url_patterns, "", "") or ""


@pytest.mark.django_db
@pytest.mark.parametrize("name", with_args())
def test_fuzz_path_segments(world, name):
    """Every path converter of the URL given huge, negative, NUL, CR/LF, not UTF-8 and very
    long values: no 5xx, and a GET writes nothing."""
    route = route_of(name)
    for method in ("get", "post"):
        role = role_for(name, method)
        if role is None:
            continue
        fuzzer = Fuzzer(world.client(role), role)
        for odd in path_values(route):
            path = "/" + odd.lstrip("^").rstrip("$")
            try:
                resolve(unquote(path))
            except Resolver404:
                continue
            fuzzer.send(method.upper(), path, what="(path)")
        assert fuzzer.failures == [], "\n".join(fuzzer.failures)


def test_fuzz_summary():
    """Last in the module: what the run sent (pytest -rA shows it; docs cite the JSON)."""
    if {param.values[0] for param in get_pages()} != PAGES_RUN:
        pytest.skip("not every page was fuzzed in this session (-k, or a failure): no summary")
    summary = {
        "urls": len(COUNTS["urls"]),
        "forms": len(COUNTS["forms"]),
        "form_fields": len(COUNTS["fields"]),
        "query_parameters": len(COUNTS["query_parameters"]),
        "requests": dict(REQUESTS, total=sum(REQUESTS.values())),
        "answers": dict(sorted(ANSWERS.items())),
        "generated_values_per_field": GENERATED_PER_FIELD,
        "seconds": round(time.monotonic() - STARTED),
        "fields": sorted(COUNTS["fields"]),
        "query_parameter_names": sorted(COUNTS["query_parameters"]),
    }
    SUMMARY_FILE.parent.mkdir(exist_ok=True)
    SUMMARY_FILE.write_text(json.dumps(summary, indent=2) + "\n")
    print({k: v for k, v in summary.items() if k not in ("fields", "query_parameter_names")})
    assert summary["urls"] >= 40
    assert summary["form_fields"] >= 20
