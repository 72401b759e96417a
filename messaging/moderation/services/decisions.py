"""Staff moderation of reported messages (R16): the admin's reports queue calls these.

A report is open until staff decide: "Dismiss" (nothing to act on), or take action by warning
the seller or the buyer of the reported message's case. A warning lands at the top of the warned
party's message center until they dismiss it. Who decided and when is recorded on the report
(the first decision is kept), and each warning records who issued it.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import require_seller_member
from core.refusals import NotAParty
from messaging.models import MessageReport, StaffWarning

STAFF_ONLY_MSG = "Only staff who work the reports queue can decide on reported messages."
WARNING_NOT_YOURS_MSG = "This warning is addressed to someone else."
REPORT_PERMISSION = "messaging.change_messagereport"


def _require_moderator(user: User) -> None:
    if not (user.is_active and user.is_staff and user.has_perm(REPORT_PERMISSION)):
        raise PermissionError(STAFF_ONLY_MSG)


def _decide(report: MessageReport, *, status: str, staff_user: User) -> None:
    """Record the decision on a locked report; the first decider and time are kept."""
    report.status = status
    if report.reviewed_by_id is None:
        report.reviewed_by = staff_user
        report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])


@transaction.atomic
def report_dismiss(*, report: MessageReport, staff_user: User) -> MessageReport:
    """R16: staff looked at an open report and found nothing to act on. A report already
    decided (dismissed, or action taken) stays as it is."""
    _require_moderator(staff_user)
    report = MessageReport.objects.select_for_update().get(pk=report.pk)
    if report.status == MessageReport.Status.OPEN:
        _decide(report, status=MessageReport.Status.DISMISSED, staff_user=staff_user)
    return report


@transaction.atomic
def report_warn(
    *, report: MessageReport, party: str, staff_user: User
) -> tuple[MessageReport, StaffWarning | None]:
    """R16: staff take action on a report by warning the seller or the buyer of its case.

    The report becomes "action taken"; the warning shows in the warned party's message center.
    Each party is warned at most once per report (a second click returns the first warning); a
    dismissed report is left alone and nobody is warned (None).
    """
    _require_moderator(staff_user)
    if party not in StaffWarning.Party.values:
        raise ValueError(f"Unknown party {party!r}: {StaffWarning.Party.values}.")
    report = (
        MessageReport.objects.select_for_update(of=("self",))
        .select_related("message__case")
        .get(pk=report.pk)
    )
    if report.status == MessageReport.Status.DISMISSED:
        return report, None
    case = report.message.case
    warning, _ = StaffWarning.objects.get_or_create(
        report=report,
        party=party,
        defaults={"seller_id": case.seller_id, "buyer_id": case.buyer_id, "issued_by": staff_user},
    )
    if report.status != MessageReport.Status.ACTION_TAKEN:
        _decide(report, status=MessageReport.Status.ACTION_TAKEN, staff_user=staff_user)
    return report, warning


def staff_warning_dismiss(*, warning: StaffWarning, actor: User) -> StaffWarning:
    """The warned party puts the warning away: any member of the warned seller account, or the
    warned buyer. It stays on record (the admin and the dispute file show it); dismissing twice
    keeps the first time."""
    if warning.party == StaffWarning.Party.SELLER:
        require_seller_member(actor, warning.seller_id, refusal=WARNING_NOT_YOURS_MSG)
    elif warning.buyer_id != actor.pk:
        raise NotAParty(WARNING_NOT_YOURS_MSG)
    StaffWarning.objects.filter(pk=warning.pk, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now(), dismissed_by=actor
    )
    warning.refresh_from_db(fields=["dismissed_at", "dismissed_by"])
    return warning
