from django.db import migrations

from templates_app.content_rules import DEFAULT_MARKETING_PHRASES


def add_default_phrases(apps, schema_editor):
    """R12: start the staff-editable list with the defaults; staff change it in the admin."""
    MarketingPhrase = apps.get_model("messaging", "MarketingPhrase")
    for phrase in DEFAULT_MARKETING_PHRASES:
        MarketingPhrase.objects.get_or_create(phrase=phrase)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_notifications")]

    operations = [migrations.RunPython(add_default_phrases, migrations.RunPython.noop)]
