"""Inbox text search (`icontains` on message bodies) on PostgreSQL: a trigram index.

Django runs `UPPER("body_text"::text) LIKE UPPER('%…%')` for icontains; a GIN index on
`UPPER(body_text) gin_trgm_ops` serves it, so searching a million messages is an index lookup
instead of a sequential scan. SQLite has no such index; the migration does nothing there. Where
the database role may not create the pg_trgm extension, the index is skipped with a warning and
search still works, only slower.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "message_body_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001  (permission: keep migrating without the index)
        logger.warning("pg_trgm not available (%s): inbox text search runs without an index", exc)
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON messaging_message "
        "USING gin (UPPER(body_text) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("messaging", "0004_marketing_phrases_defaults")]

    operations = [migrations.RunPython(create_index, drop_index)]
