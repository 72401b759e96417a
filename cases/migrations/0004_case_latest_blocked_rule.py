from django.db import migrations, models


def backfill(apps, schema_editor):
    """Cases whose latest message was not delivered show it in the inbox from now on."""
    Case = apps.get_model("cases", "Case")
    Message = apps.get_model("messaging", "Message")
    case_ids = (
        Message.objects.exclude(outcome="delivered").values_list("case_id", flat=True).distinct()
    )
    for case in Case.objects.filter(pk__in=case_ids).only("pk"):
        latest = (
            Message.objects.filter(case_id=case.pk)
            .order_by("-created_at", "-id")
            .values("outcome", "outcome_rule")
            .first()
        )
        if latest["outcome"] != "delivered":
            case.latest_blocked_rule = latest["outcome_rule"] or latest["outcome"]
            case.save(update_fields=["latest_blocked_rule"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_product"),
        ("messaging", "0005_message_body_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="latest_blocked_rule",
            field=models.CharField(blank=True, max_length=8),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
