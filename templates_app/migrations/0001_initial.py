"""Seller templates and tags, platform templates and their translations (R23)."""

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0003_relationship_moved_from_messaging"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlatformTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=100)),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["position", "key"],
            },
        ),
        migrations.CreateModel(
            name="TemplateTag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="template_tags",
                        to="accounts.selleraccount",
                    ),
                ),
            ],
            options={
                "ordering": [django.db.models.functions.text.Lower("name"), "id"],
            },
        ),
        migrations.CreateModel(
            name="SellerTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="template name")),
                ("text", models.TextField(max_length=8000, verbose_name="template text")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                ("use_count", models.PositiveIntegerField(default=0)),
                (
                    "seller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="templates",
                        to="accounts.selleraccount",
                    ),
                ),
                (
                    "tags",
                    models.ManyToManyField(
                        blank=True, related_name="templates", to="templates_app.templatetag"
                    ),
                ),
            ],
            options={
                "ordering": [django.db.models.functions.text.Lower("name"), "id"],
            },
        ),
        migrations.CreateModel(
            name="PlatformTemplateTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("de", "Deutsch"),
                            ("fr", "Français"),
                            ("es", "Español"),
                            ("ja", "日本語"),
                        ],
                        max_length=2,
                    ),
                ),
                ("subject", models.CharField(max_length=200)),
                ("body", models.TextField(max_length=8000)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "template",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="templates_app.platformtemplate",
                    ),
                ),
            ],
            options={
                "ordering": ["template", "language"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("template", "language"),
                        name="platform_translation_once_per_language",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="templatetag",
            constraint=models.UniqueConstraint(
                models.F("seller"),
                django.db.models.functions.text.Lower("name"),
                name="template_tag_unique_name_per_seller",
            ),
        ),
        migrations.AddConstraint(
            model_name="sellertemplate",
            constraint=models.UniqueConstraint(
                models.F("seller"),
                django.db.models.functions.text.Lower("name"),
                name="seller_template_unique_name_per_seller",
            ),
        ),
    ]
