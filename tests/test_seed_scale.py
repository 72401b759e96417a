"""`seed_scale` (demo/scale.py) at a tiny scale: the shape of the benchmark data set, and inbox
summaries equal to what `cases.services.case_summaries_refresh` computes."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Count, Max, Sum
from django.utils import timezone

from accounts.models import BuyerProfile, Relationship, SellerAccount, SellerMembership, User
from cases import services as case_services
from cases.models import INBOX_SUMMARY_FIELDS, Case, CaseSearchText, CaseStatus, CaseTransition
from cases.services import case_summaries_refresh
from demo.scale import (
    LARGE_OWNER_EMAIL,
    LARGE_SLUG,
    RARE_WORD,
    SCALE_PASSWORD,
    ScalePlan,
)
from messaging.models import Attachment, Message, MessageReport, Outcome, ResponseState
from messaging.selectors import (
    INBOX_FILTERS,
    case_list_for_seller,
    seller_daily_allowance,
    seller_messages_left_today,
    sent_today_cache_key,
)
from orders.models import Order, OrderItem
from orders.selectors import order_volume_cache_key

pytestmark = pytest.mark.django_db

SCALE = "0.0005"


@pytest.fixture
def seeded() -> str:
    # R8 figures cached for the ids the sellers are about to get, as a running site may hold
    # (a few dozen keys: the test cache, LocMem, keeps 300).
    today = timezone.now().date()
    first = (SellerAccount.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for seller_id in range(first, first + ScalePlan.for_scale(float(SCALE)).sellers + 10):
        cache.set(order_volume_cache_key(seller_id=seller_id, today=today), 999_999)
        cache.set(sent_today_cache_key(seller_id=seller_id, today=today), 999_999)
    out = io.StringIO()
    call_command(
        "seed_scale",
        "--scale",
        SCALE,
        "--no-migrate",
        "--no-vacuum",
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def test_counts_follow_the_plan(seeded):
    plan = ScalePlan.for_scale(float(SCALE))
    sellers = SellerAccount.objects.filter(slug__startswith="scale-")
    assert sellers.count() == plan.sellers
    assert BuyerProfile.objects.count() == plan.buyers
    assert User.objects.count() == plan.buyers + SellerMembership.objects.count()
    assert Order.objects.count() == OrderItem.objects.count()
    assert abs(Order.objects.count() - plan.orders) <= plan.sellers
    assert abs(Case.objects.count() - plan.cases) <= plan.sellers
    # Blocked cases have one message, so a few fewer than planned.
    messages = Message.objects.count()
    assert 0.9 * plan.messages <= messages <= plan.messages
    assert Case.objects.aggregate(n=Sum("message_count"))["n"] == messages
    # Every case opens its transition log; each buyer-seller pair once (R1).
    assert CaseTransition.objects.filter(from_status="").count() == Case.objects.count()
    assert Relationship.objects.values("buyer", "seller").distinct().count() == (
        Relationship.objects.count()
    )
    assert seeded.strip().endswith(f"seller {LARGE_OWNER_EMAIL} {SCALE_PASSWORD}")


def test_one_large_seller_and_many_smaller_ones(seeded):
    plan = ScalePlan.for_scale(float(SCALE))
    per_seller = dict(
        Case.objects.values_list("seller__slug")
        .annotate(n=Count("id"))
        .values_list("seller__slug", "n")
    )
    assert per_seller[LARGE_SLUG] == plan.large_cases
    assert per_seller[LARGE_SLUG] == max(per_seller.values())
    assert per_seller["scale-seller-0002"] > per_seller[f"scale-seller-{plan.sellers:04d}"]
    large = SellerAccount.objects.get(slug=LARGE_SLUG)
    assert Order.objects.filter(seller=large).count() == plan.large_orders
    counts = set(Case.objects.filter(seller=large).values_list("message_count", flat=True))
    assert {10, 50} <= counts  # the benchmark's case pages
    owner = User.objects.get(email=LARGE_OWNER_EMAIL)
    assert owner.check_password(SCALE_PASSWORD)
    assert owner.seller_membership.seller == large
    assert owner.seller_membership.role == SellerMembership.Role.OWNER


def test_every_state_and_what_the_benchmark_searches_for(seeded):
    large = SellerAccount.objects.get(slug=LARGE_SLUG)
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    states = set(Message.objects.values_list("response_state", flat=True))
    assert {s.value for s in ResponseState} <= states
    assert Message.objects.filter(outcome=Outcome.BLOCKED, outcome_rule="R2").exists()
    assert MessageReport.objects.exists()
    for key in INBOX_FILTERS:
        if key == "assigned-to-me":  # the data set assigns no case to anyone
            continue
        assert case_list_for_seller(seller=large, filter_key=key).exists(), key
    assert case_list_for_seller(seller=large, filter_key="all", query=RARE_WORD).exists()
    assert case_list_for_seller(seller=large, filter_key="all", query="parcel").count() > 10
    ages = Case.objects.aggregate(newest=Max("latest_message_at"))
    assert Case.objects.filter(latest_message_at__lt=ages["newest"] - timedelta(days=300)).exists()
    attachment = Attachment.objects.first()
    assert attachment is not None
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes()[:4]
    assert Attachment.objects.values("file").distinct().count() <= 3


def test_summaries_equal_what_case_summaries_refresh_computes(seeded):
    def snapshot() -> dict[int, tuple]:
        return {row[0]: row[1:] for row in Case.objects.values_list("id", *INBOX_SUMMARY_FIELDS)}

    seeded_summaries = snapshot()
    assert any(row[0] for row in seeded_summaries.values())  # some need a response
    case_summaries_refresh(list(seeded_summaries))
    assert snapshot() == seeded_summaries
    # The reference: the ORM form of the same summary (what other databases run).
    ids = list(seeded_summaries)
    for start in range(0, len(ids), 1000):
        case_services._refresh(case_services._summaries(ids[start : start + 1000]))
    assert snapshot() == seeded_summaries


def test_every_case_has_its_search_text(seeded):
    """Inbox search reads the case's alias, order ID and subject from CaseSearchText (issue 13):
    the bulk load writes one per case, equal to the case's own."""
    cases = Case.objects.values_list("pk", "seller_id", "buyer_alias", "order_number", "subject")
    texts = CaseSearchText.objects.values_list(
        "case_id", "seller_id", "buyer_alias", "order_number", "subject"
    )
    assert sorted(texts) == sorted(cases)
    large = SellerAccount.objects.get(slug=LARGE_SLUG)
    case = Case.objects.filter(seller=large).exclude(order_number="").first()
    found = case_list_for_seller(seller=large, filter_key="all", query=case.order_number)
    assert case in found


def test_r8_figures_cached_before_the_load_are_counted_again(seeded):
    """The load writes orders and today's messages past the services: no seller keeps an R8
    order volume or a count of messages delivered today cached from before it."""
    today = timezone.now().date()
    large = SellerAccount.objects.get(slug=LARGE_SLUG)
    for seller in SellerAccount.objects.filter(slug__startswith="scale-"):
        assert cache.get(order_volume_cache_key(seller_id=seller.pk, today=today)) is None
        assert cache.get(sent_today_cache_key(seller_id=seller.pk, today=today)) is None
    sent, limit = seller_daily_allowance(seller=large)
    assert seller_messages_left_today(seller=large) == (max(limit - sent, 0), limit)
    assert limit < 999_999
