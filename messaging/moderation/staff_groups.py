"""Staff groups the product defines (R25, R16).

"Dispute Resolution" may view every model of our apps in the admin (and so read every dispute
file) and work the reports queue: change MessageReport, which is its Dismiss / warn actions and
staff notes. It changes nothing else. Its members also need `is_staff` to sign in to the admin.

`dispute_resolution_group_install` is what the data migration (messaging/0013) runs, with the
migration's historical app registry; tests run it again with the live one after a flush.
"""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

DISPUTE_RESOLUTION_GROUP = "Dispute Resolution"
OUR_APPS = ("accounts", "orders", "cases", "templates_app", "messaging")
DISPUTE_RESOLUTION_ALSO_CHANGES = (("messaging", "change_messagereport"),)


def dispute_resolution_group_install(apps: Any = global_apps, using: str = "default") -> bool:
    """Create the group with its permissions when it is missing; a group of that name that
    exists is left as staff set it. Returns whether it was created.

    Django makes permissions only after every migration has run (post_migrate), so they are made
    here first for a fresh database."""
    for label in OUR_APPS:
        create_permissions(global_apps.get_app_config(label), apps=apps, verbosity=0, using=using)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, created = group_model.objects.using(using).get_or_create(name=DISPUTE_RESOLUTION_GROUP)
    if not created:
        return False
    wanted = [
        (label, f"view_{model._meta.model_name}")
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
    ]
    wanted += DISPUTE_RESOLUTION_ALSO_CHANGES
    group.permissions.set(
        [
            permission_model.objects.using(using).get(
                content_type__app_label=app_label, codename=codename
            )
            for app_label, codename in wanted
        ]
    )
    return True
