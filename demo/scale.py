"""`seed_scale`: a data set like a real marketplace, for benchmarks (bench/pages.py), built in
minutes. At --scale 1: 1,000 sellers, 200,000 buyers, 1,000,000 orders, 300,000 cases and
1,000,000 messages; one large seller with 100,000 cases (600,000 messages) and 50,000 orders, the
others Zipf-like from a few big ones to many small ones. Cases in every state (Opened, Resolved,
Closed; waiting for a response, answered, No Response Needed, with a report, blocked), from
minutes to two years old; some messages carry attachments (rows pointing at a few
small shared files).

Rows are generated in Python from one seeded random generator and written set-based with COPY
(psycopg 3), the secondary indexes of the big tables dropped during the load and built again
after it, foreign keys checked by construction. The inbox summary of every case is then computed
by `cases.services.case_summaries_refresh_id_range`, the one summary statement every path uses
(cases/services/summary.py).

Every user has the same password (`SCALE_PASSWORD`, hashed once). The large seller's owner is
`LARGE_OWNER_EMAIL`.
"""

import hashlib
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm  # type: ignore[import-untyped]  # ships no types

from accounts.models import BuyerProfile, Relationship, SellerAccount, SellerMembership, User
from cases.models import (
    Case,
    CaseSearchText,
    CaseStatus,
    CaseTransition,
    Direction,
    Outcome,
    ResponseState,
)
from cases.services import case_search_texts_fill, case_summaries_refresh_id_range
from demo.bulk import CaseSource, answered_case_kind
from demo.content import BULK_BUYER_TEXTS, BULK_SELLER_TEXTS, BULK_SUBJECTS
from demo.reference import categories_ensure
from messaging.models import (
    Attachment,
    BlockedMessageNotice,
    BuyerContactReason,
    Channel,
    Message,
    MessageReport,
    ReportReason,
)
from messaging.sending.selectors import sent_today_forget
from orders.models import Order, OrderItem, OrderStatus, OrderStatusChange, Product
from orders.selectors import order_volume_forget

SCALE_PASSWORD = "scale-bench-2026"  # noqa: S105  (a benchmark data set's shared demo password)
LARGE_SLUG = "scale-large"
LARGE_NAME = "Megamart Scale Outlet"
LARGE_OWNER_EMAIL = "owner@scale-large.example"
SELLER_SLUG = "scale-seller-{:04d}"
BUYER_EMAIL = "scale-buyer-{:06d}@example.com"
# A word in about one message in RARE_EVERY (and at least in one of the large seller's); the
# common word of the benchmark, "parcel", is in about a fifth of all messages.
RARE_WORD = "heliotrope"
RARE_EVERY = 40_000
RARE_TEXT = "Could the heliotrope gift wrap be added to the parcel before it ships?"
COMMON_WORD = "parcel"
ATTACHMENT_SHARE = 0.02  # of buyer messages
ZIPF_OFFSET = 3  # weight of the n-th other seller: 1 / (n + ZIPF_OFFSET)
FLUSH_ROWS = 20_000

# At --scale 1; everything is multiplied by the scale (with small minimums).
FULL = {
    "sellers": 1_000,
    "buyers": 200_000,
    "orders": 1_000_000,
    "cases": 300_000,
    "messages": 1_000_000,
    "large_orders": 50_000,
    "large_cases": 100_000,
    "large_messages": 600_000,
}


@dataclass(frozen=True)
class ScalePlan:
    sellers: int
    buyers: int
    orders: int
    cases: int
    messages: int
    large_orders: int
    large_cases: int
    large_messages: int

    @classmethod
    def for_scale(cls, scale: float) -> "ScalePlan":
        def n(key: str, minimum: int) -> int:
            return max(minimum, round(FULL[key] * scale))

        plan = cls(
            sellers=n("sellers", 4),
            buyers=n("buyers", 60),
            orders=n("orders", 200),
            cases=n("cases", 90),
            messages=n("messages", 300),
            large_orders=n("large_orders", 40),
            large_cases=n("large_cases", 30),
            large_messages=n("large_messages", 180),
        )
        if plan.large_messages < plan.large_cases + 60:  # room for the 10- and 50-message cases
            plan = cls(**{**plan.__dict__, "large_messages": plan.large_cases + 60})
        return plan


@dataclass
class SellerShare:
    """One seller's part of the plan."""

    index: int
    seller_id: int
    orders: int
    cases: int
    messages: int
    members: list[int] = field(default_factory=list)
    products: list[tuple[int, Decimal]] = field(default_factory=list)


@dataclass
class ScaleResult:
    counts: dict[str, int]
    large_seller_id: int
    seconds: dict[str, float]


# ---- writing rows


def _extra_columns(model: type[models.Model], columns: Sequence[str]) -> tuple[list[str], tuple]:
    """The model's columns that the generator does not set (e.g. a field added later), with their
    defaults, so the rows stay valid as the models grow. Columns the database computes
    (generated, or with a database default) are left to it."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.column in columns or getattr(f, "generated", False):
            continue
        if f.db_default is not models.NOT_PROVIDED:
            continue
        default = f.get_default()
        names.append(f.column)
        values.append(f.get_db_prep_save(default, connection) if default is not None else None)
    return names, tuple(values)


class Table:
    """Rows of one model waiting to be written."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        extra_names, self.extra = _extra_columns(model, columns)
        self.columns = [*columns, *extra_names]
        self.rows: list[tuple] = []
        self.written = 0
        self.next_id = 0
        self.first_id = 0

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, row: tuple) -> None:
        self.rows.append(row + self.extra if self.extra else row)


class Writer:
    """Writes tables' rows in bulk with COPY. Parents are always flushed before their children
    (`tables` is in that order)."""

    def __init__(self, tables: list[Table]) -> None:
        self.tables = tables
        for table in tables:
            table.first_id = table.next_id = self._first_id(table)

    def _first_id(self, table: Table) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}")  # noqa: S608
            (max_id,) = cursor.fetchone()
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id'))")
            (seq,) = cursor.fetchone()
        return int(max(max_id, seq)) + 1

    def maybe_flush(self) -> None:
        if any(len(t.rows) >= FLUSH_ROWS for t in self.tables):
            self.flush()

    def flush(self) -> None:
        for table in self.tables:
            if table.rows:
                self._write(table)
                table.written += len(table.rows)
                table.rows = []

    def _write(self, table: Table) -> None:
        columns = ", ".join(f'"{c}"' for c in table.columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for row in table.rows:
                    copy.write_row(row)

    def sequences_set(self) -> None:
        with connection.cursor() as cursor:
            for table in self.tables:
                if table.next_id > table.first_id:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), %s)",
                        [table.next_id - 1],
                    )


# ---- bulk-load helpers


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the non-unique indexes of these tables that back no constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [tables],
        )
        return [(name, definition) for name, definition in cursor.fetchall()]


# ---- the generator


def _zipf_split(total: int, weights: list[float], minimum: int) -> list[int]:
    whole = sum(weights)
    return [max(minimum, round(total * w / whole)) for w in weights]


SHARED_FILES = [
    # stored name, display name, extension, content type, bytes
    ("photo.png", "parcel-photo.png", ".png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 120),
    ("invoice.pdf", "invoice.pdf", ".pdf", "application/pdf", b"%PDF-1.4\n%scale\n" + b"0" * 300),
    ("notes.txt", "notes.txt", ".txt", "text/plain", b"Order notes for the benchmark.\n" * 8),
]


def _shared_files() -> list[tuple[str, str, str, str, int, str]]:
    """The few small files every attachment row points at (saved once under MEDIA_ROOT)."""
    files = []
    for stored, display, extension, content_type, content in SHARED_FILES:
        name = f"attachments/scale/{stored}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
        digest = hashlib.sha256(content).hexdigest()
        files.append((name, display, extension, content_type, len(content), digest))
    return files


# (status, ending) of a case: ending is the response state of its last buyer message, or
# "blocked" (one proactive seller message blocked by the buyer's opt-out, R2).
BLOCKED = "blocked"
EVERY_KIND: list[tuple[str, str]] = [
    (CaseStatus.OPENED, ResponseState.NEEDED),
    (CaseStatus.CLOSED, ResponseState.NEEDED),
    (CaseStatus.OPENED, ResponseState.RESPONDED),
    (CaseStatus.RESOLVED, ResponseState.RESPONDED),
    (CaseStatus.CLOSED, ResponseState.RESPONDED),
    (CaseStatus.OPENED, ResponseState.NO_RESPONSE_NEEDED),
    (CaseStatus.RESOLVED, ResponseState.NO_RESPONSE_NEEDED),
    (CaseStatus.CLOSED, ResponseState.NO_RESPONSE_NEEDED),
    (CaseStatus.OPENED, ResponseState.REPORTED),
    (CaseStatus.CLOSED, ResponseState.REPORTED),
    (CaseStatus.OPENED, BLOCKED),
]
ORDER_STATUSES = [
    # status, weight, age in days (min, max)
    (OrderStatus.PENDING, 10, (0.01, 2)),
    (OrderStatus.UNSHIPPED, 20, (0.1, 5)),
    (OrderStatus.SHIPPED, 20, (1, 20)),
    (OrderStatus.DELIVERED, 60, (4, 730)),
    (OrderStatus.CANCELED, 6, (1, 730)),
]
B2S, S2B = Direction.BUYER_TO_SELLER.value, Direction.SELLER_TO_BUYER.value
LANGUAGES = ["en"] * 14 + ["de", "fr", "es", "ja"]


class ScaleBuilder:
    def __init__(self, plan: ScalePlan, seed: int, now: datetime) -> None:
        self.plan = plan
        self.rng = random.Random(seed)
        self.now = now
        self.password = make_password(SCALE_PASSWORD)
        self.user = Table(
            User,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "email",
                "full_name",
                "is_staff",
                "is_active",
                "date_joined",
            ],
        )
        self.profile = Table(
            BuyerProfile,
            ["id", "user_id", "preferred_language", "opted_out_of_unsolicited", "opted_out_at"],
        )
        self.seller = Table(
            SellerAccount,
            [
                "id",
                "business_name",
                "slug",
                "accepting_buyer_messages",
                "accepting_changed_at",
                "auto_review_requests",
                "auto_review_delay_days",
                "created_at",
            ],
        )
        self.membership = Table(
            SellerMembership, ["id", "seller_id", "user_id", "role", "joined_at"]
        )
        self.product = Table(Product, ["id", "seller_id", "category_id", "title", "sku", "price"])
        self.relationship = Table(
            Relationship,
            [
                "id",
                "buyer_id",
                "seller_id",
                "buyer_alias",
                "seller_alias",
                "created_at",
                "first_order_at",
            ],
        )
        self.order = Table(
            Order,
            [
                "id",
                "number",
                "seller_id",
                "buyer_id",
                "relationship_id",
                "status",
                "placed_at",
                "status_changed_at",
                "shipped_at",
                "delivered_at",
                "canceled_at",
                "ship_name",
                "ship_address",
                "ship_phone",
                "currency",
                "items_total",
                "shipping_total",
                "total",
            ],
        )
        self.item = Table(OrderItem, ["id", "order_id", "product_id", "quantity", "unit_price"])
        self.order_change = Table(OrderStatusChange, ["id", "order_id", "status", "changed_at"])
        self.case = Table(
            Case,
            [
                "id",
                "seller_id",
                "buyer_id",
                "relationship_id",
                "order_id",
                "product_id",
                "contact_reason",
                "subject",
                "status",
                "started_by",
                "created_at",
                "status_changed_at",
                "last_activity_at",
                "buyer_alias",
                "order_number",
            ],
        )
        self.transition = Table(
            CaseTransition,
            ["id", "case_id", "from_status", "to_status", "actor_id", "cause", "created_at"],
        )
        self.message = Table(
            Message,
            [
                "id",
                "case_id",
                "seller_id",
                "order_id",
                "direction",
                "sender_id",
                "channel",
                "contact_reason",
                "subject",
                "body_text",
                "created_at",
                "outcome",
                "outcome_rule",
                "outcome_reason",
                "response_state",
                "responded_at",
                "no_response_needed_at",
                "no_response_needed_by_id",
            ],
        )
        self.attachment = Table(
            Attachment,
            [
                "id",
                "message_id",
                "file",
                "display_name",
                "extension",
                "content_type",
                "size",
                "sha256",
                "created_at",
            ],
        )
        self.report = Table(
            MessageReport, ["id", "message_id", "reporter_id", "reason", "created_at", "status"]
        )
        self.notice = Table(
            BlockedMessageNotice, ["id", "seller_id", "message_id", "created_at", "dismissed_at"]
        )
        self.tables = [
            self.user,
            self.profile,
            self.seller,
            self.membership,
            self.product,
            self.relationship,
            self.order,
            self.item,
            self.order_change,
            self.case,
            self.transition,
            self.message,
            self.attachment,
            self.report,
            self.notice,
        ]
        self.writer = Writer(self.tables)
        self.files = _shared_files()
        self.categories = [c.pk for c in categories_ensure().values()]
        self.buyer_first_id = 0
        self.rare_done = False

    # -- people

    def _user(self, email: str, full_name: str, joined: datetime) -> int:
        pk = self.user.new_id()
        self.user.add((pk, self.password, None, False, email, full_name, False, True, joined))
        return pk

    def buyers(self) -> None:
        self.buyer_first_id = self.user.next_id
        rng = self.rng
        for number in range(1, self.plan.buyers + 1):
            joined = self.now - timedelta(days=rng.uniform(740, 1500))
            pk = self._user(BUYER_EMAIL.format(number), f"Scale Buyer {number}", joined)
            opted_out = rng.random() < 0.02
            self.profile.add(
                (
                    self.profile.new_id(),
                    pk,
                    rng.choice(LANGUAGES),
                    opted_out,
                    joined + timedelta(days=1) if opted_out else None,
                )
            )
            self.writer.maybe_flush()

    def sellers(self) -> list[SellerShare]:
        plan, rng = self.plan, self.rng
        others = plan.sellers - 1
        weights = [1 / (n + ZIPF_OFFSET) for n in range(1, others + 1)]
        orders = _zipf_split(plan.orders - plan.large_orders, weights, 2)
        cases = _zipf_split(plan.cases - plan.large_cases, weights, 1)
        messages = _zipf_split(plan.messages - plan.large_messages, weights, 1)
        shares = [SellerShare(0, 0, plan.large_orders, plan.large_cases, plan.large_messages)]
        shares += [
            SellerShare(i + 1, 0, orders[i], cases[i], max(cases[i], messages[i]))
            for i in range(others)
        ]
        for share in shares:
            large = share.index == 0
            slug = LARGE_SLUG if large else SELLER_SLUG.format(share.index + 1)
            name = LARGE_NAME if large else f"Scale Seller {share.index + 1:04d}"
            created = self.now - timedelta(days=rng.uniform(800, 2000))
            share.seller_id = self.seller.new_id()
            self.seller.add((share.seller_id, name, slug, True, None, False, 7, created))
            members = 5 if large else (2 if share.index < plan.sellers // 10 else 1)
            for m in range(members):
                email = f"owner@{slug}.example" if m == 0 else f"member{m}@{slug}.example"
                user_id = self._user(
                    email, f"{name} {'Owner' if m == 0 else f'Member {m}'}", created
                )
                role = SellerMembership.Role.OWNER if m == 0 else SellerMembership.Role.MEMBER
                self.membership.add(
                    (self.membership.new_id(), share.seller_id, user_id, role.value, created)
                )
                share.members.append(user_id)
            for p in range(50 if large else 5):
                price = Decimal(f"{rng.randint(5, 400)}.{rng.choice(['00', '49', '99'])}")
                pk = self.product.new_id()
                self.product.add(
                    (
                        pk,
                        share.seller_id,
                        rng.choice(self.categories),
                        f"Scale product {p + 1} of {name}",
                        f"SC-{share.index:04d}-{p + 1:03d}",
                        price,
                    )
                )
                share.products.append((pk, price))
        self.writer.maybe_flush()
        return shares

    # -- one seller's orders and cases

    def seller_rows(self, share: SellerShare, progress: Any) -> None:
        rng, now = self.rng, self.now
        ordering = min(self.plan.buyers, max(1, int(share.orders * 0.8)))
        asking = min(self.plan.buyers - ordering, max(1, share.cases // 10))
        buyers = rng.sample(range(self.plan.buyers), ordering + max(0, asking))
        since = now - timedelta(days=731)
        relationships = []  # (id, buyer id, buyer alias)
        for index, buyer_number in enumerate(buyers):
            buyer_id = self.buyer_first_id + buyer_number
            pk = self.relationship.new_id()
            alias = f"{rng.getrandbits(48):012x}@m.alphadiscounters.com"
            seller_alias = f"{rng.getrandbits(48):012x}@m.alphadiscounters.com"
            first_order_at = since if index < ordering else None
            self.relationship.add(
                (pk, buyer_id, share.seller_id, alias, seller_alias, since, first_order_at)
            )
            relationships.append((pk, buyer_id, alias))
        orders = self._orders(share, relationships[:ordering], progress)
        self._cases(share, orders, relationships, progress)

    def _orders(
        self, share: SellerShare, relationships: list[tuple[int, int, str]], progress: Any
    ) -> list[tuple[int, str, int, int, str]]:
        rng, now = self.rng, self.now
        statuses = [s for s, _, _ in ORDER_STATUSES]
        weights = [w for _, w, _ in ORDER_STATUSES]
        ages = {s: a for s, _, a in ORDER_STATUSES}
        orders = []
        for _ in range(share.orders):
            rel_id, buyer_id, alias = rng.choice(relationships)
            status = rng.choices(statuses, weights=weights)[0]
            placed = now - timedelta(days=rng.uniform(*ages[status]))
            changed = min(now, placed + timedelta(days=rng.uniform(0, 4)))
            product_id, price = rng.choice(share.products)
            digits = f"{rng.getrandbits(56) % 10**17:017d}"
            number = f"{digits[:3]}-{digits[3:10]}-{digits[10:]}"
            pk = self.order.new_id()
            shipped = status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED)
            self.order.add(
                (
                    pk,
                    number,
                    share.seller_id,
                    buyer_id,
                    rel_id,
                    status.value,
                    placed,
                    changed,
                    changed if shipped else None,
                    changed if status == OrderStatus.DELIVERED else None,
                    changed if status == OrderStatus.CANCELED else None,
                    f"Scale Buyer {buyer_id - self.buyer_first_id + 1}",
                    f"{rng.randint(1, 999)} Benchmark Way\nSpringfield {rng.randint(10000, 99999)}",
                    "+1-555-000-0000",
                    "USD",
                    price,
                    Decimal("0.00"),
                    price,
                )
            )
            self.item.add((self.item.new_id(), pk, product_id, 1, price))
            self.order_change.add((self.order_change.new_id(), pk, status.value, changed))
            orders.append((pk, number, buyer_id, rel_id, alias))
            self.writer.maybe_flush()
        progress.update(share.orders)
        return orders

    def _message_counts(self, share: SellerShare) -> list[int]:
        """How many messages each case of the seller has, about `share.messages` in all; the
        large seller's first cases have exactly 10 and 50 (the case pages of the benchmark)."""
        rng = self.rng
        extra = max(0, share.messages - share.cases)
        fixed = [10, 50] if share.index == 0 else []
        extra -= sum(n - 1 for n in fixed)
        mean = max(0.0, extra / max(1, share.cases - len(fixed)))
        counts = fixed + [
            1 + min(60, round(rng.expovariate(1 / mean))) if mean > 0 else 1
            for _ in range(share.cases - len(fixed))
        ]
        counts = counts[: share.cases]
        # Exactly the planned number: add or take single messages off random cases.
        missing = share.messages - sum(counts)
        while missing and len(counts) > len(fixed):
            i = rng.randrange(len(fixed), len(counts))
            if missing > 0:
                counts[i] += 1
                missing -= 1
            elif counts[i] > 1:
                counts[i] -= 1
                missing += 1
            elif all(n == 1 for n in counts[len(fixed) :]):
                break
        return counts

    def _cases(
        self,
        share: SellerShare,
        orders: list[tuple[int, str, int, int, str]],
        relationships: list[tuple[int, int, str]],
        progress: Any,
    ) -> None:
        rng = self.rng
        for index, count in enumerate(self._message_counts(share)):
            if share.index == 0 and 2 <= index < 2 + len(EVERY_KIND):
                status, ending = EVERY_KIND[index - 2]
            else:
                status, ending = self._kind()
            if ending == BLOCKED:
                count = 1
            product_id = None
            if orders and rng.random() < 0.65:
                order_id, number, buyer_id, rel_id, alias = rng.choice(orders)
                source = CaseSource(order_id, number, buyer_id, rel_id, alias, None)
            else:
                rel_id, buyer_id, alias = rng.choice(relationships)
                product_id = rng.choice(share.products)[0] if rng.random() < 0.5 else None
                source = CaseSource(None, "", buyer_id, rel_id, alias, product_id)
            self._case(share, status, ending, count, source)
            progress.update(1 + count)
            self.writer.maybe_flush()

    def _kind(self) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.01:
            return CaseStatus.OPENED, BLOCKED
        if roll < 0.29:
            return CaseStatus.OPENED, ResponseState.NEEDED
        if roll < 0.31:
            return CaseStatus.CLOSED, ResponseState.NEEDED  # closed unanswered (R10)
        return answered_case_kind(rng)

    def _case(
        self, share: SellerShare, status: str, ending: str, count: int, source: CaseSource
    ) -> None:
        """One case, its messages (alternating, ending as `ending` says), its transition log
        and, for its last message, a report or a blocked-message notice; consistent with each
        other as the services would leave them."""
        rng, now = self.rng, self.now
        if ending == ResponseState.NEEDED and status == CaseStatus.OPENED:
            hours = rng.uniform(0.05, 72) if rng.random() < 0.8 else rng.uniform(72, 13 * 24)
        else:
            low, high = {
                CaseStatus.OPENED: (0.5, 14 * 24),
                CaseStatus.RESOLVED: (1, 3 * 24),
                CaseStatus.CLOSED: (3 * 24, 730 * 24),
            }[CaseStatus(status)]
            hours = rng.uniform(low, high)
        last_at = now - timedelta(hours=hours)
        seller_last = ending in (ResponseState.RESPONDED, BLOCKED)
        # Directions alternate, ending with the seller when they answered last.
        directions = [
            B2S if (count - 1 - i) % 2 == (1 if seller_last else 0) else S2B for i in range(count)
        ]
        times = [last_at]
        while len(times) < count:
            times.append(times[-1] - timedelta(hours=rng.uniform(0.5, 20)))
        times.reverse()
        subject = rng.choice(BULK_SUBJECTS)
        reason = rng.choice(BuyerContactReason.values)
        channel = Channel.EMAIL.value if rng.random() < 0.2 else Channel.WEB.value
        member = rng.choice(share.members)
        started_by = Case.StartedBy.BUYER if directions[0] == B2S else Case.StartedBy.SELLER
        changed_at = (
            min(now, last_at + timedelta(hours=1)) if status != CaseStatus.OPENED else times[0]
        )
        case_id = self.case.new_id()
        self.case.add(
            (
                case_id,
                share.seller_id,
                source.buyer_id,
                source.relationship_id,
                source.order_id,
                source.product_id,
                reason,
                subject,
                status,
                started_by.value,
                times[0],
                changed_at,
                last_at,
                source.buyer_alias,
                source.order_number,
            )
        )
        opener = source.buyer_id if started_by == Case.StartedBy.BUYER else member
        self.transition.add(
            (self.transition.new_id(), case_id, "", "opened", opener, started_by.value, times[0])
        )
        if status != CaseStatus.OPENED:
            by_seller = ending != ResponseState.NEEDED
            self.transition.add(
                (
                    self.transition.new_id(),
                    case_id,
                    "opened",
                    status,
                    member if by_seller else None,
                    "seller" if by_seller else "closed automatically after 14 days",
                    changed_at,
                )
            )
        for index, (direction, at) in enumerate(zip(directions, times, strict=True)):
            from_buyer = direction == B2S
            final = index + 1 == count
            state, responded_at, nrn_at, nrn_by = "", None, None, None
            outcome: tuple[str, str, str] = (Outcome.DELIVERED.value, "", "")
            if from_buyer and not final:
                state, responded_at = ResponseState.RESPONDED.value, times[index + 1]
            elif from_buyer:
                state = ending
                if ending == ResponseState.NO_RESPONSE_NEEDED:
                    nrn_at, nrn_by = at + timedelta(minutes=20), member
            elif final and ending == BLOCKED:
                outcome = (Outcome.BLOCKED.value, "R2", "The buyer opted out of such messages.")
            if not self.rare_done or rng.random() < 1 / RARE_EVERY:
                text, self.rare_done = RARE_TEXT, True
            else:
                text = rng.choice(BULK_BUYER_TEXTS if from_buyer else BULK_SELLER_TEXTS)
            pk = self.message.new_id()
            self.message.add(
                (
                    pk,
                    case_id,
                    share.seller_id,
                    source.order_id,
                    direction,
                    source.buyer_id if from_buyer else member,
                    channel,
                    reason,
                    subject if index == 0 else f"Re: {subject}",
                    text,
                    at,
                    *outcome,
                    state,
                    responded_at,
                    nrn_at,
                    nrn_by,
                )
            )
            if from_buyer and rng.random() < ATTACHMENT_SHARE:
                name, display, extension, content_type, size, digest = rng.choice(self.files)
                self.attachment.add(
                    (self.attachment.new_id(), pk, name, display, extension, content_type)
                    + (size, digest, at)
                )
            if final and ending == BLOCKED:
                dismissed = at + timedelta(days=1) if at < now - timedelta(days=2) else None
                self.notice.add((self.notice.new_id(), share.seller_id, pk, at, dismissed))
            elif final and ending == ResponseState.REPORTED:
                self.report.add(
                    (
                        self.report.new_id(),
                        pk,
                        member,
                        ReportReason.SPAM.value,
                        at + timedelta(minutes=30),
                        MessageReport.Status.OPEN.value,
                    )
                )

    # -- the whole run

    def build(self, progress_factory: Callable[..., Any]) -> dict[str, int]:
        self.buyers()
        shares = self.sellers()
        total = sum(s.orders + s.cases + s.messages for s in shares)
        with progress_factory(total=total, desc="orders, cases, messages", unit="row") as progress:
            for share in shares:
                self.seller_rows(share, progress)
            self.writer.flush()
        return {t.model.__name__: t.next_id - t.first_id for t in self.tables}


def _time(seconds: dict[str, float], key: str, started: float) -> float:
    now = time.perf_counter()
    seconds[key] = now - started
    return now


def scale_seed(
    *, scale: float, seed: int = 2026, progress_factory: Callable[..., Any] = tqdm, log: Any = None
) -> ScaleResult:
    """Build the data set (in one transaction). See the module docstring."""

    def say(text: str) -> None:
        if log is not None:
            log(text)

    plan = ScalePlan.for_scale(scale)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with transaction.atomic():
        builder = ScaleBuilder(plan, seed, timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Foreign keys hold by construction; skip their per-row checks (superuser only).
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except Exception:  # noqa: BLE001, S110  (not a superuser: the checks stay on)
                pass
            dropped = _secondary_indexes(
                [t.name for t in builder.tables] + [CaseSearchText._meta.db_table]
            )
            for name, _ in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
        say(f"dropped {len(dropped)} secondary indexes for the load")
        counts = builder.build(progress_factory)
        started = _time(seconds, "rows", started)
        say("computing the inbox summaries")
        case_summaries_refresh_id_range(builder.case.first_id, builder.case.next_id - 1)
        case_search_texts_fill(builder.case.first_id, builder.case.next_id - 1)
        started = _time(seconds, "summaries", started)
        with connection.cursor() as cursor:
            for _name, definition in tqdm(dropped, desc="indexes", unit="index", disable=not log):
                cursor.execute(definition)
            cursor.execute("SET LOCAL session_replication_role = origin")
        builder.writer.sequences_set()
        started = _time(seconds, "indexes", started)
        large_id = builder.seller.first_id
    # Orders and messages dated today went in past the services: R8's figures cached for these
    # sellers (their order volume, their messages delivered today) are counted again.
    today = timezone.now().date()
    for seller_id in range(builder.seller.first_id, builder.seller.next_id):
        order_volume_forget(seller_id=seller_id, today=today)
        sent_today_forget(seller_id=seller_id, today=today)
    return ScaleResult(counts=counts, large_seller_id=large_id, seconds=seconds)


def vacuum_analyze() -> None:
    """What autovacuum gives a database in steady state: statistics and the visibility map."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
