"""Inbox search on the case row (buyer alias, order ID, subject) on PostgreSQL: one trigram GIN
index over the three columns. With messaging/0005 on the message text, a search is index
lookups instead of a scan of the seller's cases (bench/README.md, config/trigram.py)."""

from django.db import migrations

from core.trigram import trigram_index_create, trigram_index_drop

INDEX = "case_search_trgm"


def create_index(apps, schema_editor):
    trigram_index_create(
        schema_editor,
        name=INDEX,
        table="cases_case",
        columns=["buyer_alias", "order_number", "subject"],
    )


def drop_index(apps, schema_editor):
    trigram_index_drop(schema_editor, name=INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_latest_blocked_rule"),
        ("messaging", "0005_message_body_search_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
