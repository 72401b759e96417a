"""Templates (R23): a message links the seller template it was started from (kept as NULL when
the template is deleted), and MarketingPhrase now lives in templates_app on the same table
(templates_app/0002; state only here)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0007_email_channel"),
        ("templates_app", "0002_marketingphrase_moved_from_messaging"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="MarketingPhrase")],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="message",
            name="template",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="templates_app.sellertemplate",
            ),
        ),
    ]
