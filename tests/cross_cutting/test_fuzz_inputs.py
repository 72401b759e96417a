"""Issue 22: every form field and query parameter fuzzed, generated from the URL configuration.

Every named URL of our apps (the authorization matrix's EXPECTED, built from get_resolver())
is requested as the role that may use it; every form the page renders and every query parameter
its links, htmx requests and view module read (tests.cross_cutting.fuzz_inputs) is sent its
boundary lengths (maxlength −1, =, +1, 10×), empty, NUL and other control characters, CR/LF,
invalid UTF-8 (raw bytes in the body, percent-encoded in the query), huge, negative and
non-numeric numbers and long multi-byte strings, then a few values Hypothesis draws
(derandomized, no example database); every page also gets HEAD and OPTIONS.

What must hold (tests.cross_cutting.fuzz_requests): never a 5xx; a GET, HEAD or OPTIONS writes
no row of our apps' tables, and neither does a refused POST. The staff admin is fuzzed the same
way in test_fuzz_admin.py. The counts are printed by the last test (visible with -rA) and
written to var/fuzz_inputs.json."""

import re
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, URLResolver, get_resolver, resolve

from tests.cross_cutting.authz_world import (  # noqa: F401  (fixtures)
    _media_in_tmp,
    media_root,
    world_fixture,
)
from tests.cross_cutting.fuzz_inputs import page_parse, role_for, view_query_params
from tests.cross_cutting.fuzz_requests import (
    DONE,
    Fuzzer,
    app_tables,
    body_of,
    rows_written,
    summary_write,
    urlencoded,
)
from tests.cross_cutting.test_authorization_matrix import EXPECTED
from tests.factories import SellerTemplateFactory

GENERATED_PER_FIELD = 8
PAGES_RUN: set[str] = set()


def fuzzer_for(world, role: str) -> Fuzzer:
    return Fuzzer(world.client(role), role, generated=GENERATED_PER_FIELD, ours=ours)


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
    fuzzer = fuzzer_for(world, role)
    parts = urlsplit(EXPECTED[name][0](world))
    path, base = parts.path, parse_qsl(parts.query, keep_blank_values=True)
    page = fuzzer.send("GET", path, query=urlencoded(base))
    assert page is not None, fuzzer.failures
    assert page.status_code == 200, path
    fuzzer.send("HEAD", path, query=urlencoded(base))
    fuzzer.send("OPTIONS", path, query=urlencoded(base))
    # A file (a return's photo) has no links or forms to follow.
    found = page_parse(path, page.body.decode() if "html" in page["Content-Type"] else "")
    fuzzer.query(path, base, view_query_params(path) | found.params.get(path, set()))
    first_link = {}
    for link in reversed(found.links):
        first_link[urlsplit(link).path] = parse_qsl(urlsplit(link).query, keep_blank_values=True)
    for other, names in sorted(found.params.items()):
        if other != path and ours(other):
            fuzzer.query(other, first_link[other], names)
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
        fuzzer.form(form)
    assert fuzzer.failures == [], "\n".join(fuzzer.failures)
    PAGES_RUN.add(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", post_only())
def test_fuzz_post_only_url(world, name):
    """URLs that only take a POST (their forms are on other pages, fuzzed there): HEAD and
    OPTIONS, an empty POST, junk fields, a body that is not UTF-8. The inbound webhook refuses
    everyone without its secret, so it gets these as anonymous."""
    role = role_for(name, "post") or "anonymous"
    fuzzer = fuzzer_for(world, role)
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
        fuzzer = fuzzer_for(world, role)
        for odd in path_values(route):
            path = "/" + odd.lstrip("^").rstrip("$")
            try:
                resolve(unquote(path))
            except Resolver404:
                continue
            fuzzer.send(method.upper(), path, what="(path)")
        assert fuzzer.failures == [], "\n".join(fuzzer.failures)


def test_fuzz_summary():
    """Last in the module: what the run sent (pytest -rA shows it; docs cite the JSON). The
    admin's part is there when test_fuzz_admin.py ran before, as it does in a full run."""
    if {param.values[0] for param in get_pages()} != PAGES_RUN:
        pytest.skip("not every page was fuzzed in this session (-k, or a failure): no summary")
    summary = summary_write(("apps", "admin"))
    for section in ("apps", "admin"):
        counts = summary[section]
        print(
            section,
            {k: v for k, v in counts.items() if k not in ("fields", "query_parameter_names")},
        )
    assert summary["apps"]["urls"] >= 50
    assert summary["apps"]["form_fields"] >= 80
