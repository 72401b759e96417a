"""R22: "Buyer Messages" copies are on by default, to the account's email, for new sellers.

Existing settings are kept: a seller who saved its preferences chose copies on or off, and one
who never saved them has had no copies so far; turning copies on for either would start emails
to an address nobody confirmed wanting them. So every existing seller without a preferences row
gets one with copies off (what it had), and only sellers created from now on start with copies
on (their row is made on first use, with the account's email)."""

from django.db import migrations, models


def keep_existing_sellers_off(apps, schema_editor):
    seller_model = apps.get_model("accounts", "SellerAccount")
    preferences_model = apps.get_model("accounts", "NotificationPreferences")
    without = seller_model.objects.filter(notification_preferences__isnull=True)
    preferences_model.objects.bulk_create(
        [preferences_model(seller=seller, buyer_message_copies=False) for seller in without],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_one_line_names"),
    ]

    operations = [
        migrations.RunPython(keep_existing_sellers_off, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notificationpreferences",
            name="buyer_message_copies",
            field=models.BooleanField(default=True),
        ),
    ]
