"""R8: the seller's messages delivered today are counted on every case page and every send; a
partial index on (seller, created_at) of delivered seller messages makes that count index-only.
Built concurrently: a million-row message table keeps taking writes meanwhile
(core/indexes.py)."""

from django.db import migrations, models

from core.indexes import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0015_attachment_original"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="message",
            index=models.Index(
                condition=models.Q(("direction", "s2b"), ("outcome", "delivered")),
                fields=["seller", "created_at"],
                name="message_sent_delivered",
            ),
        ),
    ]
