"""Inbox text search (`icontains` on message bodies) on PostgreSQL: a trigram index on
`UPPER(body_text)`, so searching a million messages is an index lookup instead of a sequential
scan (config/trigram.py)."""

from django.db import migrations

from core.trigram import trigram_index_create, trigram_index_drop

INDEX = "message_body_trgm"


def create_index(apps, schema_editor):
    trigram_index_create(
        schema_editor, name=INDEX, table="messaging_message", columns=["body_text"]
    )


def drop_index(apps, schema_editor):
    trigram_index_drop(schema_editor, name=INDEX)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0004_marketing_phrases_defaults")]

    operations = [migrations.RunPython(create_index, drop_index)]
