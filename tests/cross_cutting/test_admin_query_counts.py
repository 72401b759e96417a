"""Every changelist of the staff admin runs as many queries for 6 rows as for 1: no column,
link or filter of a changelist loads something per listed row (an N+1 query).

The models come from the admin's registry, so a newly registered model is checked too; it
needs a factory in FACTORIES below (its test fails until it has one)."""

import re
from collections import Counter
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.orders.adjustments import factories as adjustment_factories
from tests.orders.returns import factories as return_factories
from tests.orders.shipping import factories as shipping_factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    factory._meta.model: factory
    for factory in [
        # accounts
        factories.UserFactory,
        factories.SellerAccountFactory,
        factories.SellerMembershipFactory,
        factories.BuyerProfileFactory,
        factories.NotificationPreferencesFactory,
        # orders
        factories.CategoryFactory,
        factories.ProductFactory,
        factories.OrderFactory,
        factories.OrderItemFactory,
        factories.OrderStatusChangeFactory,
        shipping_factories.ShipmentFactory,
        shipping_factories.CarrierEventFactory,
        adjustment_factories.RefundFactory,
        return_factories.ReturnRequestFactory,
        # messaging
        factories.RelationshipFactory,
        factories.MessageFactory,
        factories.AttachmentFactory,
        factories.MessageReportFactory,
        factories.BlockedMessageNoticeFactory,
        factories.StaffWarningFactory,
        factories.SanctionFactory,
        factories.MessagingPermissionFactory,
        factories.InboundMailFactory,
        factories.OutboundEmailFactory,
        factories.ResponseTimeDailyFactory,
        factories.MetricsWatermarkFactory,
        # templates_app
        factories.MarketingPhraseFactory,
        factories.TemplateTagFactory,
        factories.SellerTemplateFactory,
        factories.PlatformTemplateFactory,
        factories.PlatformTemplateTranslationFactory,
        # cases
        factories.CaseFactory,
        factories.CaseSearchTextFactory,
        factories.CaseTransitionFactory,
        # django.contrib.auth and django-celery-beat
        factories.GroupFactory,
        factories.IntervalScheduleFactory,
        factories.CrontabScheduleFactory,
        factories.SolarScheduleFactory,
        factories.ClockedScheduleFactory,
        factories.PeriodicTaskFactory,
        # django-axes
        factories.AccessAttemptFactory,
        factories.AccessFailureLogFactory,
        factories.AccessLogFactory,
    ]
}

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label_lower)
MORE_ROWS = 5

RESULT_ROWS = re.compile(r'<table id="result_list">.*?<tbody>(.*?)</tbody>', re.DOTALL)
# Literals (ids, savepoint names) differ from query to query; without them a query made once
# per row shows as one query repeated.
SQL_LITERALS = re.compile(r"'(?:[^']|'')*'|\d+")


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response, [query["sql"] for query in queries.captured_queries]


def _rows_shown(response) -> int:
    """The rows of the changelist table (`#result_list`) in the page."""
    match = RESULT_ROWS.search(response.content.decode())
    assert match, "the changelist shows no #result_list table"
    return match.group(1).count("<tr")


def _repeated(fewer: list[str], more: list[str]) -> str:
    """The queries the second page made more often than the first, literals elided."""
    extra = Counter(SQL_LITERALS.sub("?", sql) for sql in more)
    extra.subtract(SQL_LITERALS.sub("?", sql) for sql in fewer)
    return "\n".join(f"{times} more × {sql}" for sql, times in extra.items() if times > 0)


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label_lower)
def test_admin_changelist_queries_do_not_grow_with_rows(model, client, staff):
    factory = FACTORIES.get(model)
    if factory is None:
        pytest.fail(
            f"{model._meta.label} is registered in the admin but has no factory in FACTORIES of "
            f"{__name__}: add one (tests/factories.py) so its changelist is checked."
        )
    client.force_login(staff)
    url = _changelist(model)
    factory()
    client.get(url)  # a query cached after the first request is not counted as growth

    response, one_row = _get(client, url)
    shown_before = _rows_shown(response)
    factory.create_batch(MORE_ROWS)
    response, more_rows = _get(client, url)
    shown_after = _rows_shown(response)

    assert len(more_rows) == len(one_row), (
        f"{model._meta.label} changelist: {len(one_row)} queries for {shown_before} row(s), "
        f"{len(more_rows)} for {shown_after}:\n{_repeated(one_row, more_rows)}"
    )
    total = model._default_manager.count()
    assert shown_after == len(response.context["cl"].result_list) == total
    assert shown_after >= shown_before + MORE_ROWS
