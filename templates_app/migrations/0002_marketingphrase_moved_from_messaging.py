"""R12's MarketingPhrase moves from messaging to templates_app, which owns every text a seller
may send and the content rules it meets (messaging/0008 forgets the old model).

State only: the table keeps its name (`messaging_marketingphrase`) and every row.
"""

import django.utils.timezone
from django.db import migrations, models


def content_type_to_templates_app(apps, schema_editor):
    """Admin permissions and log entries follow the model to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="messaging", model="marketingphrase").update(
        app_label="templates_app"
    )


def content_type_to_messaging(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="templates_app", model="marketingphrase").update(
        app_label="messaging"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("templates_app", "0001_initial"),
        ("messaging", "0006_relationship_moved_to_accounts"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MarketingPhrase",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("phrase", models.CharField(max_length=100, unique=True)),
                        ("active", models.BooleanField(default=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        "db_table": "messaging_marketingphrase",
                        "ordering": ["phrase"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_templates_app, content_type_to_messaging),
    ]
