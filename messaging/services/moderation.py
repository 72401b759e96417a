"""Staff moderation of reported messages (R16): the admin's moderation queue calls these."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from messaging.models import MessageReport

STAFF_ONLY_MSG = "Only staff can review reported messages."


@transaction.atomic
def report_mark_reviewed(*, report: MessageReport, staff_user: User) -> MessageReport:
    """R16: staff have looked at a report. A report already reviewed keeps who and when."""
    if not staff_user.is_staff:
        raise PermissionError(STAFF_ONLY_MSG)
    report = MessageReport.objects.select_for_update().get(pk=report.pk)
    if report.status == MessageReport.Status.REVIEWED:
        return report
    report.status = MessageReport.Status.REVIEWED
    report.reviewed_by = staff_user
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return report
