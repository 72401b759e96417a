"""Issue 12: a GET never changes the database.

Every GET-able route of the authorization matrix
(tests.cross_cutting.test_authorization_matrix.EXPECTED, so every URL name of our apps), as
every role that sees it (200), as a normal request and as an htmx one: the content of every
table of our apps is the same after the request as before."""

import hashlib

import pytest
from django.apps import apps

from tests.cross_cutting.authz_world import (  # noqa: F401  (fixtures)
    ROLES,
    _media_in_tmp,
    media_root,
    world_fixture,
)
from tests.cross_cutting.test_authorization_matrix import EXPECTED

OUR_APPS = ("accounts", "orders", "cases", "templates_app", "messaging", "demo")


def snapshot() -> dict[str, tuple[int, str]]:
    """Per table of our apps: the row count and a digest of every row's values (the world is
    small, so the whole content is cheap and also catches updates, not only inserts)."""
    state = {}
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in model._base_manager.order_by("pk").values_list()
            ]
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            state[model._meta.db_table] = (len(rows), digest)
    return state


def crawl_cases() -> list:
    params = []
    for name in sorted(EXPECTED):
        codes = EXPECTED[name][1].split()
        for role, code in zip(ROLES, codes, strict=True):
            if code != "200":
                continue
            for htmx in (False, True):
                kind = "htmx" if htmx else "page"
                params.append(pytest.param(name, role, htmx, id=f"{name}-{role}-{kind}"))
    return params


def test_every_route_is_crawled():
    crawled = {param.values[0] for param in crawl_cases()}
    get_able = {name for name, row in EXPECTED.items() if "200" in row[1].split()}
    assert crawled == get_able
    assert len(get_able) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "htmx"), crawl_cases())
def test_get_changes_nothing(world, name, role, htmx):
    target = EXPECTED[name][0](world)
    client = world.client(role)
    headers = {"HX-Request": "true"} if htmx else {}
    before = snapshot()
    response = client.get(target, headers=headers)
    after = snapshot()
    assert response.status_code == 200, target
    changed = sorted(table for table in before if before[table] != after.get(table))
    assert changed == [], f"GET {target} as {role} changed {changed}"
    assert set(after) == set(before)
