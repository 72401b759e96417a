"""Upgrading a database from the migration head before the layer reshaping.

The reshaping moved R1's `Relationship` from messaging to accounts without touching the
database (accounts/0003, orders/0002, cases/0006, messaging/0006 are state-only moves on the
same table, `messaging_relationship`). So a database at the previous head, filled by
`seed_demo`, migrates forward with every row kept, the relationship's content type follows the
model to accounts, and the app serves the demo seller's inbox from it.

Today's `seed_demo` writes through today's models, so it fills the database at the latest head;
the test then takes it back to the previous head (every migration is reversible; tables added
since are dropped with their rows) and counts what a database at that head holds, then migrates
forward again and counts the same tables.
"""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.html import escape

from accounts.models import Relationship, User
from cases.models import Case
from templates_app.platform_defaults import PLATFORM_TEMPLATES
from tests.clients import signed_in_client

PREVIOUS_HEAD = [
    ("accounts", "0002_notifications"),
    ("orders", "0001_initial"),
    ("cases", "0005_case_search_index"),
    ("messaging", "0005_message_body_search_index"),
]
RESHAPING = {
    ("accounts", "0003_relationship_moved_from_messaging"),
    ("orders", "0002_relationship_in_accounts"),
    ("cases", "0006_relationship_in_accounts"),
    ("messaging", "0006_relationship_moved_to_accounts"),
}
OUR_APPS = ("accounts", "orders", "cases", "templates_app", "messaging", "demo")


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    """Migrate to `targets`, or to the latest head; a fresh executor reads what is applied."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _applied() -> set[tuple[str, str]]:
    return set(MigrationRecorder(connection).applied_migrations())


def _row_counts() -> dict[str, int]:
    """Rows of every table of our apps (by table name, so it reads the same at both heads)."""
    tables = [
        table
        for table in connection.introspection.table_names()
        if table.startswith(tuple(f"{app}_" for app in OUR_APPS))
    ]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            # Table names come from the database's own catalogue, not from input.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _relationship_content_types() -> list[str]:
    return list(
        ContentType.objects.filter(model="relationship").values_list("app_label", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_a_seeded_database_at_the_previous_head_migrates_forward():
    ContentType.objects.get_for_model(Relationship)  # as post_migrate leaves it
    plan = MigrationExecutor(connection).migration_plan(PREVIOUS_HEAD)
    assert plan, "the database should start at the latest head"
    assert all(backwards for _, backwards in plan)
    assert {(m.app_label, m.name) for m, _ in plan} >= RESHAPING
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    try:
        _migrate(PREVIOUS_HEAD)
        assert set(PREVIOUS_HEAD) <= _applied()
        assert not RESHAPING & _applied()
        assert _relationship_content_types() == ["messaging"]
        before = _row_counts()
        assert before["messaging_relationship"] > 0
        assert before["cases_case"] > 0
        assert before["messaging_message"] > 0
    finally:
        _migrate()  # the latest head, whatever happened above
        ContentType.objects.clear_cache()

    assert _applied() >= RESHAPING
    after = _row_counts()
    assert {table: after[table] for table in before} == before
    assert _relationship_content_types() == ["accounts"]
    assert ContentType.objects.get_for_model(Relationship).app_label == "accounts"

    owner = User.objects.get(email="owner@acme-outfitters.example")
    client = signed_in_client(owner)
    for url in ("/messages/", "/messages/?filter=all"):
        response = client.get(url)
        assert response.status_code == 200, url
        listed = list(response.context["page"].object_list)
        assert listed, url
        # Each of the inbox's rows names a case of the demo seller.
        sellers = Case.objects.filter(pk__in=[row.pk for row in listed]).values_list(
            "seller_id", flat=True
        )
        assert set(sellers) == {owner.seller_membership.seller_id}
        assert len(sellers) == len(listed)
        assert escape(listed[0].subject) in response.content.decode()


TEMPLATES_MIGRATION = ("messaging", "0008_templates")


@pytest.mark.django_db(transaction=True)
def test_the_templates_migrations_step_back_and_forward_keeping_the_marketing_phrases():
    """R12's MarketingPhrase moved from messaging to templates_app on its own table
    (templates_app/0002, messaging/0008, state only) and templates arrived (R23): a database
    steps back to before them and forward again with every phrase kept, staff's own too, the
    content type following the model, and the platform templates installed again."""
    from templates_app.models import (
        MarketingPhrase,
        PlatformTemplate,
        PlatformTemplateTranslation,
    )

    ContentType.objects.get_for_model(MarketingPhrase)  # as post_migrate leaves it
    MarketingPhrase.objects.get_or_create(phrase="mega bonanza", defaults={"active": False})
    phrases = set(MarketingPhrase.objects.values_list("phrase", "active"))
    graph = MigrationExecutor(connection).loader.graph
    [before] = [p for p in graph.node_map[TEMPLATES_MIGRATION].parents if p.key[0] == "messaging"]
    try:
        _migrate([before.key, ("templates_app", None)])
        assert TEMPLATES_MIGRATION not in _applied()
        assert not {key for key in _applied() if key[0] == "templates_app"}
        assert list(
            ContentType.objects.filter(model="marketingphrase").values_list("app_label", flat=True)
        ) == ["messaging"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT phrase, active FROM messaging_marketingphrase")
            assert set(cursor.fetchall()) == phrases
        assert "templates_app_sellertemplate" not in connection.introspection.table_names()
    finally:
        _migrate()
        ContentType.objects.clear_cache()

    assert set(MarketingPhrase.objects.values_list("phrase", "active")) == phrases
    assert ContentType.objects.get_for_model(MarketingPhrase).app_label == "templates_app"
    assert PlatformTemplate.objects.count() == len(PLATFORM_TEMPLATES)
    assert PlatformTemplateTranslation.objects.count() == sum(
        len(texts) for _, texts in PLATFORM_TEMPLATES.values()
    )
