"""Case.relationship points at accounts.Relationship (same table; state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_relationship_moved_from_messaging"),
        ("cases", "0005_case_search_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="relationship",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="accounts.relationship",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
