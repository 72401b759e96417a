"""The staff-oversight migrations step back and forward (issue 11):

- messaging/0012: the reports queue's "reviewed" becomes "dismissed"; backwards both decided
  statuses become "reviewed" again and the warnings' table goes;
- messaging/0013: the "Dispute Resolution" group; backwards it is removed.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from messaging.moderation.services.decisions import report_dismiss, report_warn
from messaging.moderation.services.flags import message_report
from messaging.moderation.staff_groups import DISPUTE_RESOLUTION_GROUP
from tests.factories import OrderFactory, StaffFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies

BEFORE = [("messaging", "0011_periodic_tasks")]
GROUP = DISPUTE_RESOLUTION_GROUP


def _migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _statuses() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status FROM messaging_messagereport")
        return dict(cursor.fetchall())


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_r16_report_statuses_and_the_group_migrate_back_and_forward():
    staff = StaffFactory()
    order = OrderFactory()
    member = seller_user(order.seller)
    case = buyer_opens_case(order=order).case
    reports = [
        message_report(message=buyer_replies(case, text), reporter=member, reason="spam")
        for text in ("one", "two", "three")
    ]
    still_open, dismissed, warned = (report.pk for report in reports)
    report_dismiss(report=reports[1], staff_user=staff)
    report_warn(report=reports[2], party="seller", staff_user=staff)
    try:
        _migrate(BEFORE)
        assert _statuses() == {still_open: "open", dismissed: "reviewed", warned: "reviewed"}
        assert "messaging_staffwarning" not in _tables()
        assert not Group.objects.filter(name=GROUP).exists()
    finally:
        _migrate()
    assert _statuses() == {still_open: "open", dismissed: "dismissed", warned: "dismissed"}
    assert "messaging_staffwarning" in _tables()
    group = Group.objects.get(name=GROUP)
    assert group.permissions.filter(codename="change_messagereport").exists()
    assert group.permissions.filter(codename="view_message").exists()


@pytest.mark.django_db(transaction=True)
def test_a_dispute_resolution_group_staff_made_is_left_as_it_is():
    """A group of that name that exists when the migration runs keeps its permissions."""
    _migrate([("messaging", "0012_staff_oversight")])
    try:
        Group.objects.create(name=GROUP)  # staff made it by hand, with no permissions
    finally:
        _migrate()
    assert not Group.objects.get(name=GROUP).permissions.exists()
