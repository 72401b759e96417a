"""Issue 22: sender authentication kept on every inbound mail (whether it passed, the From
address that passed, the Authentication-Results-style summary); an outbound email can be kept
unsent when an address gets too many automatic emails (status "suppressed"), counted per address
through a partial index on bounces and confirmations, built concurrently (core/indexes.py).
The new columns have constant defaults and the status column only grows: no table rewrite."""

from django.db import migrations, models
from django.db.models.functions import Lower

from core.indexes import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0016_message_sent_delivered_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="inboundmail",
            name="authenticated",
            field=models.BooleanField(default=False, verbose_name="sender authenticated"),
        ),
        migrations.AddField(
            model_name="inboundmail",
            name="authenticated_from",
            field=models.CharField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="inboundmail",
            name="authentication",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="outboundemail",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("suppressed", "Suppressed (rate limit)"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="outboundemail",
            index=models.Index(
                Lower("recipient"),
                models.F("created_at"),
                condition=models.Q(("kind__in", ["bounce", "permission"])),
                name="outbound_automatic_recipient",
            ),
        ),
    ]
