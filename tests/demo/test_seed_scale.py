"""`seed_scale` (demo/scale.py) at a tiny scale: the shape of the benchmark data set, and inbox
summaries that are what each case's messages say, as `cases.services.case_summaries_refresh`
computes them."""

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
from cases.models import INBOX_SUMMARY_FIELDS, Case, CaseSearchText, CaseStatus, CaseTransition
from cases.services import case_summaries_refresh
from cases.services.summary import SNIPPET_LENGTH
from demo.scale import (
    LARGE_OWNER_EMAIL,
    LARGE_SLUG,
    RARE_WORD,
    SCALE_PASSWORD,
    ScalePlan,
)
from messaging.inbox.selectors import INBOX_FILTERS, inbox_page_for_seller
from messaging.models import (
    Attachment,
    Direction,
    Message,
    MessageReport,
    Outcome,
    ResponseState,
)
from messaging.sending.selectors import (
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


def _inbox(seller: SellerAccount, filter_key: str, query: str = ""):
    """The first page of the seller's inbox, as its owner opens it."""
    return inbox_page_for_seller(
        seller=seller,
        filter_key=filter_key,
        query=query,
        member=User.objects.get(email=LARGE_OWNER_EMAIL),
        page_number=None,
        per_page=100,
        count_cap=1000,
    )


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
        assert _inbox(large, key).count, key
    assert _inbox(large, "all", RARE_WORD).count
    assert _inbox(large, "all", "parcel").count > 10
    ages = Case.objects.aggregate(newest=Max("latest_message_at"))
    assert Case.objects.filter(latest_message_at__lt=ages["newest"] - timedelta(days=300)).exists()
    attachment = Attachment.objects.first()
    assert attachment is not None
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes()[:4]
    assert Attachment.objects.values("file").distinct().count() <= 3


def _summary_from_messages(case: Case, messages: list[Message]) -> tuple:
    """The inbox summary (INBOX_SUMMARY_FIELDS) worked out in Python from the case's messages,
    oldest first."""
    waiting = [
        m.created_at
        for m in messages
        if m.direction == Direction.BUYER_TO_SELLER and m.response_state == ResponseState.NEEDED
    ]
    waiting_since = min(waiting, default=None)
    states = {m.response_state for m in messages}
    latest = messages[-1] if messages else None
    seen_by_buyer = [
        m
        for m in messages
        if m.direction == Direction.BUYER_TO_SELLER or m.outcome == Outcome.DELIVERED
    ]
    buyer_latest = seen_by_buyer[-1] if seen_by_buyer else None

    def snippet(message: Message | None) -> str:
        return " ".join(message.body_text.split())[:SNIPPET_LENGTH] if message else ""

    blocked_rule = ""
    if latest is not None and latest.outcome not in {"", None, Outcome.DELIVERED}:
        blocked_rule = latest.outcome_rule or latest.outcome
    return (
        waiting_since is not None and case.status != CaseStatus.CLOSED,
        waiting_since,
        ResponseState.RESPONDED in states,
        ResponseState.NO_RESPONSE_NEEDED in states,
        any(m.direction == Direction.SELLER_TO_BUYER for m in messages),
        ResponseState.REPORTED in states,
        len(messages),
        latest.created_at if latest else None,
        latest.direction if latest else "",
        snippet(latest),
        blocked_rule,
        buyer_latest.created_at if buyer_latest else None,
        snippet(buyer_latest),
    )


def test_summaries_are_what_the_messages_say_and_what_a_refresh_computes(seeded):
    """The load's one-statement summary of every case is what its messages say, and a refresh
    (what every service runs after a message changes) writes the same."""

    def snapshot() -> dict[int, tuple]:
        return {row[0]: row[1:] for row in Case.objects.values_list("id", *INBOX_SUMMARY_FIELDS)}

    seeded_summaries = snapshot()
    assert any(row[0] for row in seeded_summaries.values())  # some need a response
    messages: dict[int, list[Message]] = {case_id: [] for case_id in seeded_summaries}
    for message in Message.objects.order_by("created_at", "id"):
        messages[message.case_id].append(message)
    expected = {
        case.pk: _summary_from_messages(case, messages[case.pk]) for case in Case.objects.all()
    }
    assert seeded_summaries == expected
    case_summaries_refresh(list(seeded_summaries))
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
    found = [row.pk for row in _inbox(large, "all", case.order_number).object_list]
    assert case.pk in found


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
