"""The platform template of the contact reason "Problem with Order" (R28, R31), in English,
German, French, Spanish and Japanese: it confirms the cancellation and refund and names the
reason ({adjustment_reason}). Only what is missing is added; staff edits stay."""

from django.db import migrations

from templates_app.platform_defaults import platform_templates_install

KEY = "problem_with_order"


def install(apps, schema_editor):
    platform_templates_install(
        apps.get_model("templates_app", "PlatformTemplate"),
        apps.get_model("templates_app", "PlatformTemplateTranslation"),
    )


def uninstall(apps, schema_editor):
    apps.get_model("templates_app", "PlatformTemplate").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("templates_app", "0004_platform_subject_one_line")]

    operations = [migrations.RunPython(install, uninstall)]
