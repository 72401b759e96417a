"""R1's Relationship moves from messaging to accounts (the layer that owns the parties).

State only: the table keeps its name (`messaging_relationship`) and every row; orders/0002,
cases/0006 point their foreign keys at the new model and messaging/0006 forgets the old one.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_type_to_accounts(apps, schema_editor):
    """Admin permissions and log entries follow the model to its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="messaging", model="relationship").update(
        app_label="accounts"
    )


def content_type_to_messaging(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="accounts", model="relationship").update(
        app_label="messaging"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_notifications"),
        ("messaging", "0005_message_body_search_index"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Relationship",
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
                        ("buyer_alias", models.EmailField(max_length=64, unique=True)),
                        ("seller_alias", models.EmailField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("first_order_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "buyer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="seller_relationships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "seller",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="buyer_relationships",
                                to="accounts.selleraccount",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "messaging_relationship",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("buyer", "seller"), name="relationship_unique_pair"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_accounts, content_type_to_messaging),
    ]
