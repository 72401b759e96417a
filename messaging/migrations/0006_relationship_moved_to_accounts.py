"""messaging forgets Relationship, now accounts.Relationship on the same table (state only)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0005_message_body_search_index"),
        ("orders", "0002_relationship_in_accounts"),
        ("cases", "0006_relationship_in_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Relationship")],
            database_operations=[],
        ),
    ]
