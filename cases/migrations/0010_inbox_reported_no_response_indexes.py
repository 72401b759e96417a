"""Issue 13: the inbox filters "Reported" and "No Response Needed" read a partial index each (a
few percent of a seller's cases, newest first), instead of walking every case of the seller to
fill a page and its capped count."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_case_assignment_and_live_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("reported", True)),
                fields=["seller", "-latest_message_at", "-id"],
                name="case_inbox_reported",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("has_no_response_needed", True)),
                fields=["seller", "-latest_message_at", "-id"],
                name="case_inbox_no_response",
            ),
        ),
    ]
