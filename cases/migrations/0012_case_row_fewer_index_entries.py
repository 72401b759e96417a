"""Issue 13: fewer index entries each time a case row is written (every write is a new version
of the row, with an entry in each index of the table). The seller and buyer lose their
single-column indexes, which the inbox indexes (seller first) and the buyer's message center
index (buyer first) already cover; the auto-close indexes keep only the cases that can still
close, and the product and owner indexes only the cases that have one. Closing 10,000 cases:
3.2 s before, 1.5 s after (bench/README.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_auto_review_requests"),
        ("cases", "0011_case_search_text"),
        ("orders", "0004_order_list_indexes_with_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_auto_close",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_resolved_close",
        ),
        migrations.AlterField(
            model_name="case",
            name="assigned_to",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="buyer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="product",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="orders.product",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="seller",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="accounts.selleraccount",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "opened")),
                fields=["last_activity_at"],
                name="case_auto_close",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "resolved")),
                fields=["status_changed_at"],
                name="case_resolved_close",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("product__isnull", False)),
                fields=["product"],
                name="case_product",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("assigned_to__isnull", False)),
                fields=["assigned_to"],
                name="case_assigned_to",
            ),
        ),
    ]
