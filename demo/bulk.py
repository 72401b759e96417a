"""The benchmark top-up (`seed_demo --orders N --cases N`): orders, and cases with their
messages, inserted in bulk for one seller (100,000 cases would take hours through the per-message
services). Rows are set-based; what the inbox reads of each case is then computed by
`cases.services.case_summaries_refresh`, the same function every service calls, so this module
knows nothing of those columns."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm  # type: ignore[import-untyped]  # ships no types

from accounts.aliases import alias_generate
from accounts.models import BuyerProfile, Relationship, SellerAccount, User
from accounts.services import relationship_get_or_create
from cases.models import Case, CaseStatus, CaseTransition, Direction, ResponseState
from cases.services import case_search_texts_write, case_summaries_refresh
from demo.content import (
    BENCH_BUYER_EMAIL,
    BENCH_BUYERS_PER_CASES,
    BULK_BUYER_TEXTS,
    BULK_ORDER_CASE_SHARE,
    BULK_SELLER_TEXTS,
    BULK_SUBJECTS,
    BULK_UNANSWERED_SHARE,
)
from demo.reference import STATUS_WEIGHTS
from messaging.models import BuyerContactReason, Channel, Message, MessageReport, ReportReason
from messaging.sending.selectors import sent_today_forget
from orders.models import Order, OrderItem, OrderStatus, OrderStatusChange
from orders.selectors import order_volume_forget
from orders.services import order_number_generate

BULK_BATCH = 2000
OTHER_SIDE = {
    Direction.SELLER_TO_BUYER: Direction.BUYER_TO_SELLER,
    Direction.BUYER_TO_SELLER: Direction.SELLER_TO_BUYER,
}


def relationships_for(seller: SellerAccount, buyers: list[User]) -> list[Relationship]:
    """The R1 relationships of these buyers with `seller` (created with their aliases)."""
    return [relationship_get_or_create(buyer=buyer, seller=seller) for buyer in buyers]


# ---- orders


def bulk_orders_top_up(
    rng: random.Random, seller: SellerAccount, buyers: list[User], wanted: int
) -> None:
    """Add orders in bulk until `seller` has `wanted`, each with its item and status change."""
    missing = wanted - Order.objects.filter(seller=seller).count()
    if missing <= 0:
        return
    now = timezone.now()
    relationships = relationships_for(seller, buyers)
    products = list(seller.products.all())
    statuses = [status for status, _ in STATUS_WEIGHTS]
    weights = [weight for _, weight in STATUS_WEIGHTS]
    with tqdm(total=missing, desc=f"orders for {seller}", unit="order") as progress:
        while missing > 0:
            batch = min(BULK_BATCH, missing)
            orders = []
            product_of = {}
            for _ in range(batch):
                relationship = rng.choice(relationships)
                status = rng.choices(statuses, weights=weights)[0]
                placed_at = now - timedelta(days=rng.uniform(0.1, 365))
                changed_at = placed_at + timedelta(days=rng.uniform(0, 5))
                product = rng.choice(products)
                number = order_number_generate()
                product_of[number] = product
                shipped = status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
                orders.append(
                    Order(
                        number=number,
                        seller=seller,
                        buyer_id=relationship.buyer_id,
                        relationship=relationship,
                        status=status,
                        placed_at=placed_at,
                        status_changed_at=changed_at,
                        shipped_at=changed_at if shipped else None,
                        delivered_at=changed_at if status == OrderStatus.DELIVERED else None,
                        canceled_at=changed_at if status == OrderStatus.CANCELED else None,
                        ship_name="Bulk Buyer",
                        ship_address="1 Benchmark Way\nSpringfield 62701",
                        ship_phone="+1-555-000-0000",
                        items_total=product.price,
                        total=product.price,
                    )
                )
            with transaction.atomic():
                Order.objects.bulk_create(orders, batch_size=BULK_BATCH)
                if not orders[0].pk:  # backends without RETURNING ids
                    numbers = [o.number for o in orders]
                    orders = list(Order.objects.filter(number__in=numbers))
                OrderItem.objects.bulk_create(
                    [
                        OrderItem(
                            order=o, product=product_of[o.number], quantity=1, unit_price=o.total
                        )
                        for o in orders
                    ],
                    batch_size=BULK_BATCH,
                )
                OrderStatusChange.objects.bulk_create(
                    [
                        OrderStatusChange(order=o, status=o.status, changed_at=o.status_changed_at)
                        for o in orders
                    ],
                    batch_size=BULK_BATCH,
                )
            missing -= batch
            progress.update(batch)
    # Orders dated in the past change R8's cached order volume of today (orders/selectors.py).
    order_volume_forget(seller_id=seller.pk, today=timezone.now().date())


# ---- cases


@dataclass(frozen=True)
class CaseSource:
    """Who a bulk case is between, its order (none for an Ask-a-question case) or product (the
    scale data set's questions about a product; demo/scale.py)."""

    order_id: int | None
    order_number: str
    buyer_id: int
    relationship_id: int
    buyer_alias: str
    product_id: int | None = None


def answered_case_kind(rng: random.Random) -> tuple[CaseStatus, ResponseState]:
    """The state of a generated case that was answered, and how its buyer's last message was
    settled (the weights of the bulk and scale data sets)."""
    status = rng.choices(
        [CaseStatus.CLOSED, CaseStatus.OPENED, CaseStatus.RESOLVED], weights=[60, 25, 15]
    )[0]
    ending = rng.choices(
        [ResponseState.RESPONDED, ResponseState.NO_RESPONSE_NEEDED, ResponseState.REPORTED],
        weights=[85, 12, 3],
    )[0]
    return status, ending


@dataclass
class BulkCase:
    """One case row, its messages (oldest first) and its transition log, before insertion."""

    case: Case
    messages: list[Message]
    transitions: list[CaseTransition]


def _bench_relationships(seller: SellerAccount, count: int) -> list[Relationship]:
    """Buyers for bulk Ask-a-question cases, with their relationship to `seller` (R1)."""
    bench = Q(buyer__email__startswith="bench-buyer-")
    relationships = list(Relationship.objects.filter(bench, seller=seller))
    missing = count - len(relationships)
    if missing <= 0:
        return relationships
    first = User.objects.filter(email__startswith="bench-buyer-").count() + 1
    users = User.objects.bulk_create(
        [
            User(
                email=BENCH_BUYER_EMAIL.format(number),
                full_name=f"Bench Buyer {number}",
                password=f"{UNUSABLE_PASSWORD_PREFIX}bench",
            )
            for number in range(first, first + missing)
        ],
        batch_size=BULK_BATCH,
    )
    BuyerProfile.objects.bulk_create(
        [BuyerProfile(user=user) for user in users], batch_size=BULK_BATCH
    )
    domain, length = settings.MESSAGING_ALIAS_DOMAIN, settings.MESSAGING_ALIAS_LENGTH
    Relationship.objects.bulk_create(
        [
            Relationship(
                buyer=user,
                seller=seller,
                buyer_alias=alias_generate(domain=domain, total_length=length),
                seller_alias=alias_generate(domain=domain, total_length=length),
            )
            for user in users
        ],
        batch_size=BULK_BATCH,
    )
    return list(Relationship.objects.filter(bench, seller=seller))


def _case_sources(seller: SellerAccount, wanted: int) -> tuple[list[CaseSource], list[CaseSource]]:
    """(the seller's latest orders, bench buyers without an order) to draw bulk cases from."""
    orders = [
        CaseSource(*row)
        for row in Order.objects.filter(seller=seller)
        .order_by("-placed_at")
        .values_list("pk", "number", "buyer_id", "relationship_id", "relationship__buyer_alias")[
            :20000
        ]
    ]
    bench = [
        CaseSource(None, "", r.buyer_id, r.pk, r.buyer_alias)
        for r in _bench_relationships(seller, max(20, wanted // BENCH_BUYERS_PER_CASES))
    ]
    return orders, bench


def bulk_cases_top_up(
    rng: random.Random, seller: SellerAccount, wanted: int, per_case: int
) -> None:
    """Add cases of `per_case` messages each until `seller` has `wanted` (benchmarks): about
    30% wait for an answer, up to 3 days; the rest are answered, marked No Response Needed or
    flagged by a report, and mostly closed. Each batch is inserted, then its inbox summary
    computed by `case_summaries_refresh`, in one transaction."""
    missing = wanted - Case.objects.filter(seller=seller).count()
    if missing <= 0:
        return
    now = timezone.now()
    members = list(
        User.objects.filter(seller_membership__seller=seller).values_list("pk", flat=True)
    )
    orders, bench = _case_sources(seller, wanted)
    with tqdm(total=missing, desc=f"cases for {seller}", unit="case") as progress:
        while missing > 0:
            batch = min(BULK_BATCH, missing)
            specs = []
            for _ in range(batch):
                use_order = orders and rng.random() < BULK_ORDER_CASE_SHARE
                source = rng.choice(orders) if use_order else rng.choice(bench)
                specs.append(_bulk_case(rng, now, seller, members, source, per_case))
            with transaction.atomic():
                _bulk_insert(rng, specs, members)
            missing -= batch
            progress.update(batch)
    # Messages dated today, past the send funnel: the pages' R8 count of them starts again.
    sent_today_forget(seller_id=seller.pk, today=timezone.now().date())


def _bulk_insert(rng: random.Random, specs: list[BulkCase], members: list[int]) -> None:
    """Insert one batch (in the caller's transaction), then compute its inbox summary."""
    cases = Case.objects.bulk_create([s.case for s in specs], batch_size=BULK_BATCH)
    if cases[0].pk is None:
        raise RuntimeError("--cases needs a database that returns inserted ids.")
    case_search_texts_write(cases)
    messages, transitions = [], []
    for spec in specs:
        for message in spec.messages:
            message.case_id = spec.case.pk
        for transition in spec.transitions:
            transition.case_id = spec.case.pk
        messages.extend(spec.messages)
        transitions.extend(spec.transitions)
    Message.objects.bulk_create(messages, batch_size=BULK_BATCH)
    CaseTransition.objects.bulk_create(transitions, batch_size=BULK_BATCH)
    MessageReport.objects.bulk_create(
        [
            MessageReport(
                message=m,
                reporter_id=rng.choice(members),
                reason=ReportReason.SPAM,
                created_at=m.created_at + timedelta(minutes=30),
            )
            for m in messages
            if m.response_state == ResponseState.REPORTED
        ],
        batch_size=BULK_BATCH,
    )
    case_summaries_refresh(case.pk for case in cases)


def _bulk_case(
    rng: random.Random,
    now: datetime,
    seller: SellerAccount,
    members: list[int],
    source: CaseSource,
    per_case: int,
) -> BulkCase:
    """One case, its messages and its transition log, consistent with each other as the
    services would leave them."""
    if rng.random() < BULK_UNANSWERED_SHARE:
        status, ending = CaseStatus.OPENED, ResponseState.NEEDED
        last_at = now - timedelta(hours=rng.uniform(0.05, 72))
    else:
        status, ending = answered_case_kind(rng)
        hours_ago = {
            CaseStatus.OPENED: (3, 14 * 24),
            CaseStatus.RESOLVED: (1, 3 * 24),
            CaseStatus.CLOSED: (3 * 24, 365 * 24),
        }[status]
        last_at = now - timedelta(hours=rng.uniform(*hours_ago))
    # Directions alternate, ending with the buyer unless the seller answered last.
    last = (
        Direction.SELLER_TO_BUYER
        if ending == ResponseState.RESPONDED
        else Direction.BUYER_TO_SELLER
    )
    directions = [last]
    while len(directions) < per_case:
        directions.append(OTHER_SIDE[directions[-1]])
    directions.reverse()
    times = [last_at]
    while len(times) < per_case:
        times.append(times[-1] - timedelta(hours=rng.uniform(0.5, 20)))
    times.reverse()

    subject = rng.choice(BULK_SUBJECTS)
    reason = rng.choice(BuyerContactReason.values)
    channel = Channel.EMAIL if rng.random() < 0.2 else Channel.WEB
    member = rng.choice(members)
    messages = []
    for index, (direction, at) in enumerate(zip(directions, times, strict=True)):
        from_buyer = direction == Direction.BUYER_TO_SELLER
        message = Message(
            seller_id=seller.pk,
            order_id=source.order_id,
            direction=direction,
            sender_id=source.buyer_id if from_buyer else member,
            channel=channel,
            contact_reason=reason,
            subject=subject if index == 0 else f"Re: {subject}",
            body_text=rng.choice(BULK_BUYER_TEXTS if from_buyer else BULK_SELLER_TEXTS),
            created_at=at,
        )
        if from_buyer:
            # Directions alternate, so a buyer message is answered by the next one, if any.
            if index + 1 < per_case:
                message.response_state = ResponseState.RESPONDED
                message.responded_at = times[index + 1]
            else:
                message.response_state = ending
                if ending == ResponseState.NO_RESPONSE_NEEDED:
                    message.no_response_needed_at = at + timedelta(minutes=20)
                    message.no_response_needed_by_id = member
        messages.append(message)

    started_by = (
        Case.StartedBy.BUYER
        if directions[0] == Direction.BUYER_TO_SELLER
        else Case.StartedBy.SELLER
    )
    changed_at = min(now, last_at + timedelta(hours=1)) if status != CaseStatus.OPENED else times[0]
    case = Case(
        seller_id=seller.pk,
        buyer_id=source.buyer_id,
        relationship_id=source.relationship_id,
        order_id=source.order_id,
        contact_reason=reason,
        subject=subject,
        status=status,
        started_by=started_by,
        created_at=times[0],
        status_changed_at=changed_at,
        last_activity_at=last_at,
        buyer_alias=source.buyer_alias,
        order_number=source.order_number,
    )
    opener = source.buyer_id if started_by == Case.StartedBy.BUYER else member
    transitions = [
        CaseTransition(
            from_status="",
            to_status=CaseStatus.OPENED,
            actor_id=opener,
            cause=started_by,
            created_at=times[0],
        )
    ]
    if status != CaseStatus.OPENED:
        transitions.append(
            CaseTransition(
                from_status=CaseStatus.OPENED,
                to_status=status,
                actor_id=member,
                cause="seller",
                created_at=changed_at,
            )
        )
    return BulkCase(case, messages, transitions)
