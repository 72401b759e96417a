"""The "Dispute Resolution" staff group (R25, R16): it may view every model of our apps in the
admin and work the reports queue (change MessageReport), and change nothing else
(messaging/moderation/staff_groups.py). A group of that name that already exists is left as staff set it.
Backwards, the group is removed (its permissions stay, as Django made them).

A model added later needs its own migration adding its view permission to the group (the test
tests/messaging/moderation/test_staff_oversight.py opens every changelist of our apps as a member)."""

from django.db import migrations

from messaging.moderation.staff_groups import (
    DISPUTE_RESOLUTION_GROUP,
    dispute_resolution_group_install,
)


def group_create(apps, schema_editor):
    dispute_resolution_group_install(apps, using=schema_editor.connection.alias)


def group_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(
        name=DISPUTE_RESOLUTION_GROUP
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0004_auto_review_requests"),
        ("orders", "0002_relationship_in_accounts"),
        ("cases", "0008_auto_close"),
        ("templates_app", "0003_platform_templates"),
        ("messaging", "0012_staff_oversight"),
    ]

    operations = [migrations.RunPython(group_create, group_delete)]
