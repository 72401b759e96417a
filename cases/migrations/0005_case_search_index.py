"""Inbox search on the case row (buyer alias, order ID, subject) on PostgreSQL: one trigram GIN
index over the three columns as `icontains` reads them (`UPPER(col) LIKE UPPER('%…%')`). With
messaging/0005 on the message text, a search is index lookups instead of a scan of the seller's
cases (bench/README.md). SQLite has no such index; where the role may not create pg_trgm, the
index is skipped with a warning and search still works, only slower."""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "case_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001  (permission: keep migrating without the index)
        logger.warning("pg_trgm not available (%s): inbox search runs without an index", exc)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case USING gin ("
        "UPPER(buyer_alias) gin_trgm_ops, UPPER(order_number) gin_trgm_ops, "
        "UPPER(subject) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_latest_blocked_rule"),
        ("messaging", "0005_message_body_search_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
