"""R23 template analytics on hand-built timelines: uses in the last 30 days, and the share of the
cases answered with a template where the buyer did not write again within 48 hours."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messaging.seller_templates.analytics import TemplateAnalytics, template_analytics
from messaging.sending import services
from tests.factories import OrderFactory, SellerTemplateFactory, seller_user

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _ago(**delta):
    return NOW - timedelta(**delta)


class Timeline:
    """One case of a seller, played through the send funnel at given moments."""

    def __init__(self, seller, member, *, opened):
        order = OrderFactory(seller=seller, placed_at=opened - timedelta(days=1))
        self.member = member
        self.case = services.message_send(
            sender=order.buyer,
            order=order,
            draft=services.Draft(body_text="Where is my parcel?", subject="Parcel"),
            now=opened,
        ).case

    def seller(self, at, template=None):
        draft = services.Draft(
            body_text="It left our warehouse today.",
            template_id=template.pk if template else None,
        )
        services.message_send(sender=self.member, case=self.case, draft=draft, now=at)
        return self

    def buyer(self, at):
        draft = services.Draft(body_text="Still nothing, can you check again?")
        services.message_send(sender=self.case.buyer, case=self.case, draft=draft, now=at)
        return self


@pytest.fixture
def member(seller):
    return seller_user(seller)


def test_r23_analytics_on_hand_built_timelines(seller, member, other_seller):
    template = SellerTemplateFactory(seller=seller, name="Parcel on its way")
    other = SellerTemplateFactory(seller=seller, name="Unused")
    # The buyer wrote again 9 hours after the answer: not settled.
    Timeline(seller, member, opened=_ago(days=5)).seller(_ago(days=5, hours=-1), template).buyer(
        _ago(days=4, hours=14)
    )
    # The buyer wrote again, but 50 hours after the answer: settled.
    Timeline(seller, member, opened=_ago(days=9)).seller(_ago(days=9), template).buyer(
        _ago(days=9, hours=-50)
    )
    # No word from the buyer since: settled.
    Timeline(seller, member, opened=_ago(days=3)).seller(_ago(days=3, hours=-2), template)
    # Answered 10 hours ago: a use, but too early to say whether the buyer writes again.
    Timeline(seller, member, opened=_ago(hours=12)).seller(_ago(hours=10), template)
    # Used twice on one case, the buyer wrote again after the first: one case, not settled.
    Timeline(seller, member, opened=_ago(days=20)).seller(_ago(days=20), template).buyer(
        _ago(days=19)
    ).seller(_ago(days=18, hours=23), template)
    # Outside the 30 days: not counted at all.
    Timeline(seller, member, opened=_ago(days=40)).seller(_ago(days=40), template)
    # Answered without a template: not the template's case.
    Timeline(seller, member, opened=_ago(days=2, hours=8)).seller(_ago(days=2, hours=7))
    # Another seller's template use: not ours.
    theirs = SellerTemplateFactory(seller=other_seller)
    Timeline(other_seller, seller_user(other_seller), opened=_ago(days=6)).seller(
        _ago(days=6), theirs
    )

    with CaptureQueriesContext(connection) as queries:
        result = template_analytics(
            seller=seller, template_ids=[template.pk, other.pk, theirs.pk], now=NOW
        )
    assert len(queries.captured_queries) == 1
    assert result[template.pk] == TemplateAnalytics(uses=6, cases_answered=4, cases_settled=2)
    assert result[template.pk].settled_percent == 50
    assert result[other.pk] == TemplateAnalytics()
    assert result[other.pk].settled_percent is None
    assert result[theirs.pk] == TemplateAnalytics()  # scoped to the seller asking


def test_r23_the_48_hours_are_counted_from_each_answer(seller, member):
    template = SellerTemplateFactory(seller=seller)
    answered = _ago(days=4)
    # Exactly 48 hours after the answer still counts as writing again; a minute later does not.
    Timeline(seller, member, opened=answered - timedelta(hours=1)).seller(answered, template).buyer(
        answered + timedelta(hours=48)
    )
    Timeline(seller, member, opened=answered - timedelta(hours=1)).seller(answered, template).buyer(
        answered + timedelta(hours=48, minutes=1)
    )
    result = template_analytics(seller=seller, template_ids=[template.pk], now=NOW)
    assert result[template.pk] == TemplateAnalytics(uses=2, cases_answered=2, cases_settled=1)


def test_r23_a_buyer_message_before_the_answer_does_not_count_against_it(seller, member):
    template = SellerTemplateFactory(seller=seller)
    Timeline(seller, member, opened=_ago(days=6)).buyer(_ago(days=6, hours=-1)).seller(
        _ago(days=6, hours=-2), template
    )
    result = template_analytics(seller=seller, template_ids=[template.pk], now=NOW)
    assert result[template.pk].settled_percent == 100
