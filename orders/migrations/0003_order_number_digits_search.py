"""Manage Orders search (issue 13): the order ID's 17 digits as a stored generated column, and
trigram GIN indexes on it and on the buyer alias, so a search by order ID (with or without
dashes, or a part of it) or by buyer alias is index lookups instead of comparing every order of
the seller (core/trigram.py)."""

import django.db.models.functions.text
from django.db import migrations, models

from core.trigram import trigram_index_create, trigram_index_drop

DIGITS_INDEX = "order_number_digits_trgm"
ALIAS_INDEX = "relationship_buyer_alias_trgm"


def create_indexes(apps, schema_editor):
    trigram_index_create(
        schema_editor, name=DIGITS_INDEX, table="orders_order", columns=["number_digits"]
    )
    # The relationship table (accounts.Relationship, still named messaging_relationship).
    trigram_index_create(
        schema_editor, name=ALIAS_INDEX, table="messaging_relationship", columns=["buyer_alias"]
    )


def drop_indexes(apps, schema_editor):
    trigram_index_drop(schema_editor, name=DIGITS_INDEX)
    trigram_index_drop(schema_editor, name=ALIAS_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_relationship_in_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="number_digits",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Replace(
                    "number", models.Value("-"), models.Value("")
                ),
                output_field=models.CharField(max_length=17),
                verbose_name="order ID digits",
            ),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
