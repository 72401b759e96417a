"""Issue 13: inbox search's trigram index moves off the case row into a table of its own,
`cases_casesearchtext`, a copy of each case's buyer alias, order ID and subject (they never
change). The case row is written on every message, flag and state change, and each new version
of a row adds an entry to every index of its table: on the case table the trigram index was half
of that cost (closing 20,000 cases: 4.9 s with it, 2.7 s without; bench/README.md)."""

import django.db.models.deletion
from django.db import migrations, models

from core.trigram import trigram_index_create, trigram_index_drop

OLD_INDEX = "case_search_trgm"
INDEX = "case_search_text_trgm"
COLUMNS = ["buyer_alias", "order_number", "subject"]


def copy_and_move_index(apps, schema_editor):
    columns = ", ".join(COLUMNS)
    schema_editor.execute(
        f"INSERT INTO cases_casesearchtext (case_id, seller_id, {columns}) "  # noqa: S608
        f"SELECT id, seller_id, {columns} FROM cases_case"
    )
    trigram_index_drop(schema_editor, name=OLD_INDEX)
    trigram_index_create(schema_editor, name=INDEX, table="cases_casesearchtext", columns=COLUMNS)


def move_index_back(apps, schema_editor):
    trigram_index_drop(schema_editor, name=INDEX)
    trigram_index_create(schema_editor, name=OLD_INDEX, table="cases_case", columns=COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_auto_review_requests"),
        ("cases", "0010_inbox_reported_no_response_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseSearchText",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("buyer_alias", models.CharField(max_length=64)),
                ("order_number", models.CharField(blank=True, max_length=19)),
                ("subject", models.CharField(max_length=200)),
                (
                    "seller",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.selleraccount",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_and_move_index, move_index_back),
    ]
