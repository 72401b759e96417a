"""`needs_response` becomes a column PostgreSQL computes (`GENERATED ALWAYS AS ... STORED`):
a buyer message waits (`waiting_since` is set) and the case is not closed. The rule was written
in four places (the summary's ORM and SQL forms, and auto-close's two forms); now it is written
once, and a state change or auto-close leaves it to the database.

Django cannot turn a column into a generated one in place, so the column is dropped and added
again (PostgreSQL rewrites the table once, filling it from the other columns), with the
inbox's partial index on it around that. The tables' names are now spelled in the models (the
same names as before: nothing is renamed), so the plain SQL of cases.services names them
without reading Django's model metadata."""

from django.db import migrations, models

RESPONSE_NEEDED_INDEX = models.Index(
    condition=models.Q(("needs_response", True)),
    fields=["seller", "waiting_since", "id"],
    name="case_inbox_response_needed",
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_case_row_fewer_index_entries"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_inbox_response_needed"),
        migrations.RemoveField(model_name="case", name="needs_response"),
        migrations.AddField(
            model_name="case",
            name="needs_response",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Q(
                    ("waiting_since__isnull", False),
                    models.Q(("status", "closed"), _negated=True),
                ),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddIndex(model_name="case", index=RESPONSE_NEEDED_INDEX),
        migrations.AlterModelTable(name="case", table="cases_case"),
        migrations.AlterModelTable(name="casesearchtext", table="cases_casesearchtext"),
        migrations.AlterModelTable(name="casetransition", table="cases_casetransition"),
    ]
