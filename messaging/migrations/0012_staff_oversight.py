"""Staff oversight (R16): the reports queue's statuses become open / dismissed / action taken,
and warnings staff issue to a party of a reported message (StaffWarning).

A report "reviewed" before this migration was looked at and left alone: it becomes "dismissed".
Backwards, both decided statuses become "reviewed" again (the warnings' table is dropped)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def reviewed_to_dismissed(apps, schema_editor):
    MessageReport = apps.get_model("messaging", "MessageReport")
    MessageReport.objects.filter(status="reviewed").update(status="dismissed")


def decided_to_reviewed(apps, schema_editor):
    MessageReport = apps.get_model("messaging", "MessageReport")
    MessageReport.objects.filter(status__in=["dismissed", "action_taken"]).update(status="reviewed")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_auto_review_requests"),
        ("messaging", "0011_periodic_tasks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="messagereport",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("dismissed", "Dismissed"),
                    ("action_taken", "Action taken"),
                ],
                default="open",
                max_length=12,
            ),
        ),
        migrations.RunPython(reviewed_to_dismissed, decided_to_reviewed),
        migrations.CreateModel(
            name="StaffWarning",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "party",
                    models.CharField(
                        choices=[("seller", "Seller"), ("buyer", "Buyer")], max_length=6
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("dismissed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "buyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="staff_warnings",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "dismissed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="warnings",
                        to="messaging.messagereport",
                    ),
                ),
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="staff_warnings",
                        to="accounts.selleraccount",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["seller", "party", "dismissed_at"], name="warning_seller_open"
                    ),
                    models.Index(
                        fields=["buyer", "party", "dismissed_at"], name="warning_buyer_open"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("report", "party"), name="warning_once_per_party"
                    )
                ],
            },
        ),
    ]
