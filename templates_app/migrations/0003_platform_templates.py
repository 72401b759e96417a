"""The platform templates (R23): one per Contact Buyer reason (R5) and the review request (R17),
in English, German, French, Spanish and Japanese. Staff edit them in the admin from here on."""

from django.db import migrations

from templates_app.platform_defaults import platform_templates_install


def install(apps, schema_editor):
    platform_templates_install(
        apps.get_model("templates_app", "PlatformTemplate"),
        apps.get_model("templates_app", "PlatformTemplateTranslation"),
    )


def uninstall(apps, schema_editor):
    apps.get_model("templates_app", "PlatformTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("templates_app", "0002_marketingphrase_moved_from_messaging")]

    operations = [migrations.RunPython(install, uninstall)]
