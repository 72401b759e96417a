"""Manage Orders (issue 13): the seller's order indexes end with `-id`, as the list is ordered
(`-placed_at`, `-id`), so a page or the capped count of a large seller reads the index in order
and stops, the count without touching the table. They replace the indexes without `id`; the new
ones are built first, so no query is left without one meanwhile."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0003_order_number_digits_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["seller", "-placed_at", "-id"], name="order_seller_placed_id"
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["seller", "status", "-placed_at", "-id"],
                name="order_seller_status_placed_id",
            ),
        ),
        migrations.RemoveIndex(model_name="order", name="order_seller_placed"),
        migrations.RemoveIndex(model_name="order", name="order_seller_status_placed"),
    ]
