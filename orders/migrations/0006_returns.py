import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import orders.returns.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_one_line_names"),
        ("orders", "0005_status_change_by"),
        # Not needed by this model: depending on the other parts' 0006 migrations (committed
        # first) leaves the app one leaf node, so `migrate` runs without a merge migration.
        ("orders", "0006_adjustments"),
        ("orders", "0006_shipping"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReturnRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("damaged", "The item arrived damaged"),
                            ("defective", "The item is defective or does not work"),
                            ("not_as_described", "The item is not as described"),
                            ("wrong_item", "I received the wrong item"),
                            ("no_longer_needed", "I no longer need it"),
                            ("other", "Another reason"),
                        ],
                        max_length=20,
                    ),
                ),
                ("comment", models.TextField(blank=True, max_length=2000)),
                (
                    "photo",
                    models.ImageField(
                        blank=True,
                        max_length=200,
                        upload_to=orders.returns.models.return_photo_path,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "Requested"),
                            ("authorized", "Authorized"),
                            ("received", "Received"),
                            ("refunded", "Refunded"),
                            ("closed", "Closed"),
                        ],
                        default="requested",
                        max_length=10,
                    ),
                ),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("authorized_at", models.DateTimeField(blank=True, null=True)),
                ("received_at", models.DateTimeField(blank=True, null=True)),
                ("refunded_at", models.DateTimeField(blank=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="return_requests",
                        to="orders.order",
                    ),
                ),
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="return_requests",
                        to="accounts.selleraccount",
                    ),
                ),
                (
                    "buyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="return_requests",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "authorized_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "received_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "refunded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-requested_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["seller", "-requested_at", "-id"], name="return_seller_requested"
                    ),
                    models.Index(
                        fields=["seller", "status", "-requested_at", "-id"],
                        name="return_seller_status_requested",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["requested", "authorized", "received"])),
                        fields=("order",),
                        name="return_one_open_per_order",
                    )
                ],
            },
        ),
    ]
