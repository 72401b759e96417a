"""Demo data for `make run` and for benchmarks. Safe to run again: it only adds what is missing."""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from accounts.demo_content import (
    ABUSIVE_TEXT,
    ASK_SHARE,
    BENCH_BUYER_EMAIL,
    BENCH_BUYERS_PER_CASES,
    BULK_BUYER_TEXTS,
    BULK_NEEDS_RESPONSE_SHARE,
    BULK_ORDER_CASE_SHARE,
    BULK_SELLER_TEXTS,
    BULK_SUBJECTS,
    DEMO_CASE_PLAN,
    PROACTIVE_BLOCKED,
    PROACTIVE_CRITICAL,
    PROACTIVE_DELIVERED,
    SELLER_LETTER,
    SIZE_CHART_LINES,
    SPAM_TOPIC,
    THANKS,
    TOPICS,
    TRANSLATED_SHARE,
    CaseScript,
    case_steps,
    demo_pdf,
    demo_png,
    invoice_pdf,
)
from accounts.models import BuyerProfile, SellerAccount, SellerMembership, User
from cases.models import Case, CaseStatus, CaseTransition
from cases.services import case_transition
from messaging import services
from messaging.aliases import alias_generate
from messaging.attachments import IncomingAttachment
from messaging.models import (
    Attachment,
    BlockedMessageNotice,
    BuyerContactReason,
    Channel,
    Direction,
    Message,
    MessageReport,
    Relationship,
    ReportReason,
    ResponseState,
)
from messaging.services import relationship_get_or_create
from orders.models import Category, Order, OrderItem, OrderStatus, OrderStatusChange, Product
from orders.services import OrderLine, order_create, order_number_generate, order_set_status

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  (published demo login)
DEMO_ORDERS = 200
BULK_BATCH = 2000

CATEGORIES = [
    # name, customizable, scheduled delivery, warranty
    ("Handmade", True, False, False),
    ("Furniture", False, True, False),
    ("Large Appliances", False, True, True),
    ("Electronics", False, False, True),
    ("Books", False, False, False),
    ("Clothing", False, False, False),
    ("Kitchen", False, False, False),
    ("Toys", False, False, False),
]

SELLERS = [
    # business name, slug, members (email, full name, role), products (title, category, price)
    (
        "Acme Outfitters",
        "acme-outfitters",
        [
            ("owner@acme-outfitters.example", "Alex Rivera", SellerMembership.Role.OWNER),
            ("member@acme-outfitters.example", "Sam Okafor", SellerMembership.Role.MEMBER),
        ],
        [
            ("Trail Runner Rain Jacket", "Clothing", "89.00"),
            ("Merino Hiking Socks (3 pack)", "Clothing", "24.50"),
            ("Solar Camping Lantern", "Electronics", "39.99"),
            ("Bluetooth Trail Speaker", "Electronics", "59.00"),
            ("Enamel Camp Mug", "Kitchen", "14.00"),
            ("Field Guide to North American Birds", "Books", "22.95"),
        ],
    ),
    (
        "Nordic Home Furnishings",
        "nordic-home",
        [("owner@nordic-home.example", "Ingrid Larsen", SellerMembership.Role.OWNER)],
        [
            ("Oak Dining Table", "Furniture", "749.00"),
            ("Three-Seat Linen Sofa", "Furniture", "1299.00"),
            ("Compact Dishwasher", "Large Appliances", "549.00"),
            ("Wool Throw Blanket", "Handmade", "79.00"),
            ("Cast Iron Skillet", "Kitchen", "45.00"),
        ],
    ),
    (
        "Kyoto Handmade",
        "kyoto-handmade",
        [("owner@kyoto-handmade.example", "Haruto Sato", SellerMembership.Role.OWNER)],
        [
            ("Personalized Hinoki Name Stamp", "Handmade", "35.00"),
            ("Hand-thrown Matcha Bowl", "Handmade", "68.00"),
            ("Indigo-dyed Furoshiki", "Handmade", "29.00"),
            ("Wooden Puzzle Box", "Toys", "42.00"),
        ],
    ),
]

BUYERS = [
    ("Emma Johnson", "en"), ("Lukas Schmidt", "de"), ("Chloé Martin", "fr"),
    ("Sofía García", "es"), ("Yuki Tanaka", "ja"), ("Oliver Smith", "en"),
    ("Anna Müller", "de"), ("Louis Bernard", "fr"), ("Mateo López", "es"),
    ("Sakura Suzuki", "ja"), ("Ava Williams", "en"), ("Felix Wagner", "de"),
    ("Léa Dubois", "fr"), ("Lucía Martínez", "es"), ("Ren Yamamoto", "ja"),
    ("Noah Brown", "en"), ("Mia Becker", "de"), ("Hugo Moreau", "fr"),
    ("Carmen Ruiz", "es"), ("Liam Davis", "en"),
]  # fmt: skip
OPTED_OUT_BUYERS = {2, 6, 11, 17}  # indexes of buyers who opted out of unsolicited messages

STREETS = ["Maple Ave", "Harbor Rd", "Lindenstraße", "Rue de la Paix", "Calle Mayor", "Sakura-dori"]
STATUS_WEIGHTS = [
    (OrderStatus.PENDING, 10),
    (OrderStatus.UNSHIPPED, 25),
    (OrderStatus.SHIPPED, 25),
    (OrderStatus.DELIVERED, 55),
    (OrderStatus.CANCELED, 8),
]


def _user(email: str, full_name: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _buyer_email(index: int) -> str:
    return f"buyer{index + 1:02d}@example.com"


class Command(BaseCommand):
    help = (
        "Create demo sellers, buyers, staff, orders and buyer-seller cases (idempotent) and print "
        "the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--orders",
            type=int,
            default=0,
            help="Make sure the first demo seller has at least this many orders, inserted in bulk "
            "(for benchmarks).",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            help="Make sure the first demo seller has at least this many cases, inserted in bulk "
            "with their messages (for benchmarks).",
        )
        parser.add_argument(
            "--messages-per-case",
            type=int,
            default=10,
            help="Messages in each case added by --cases (default 10).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed for demo data.")

    def handle(self, *args, orders: int, cases: int, messages_per_case: int, seed: int, **options):
        rng = random.Random(seed)
        with transaction.atomic():
            categories = self._categories()
            sellers = self._sellers(categories)
            buyers = self._buyers()
            staff = _user(
                "staff@alphadiscounters.example", "Dana Staff", is_staff=True, is_superuser=True
            )
            if not Order.objects.filter(seller__in=sellers).exists():
                self._orders(rng, sellers, buyers)
        # Cases go through the messaging services, each in its own transaction, as in the app.
        self._demo_cases(random.Random(seed + 1), sellers, buyers)
        self._demo_proactive(sellers)
        if orders:
            self._bulk_orders(rng, sellers[0], buyers, orders)
        if cases:
            self._bulk_cases(random.Random(seed + 2), sellers[0], cases, messages_per_case)
        self._print_logins(sellers, buyers, staff)

    # ---- reference data

    def _categories(self) -> dict[str, Category]:
        categories = {}
        for name, customizable, scheduled, warranty in CATEGORIES:
            categories[name], _ = Category.objects.update_or_create(
                name=name,
                defaults={
                    "customizable": customizable,
                    "scheduled_delivery": scheduled,
                    "warranty": warranty,
                },
            )
        return categories

    def _sellers(self, categories: dict[str, Category]) -> list[SellerAccount]:
        sellers = []
        for business_name, slug, members, products in SELLERS:
            seller, _ = SellerAccount.objects.get_or_create(
                slug=slug, defaults={"business_name": business_name}
            )
            for email, full_name, role in members:
                user = _user(email, full_name)
                SellerMembership.objects.get_or_create(
                    user=user, defaults={"seller": seller, "role": role}
                )
            for number, (title, category, price) in enumerate(products, start=1):
                Product.objects.get_or_create(
                    seller=seller,
                    sku=f"{slug[:4].upper()}-{number:03d}",
                    defaults={
                        "title": title,
                        "category": categories[category],
                        "price": Decimal(price),
                    },
                )
            sellers.append(seller)
        return sellers

    def _buyers(self) -> list[User]:
        buyers = []
        for index, (full_name, language) in enumerate(BUYERS):
            user = _user(_buyer_email(index), full_name)
            opted_out = index in OPTED_OUT_BUYERS
            BuyerProfile.objects.get_or_create(
                user=user,
                defaults={
                    "preferred_language": language,
                    "opted_out_of_unsolicited": opted_out,
                    "opted_out_at": timezone.now() if opted_out else None,
                },
            )
            buyers.append(user)
        return buyers

    # ---- orders

    def _address(self, rng: random.Random, buyer: User) -> tuple[str, str, str]:
        street = f"{rng.randint(1, 999)} {rng.choice(STREETS)}"
        city = rng.choice(["Springfield 62701", "10115 Berlin", "75002 Paris", "28013 Madrid"])
        phone = f"+1-555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}"
        return buyer.full_name, f"{street}\n{city}", phone

    def _orders(self, rng: random.Random, sellers: list[SellerAccount], buyers: list[User]):
        now = timezone.now()
        products = {seller.pk: list(seller.products.all()) for seller in sellers}
        statuses = [status for status, _ in STATUS_WEIGHTS]
        weights = [weight for _, weight in STATUS_WEIGHTS]
        for _ in range(DEMO_ORDERS):
            seller = rng.choices(sellers, weights=[5, 3, 2])[0]
            buyer = rng.choice(buyers)
            status = rng.choices(statuses, weights=weights)[0]
            placed_at = now - timedelta(days=rng.uniform(0.1, 75))
            lines = [
                OrderLine(product, rng.randint(1, 2))
                for product in rng.sample(products[seller.pk], k=rng.choice([1, 1, 1, 2]))
            ]
            name, address, phone = self._address(rng, buyer)
            order = order_create(
                buyer=buyer,
                seller=seller,
                lines=lines,
                ship_name=name,
                ship_address=address,
                ship_phone=phone,
                shipping_total=Decimal(rng.choice(["0.00", "4.99", "9.99"])),
                placed_at=placed_at,
            )
            self._advance(rng, order, status, now)

    def _advance(self, rng, order: Order, status: OrderStatus, now) -> None:
        """Walk an order through the statuses before `status`, at plausible times."""
        path = {
            OrderStatus.PENDING: [],
            OrderStatus.UNSHIPPED: [OrderStatus.UNSHIPPED],
            OrderStatus.SHIPPED: [OrderStatus.UNSHIPPED, OrderStatus.SHIPPED],
            OrderStatus.DELIVERED: [
                OrderStatus.UNSHIPPED,
                OrderStatus.SHIPPED,
                OrderStatus.DELIVERED,
            ],
            OrderStatus.CANCELED: [OrderStatus.CANCELED],
        }[status]
        at = order.placed_at
        remaining = path[:]
        while remaining:
            step = remaining.pop(0)
            left = (now - at).total_seconds()
            at = at + timedelta(seconds=left * rng.uniform(0.05, 0.5))
            order_set_status(order=order, status=step, at=at)

    def _bulk_orders(self, rng, seller: SellerAccount, buyers: list[User], wanted: int) -> None:
        """Add orders in bulk until `seller` has `wanted` (benchmarks; no per-row services)."""
        missing = wanted - Order.objects.filter(seller=seller).count()
        if missing <= 0:
            return
        now = timezone.now()
        relationships = [relationship_get_or_create(buyer=b, seller=seller) for b in buyers]
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
                    orders.append(
                        Order(
                            number=number,
                            seller=seller,
                            buyer_id=relationship.buyer_id,
                            relationship=relationship,
                            status=status,
                            placed_at=placed_at,
                            status_changed_at=changed_at,
                            shipped_at=changed_at if status in ("shipped", "delivered") else None,
                            delivered_at=changed_at if status == "delivered" else None,
                            canceled_at=changed_at if status == "canceled" else None,
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
                                order=o,
                                product=product_of[o.number],
                                quantity=1,
                                unit_price=o.total,
                            )
                            for o in orders
                        ],
                        batch_size=BULK_BATCH,
                    )
                    OrderStatusChange.objects.bulk_create(
                        [
                            OrderStatusChange(
                                order=o, status=o.status, changed_at=o.status_changed_at
                            )
                            for o in orders
                        ],
                        batch_size=BULK_BATCH,
                    )
                missing -= batch
                progress.update(batch)

    # ---- demo cases (through the services)

    def _demo_cases(self, rng: random.Random, sellers: list[SellerAccount], buyers: list[User]):
        """Realistic cases in every state for each demo seller that has none yet."""
        now = timezone.now()
        for seller in sellers:
            if Case.objects.filter(seller=seller).exists():
                continue
            members = list(User.objects.filter(seller_membership__seller=seller).order_by("email"))
            orders = list(
                seller.orders.filter(placed_at__gte=now - timedelta(days=120))
                .select_related("buyer__buyer_profile")
                .prefetch_related("items__product__category")
                .order_by("-placed_at")[:400]
            )
            shapes = [
                shape for shape, count in DEMO_CASE_PLAN[seller.slug].items() for _ in range(count)
            ]
            rng.shuffle(shapes)
            used: set[int] = set()
            for shape in shapes:
                self._demo_case(
                    rng,
                    now,
                    shape,
                    seller=seller,
                    members=members,
                    orders=orders,
                    used=used,
                    buyers=buyers,
                )

    def _demo_proactive(self, sellers: list[SellerAccount]):
        """Contact Buyer messages as sellers send them, for each seller that has sent none: one
        delivered, one that an opted-out buyer never received (R2; its "not delivered" notice
        waits in the inbox, R4), a critical one the same buyer did receive (R3), and a review
        request (R17). Each is backdated by `hours_ago`, after its order last changed."""
        now = timezone.now()
        for seller in sellers:
            if Case.objects.filter(seller=seller, started_by=Case.StartedBy.SELLER).exists():
                continue
            member = User.objects.filter(seller_membership__seller=seller).order_by("email")[0]
            orders = seller.orders.select_related("buyer__buyer_profile").order_by("-placed_at")
            unshipped = list(
                orders.filter(
                    status=OrderStatus.UNSHIPPED, status_changed_at__lt=now - timedelta(days=2)
                )[:100]
            )
            sends = []  # (order, (reason, subject, body), hours_ago)
            for order in unshipped:
                if not order.buyer.buyer_profile.opted_out_of_unsolicited:
                    sends.append((order, PROACTIVE_DELIVERED, 30))
                    break
            for order in unshipped:
                if order.buyer.buyer_profile.opted_out_of_unsolicited:
                    sends += [(order, PROACTIVE_BLOCKED, 28), (order, PROACTIVE_CRITICAL, 27)]
                    break
            for order, (reason, subject, body), hours_ago in sends:
                draft = services.Draft(
                    subject=subject,
                    body_text=body.format(first_name=order.buyer.get_short_name()),
                    contact_reason=reason,
                )
                self._sent_at(
                    now - timedelta(hours=hours_ago),
                    partial(services.case_open_by_seller, sender=member, order=order, draft=draft),
                )
            reviewable = orders.filter(
                status=OrderStatus.DELIVERED,
                delivered_at__range=(now - timedelta(days=25), now - timedelta(days=6)),
                buyer__buyer_profile__opted_out_of_unsolicited=False,
            ).first()
            if reviewable is not None and services.review_request_refusal(reviewable) is None:
                self._sent_at(
                    now - timedelta(hours=24),
                    partial(services.review_request_send, sender=member, order=reviewable),
                )

    def _sent_at(self, at: datetime, send) -> None:
        """Send a message now through `send`, then move it and its new case back to `at`."""
        since = timezone.now()
        case = send().case
        self._backdate(case, since=since, at=at)
        services.case_summary_refresh(case)

    def _pick_topic(self, rng, seller, orders, used, start, *, ask: bool):
        """A topic for the seller and, unless it is an Ask-a-question, an order it fits."""
        topics = [t for t in TOPICS if t.seller_slug in ("", seller.slug)]
        questions = [t for t in topics if not t.statuses]
        if ask:
            return rng.choice(questions), None
        fitting = []
        for topic in topics:
            if not topic.statuses:
                continue
            candidates = [
                order
                for order in orders
                if order.pk not in used
                and order.status in topic.statuses
                and order.status_changed_at < start - timedelta(hours=1)
                and (
                    not topic.category
                    or any(i.product.category.name == topic.category for i in order.items.all())
                )
            ]
            if candidates:
                fitting.append((topic, candidates))
        if not fitting:
            return rng.choice(questions), None
        topic, candidates = rng.choice(fitting)
        order = rng.choice(candidates)
        used.add(order.pk)
        return topic, order

    def _demo_case(self, rng, now, shape, *, seller, members, orders, used, buyers) -> Case:
        """Play one case's steps through the services, each moved back to its time."""
        steps = case_steps(shape, rng)
        start = now - timedelta(hours=steps[0][1])
        if shape == "spam":
            topic, order = SPAM_TOPIC, None
        else:
            topic, order = self._pick_topic(
                rng, seller, orders, used, start, ask=rng.random() < ASK_SHARE
            )
        buyer = order.buyer if order is not None else rng.choice(buyers)
        language = (
            BuyerProfile.objects.filter(user=buyer)
            .values_list("preferred_language", flat=True)
            .first()
        )
        opening, follow_up = topic.buyer, topic.follow_up
        if language in topic.translations and rng.random() < TRANSLATED_SHARE:
            opening, follow_up = topic.translations[language]
        else:
            language = "en"
        product = topic.product
        if order is not None:
            items = list(order.items.all())
            matching = [i for i in items if i.product.category.name == topic.category]
            product = (matching or items)[0].product.title
        fill = {
            "order": order.number if order else "",
            "product": product,
            "first_name": buyer.get_short_name(),
        }
        script = CaseScript(
            shape=shape,
            seller=seller,
            buyer=buyer,
            order=order,
            topic=topic,
            opening=opening.format(**fill),
            follow_up=follow_up.format(**fill),
            seller_text=topic.seller.format(**fill),
            language=language,
            product=(
                Product.objects.filter(seller=seller, title=topic.product).first()
                if order is None
                else None
            ),
        )
        case = None
        for action, hours_ago in steps:
            since = timezone.now()
            case = self._demo_step(rng, action, script, case=case, member=rng.choice(members))
            self._backdate(case, since=since, at=now - timedelta(hours=hours_ago))
        case = Case.objects.get(pk=case.pk)
        services.case_summary_refresh(case)
        return case

    def _demo_step(self, rng, action: str, script: CaseScript, *, case, member) -> Case:
        if action == "open":
            files = []
            if script.topic.buyer_file == "photo":
                name = f"IMG_{rng.randint(1000, 9999)}.png"
                files.append(IncomingAttachment(name, demo_png(rng)))
            draft = services.Draft(
                subject=script.topic.subject,
                body_text=script.opening,
                contact_reason=script.topic.reason,
                attachments=files,
            )
            return services.case_open_by_buyer(
                buyer=script.buyer,
                seller=script.seller,
                order=script.order,
                product=script.product,
                draft=draft,
            ).case
        if action == "reply":
            body = SELLER_LETTER.format(
                first_name=script.buyer.get_short_name(),
                body=script.seller_text,
                signer=member.get_short_name(),
                business=script.seller.business_name,
            )
            files = []
            if script.topic.seller_file == "invoice":
                pdf = invoice_pdf(script.order, script.seller.business_name)
                files.append(IncomingAttachment(f"invoice-{script.order.number}.pdf", pdf))
            elif script.topic.seller_file == "size-chart":
                files.append(IncomingAttachment("size-chart.pdf", demo_pdf(SIZE_CHART_LINES)))
            draft = services.Draft(body_text=body, attachments=files)
            services.message_reply_by_seller(sender=member, case=case, draft=draft)
        elif action in ("follow_up", "thanks", "abuse"):
            body = {
                "follow_up": script.follow_up,
                "thanks": rng.choice(THANKS[script.language]),
                "abuse": ABUSIVE_TEXT,
            }[action]
            draft = services.Draft(body_text=body)
            services.message_reply_by_buyer(buyer=script.buyer, case=case, draft=draft)
        elif action in ("nrn", "report"):
            latest = (
                Message.objects.filter(case=case, direction=Direction.BUYER_TO_SELLER)
                .order_by("-created_at", "-id")
                .first()
            )
            if action == "nrn":
                services.message_mark_no_response_needed(message=latest, actor=member)
            else:
                reason = ReportReason.SPAM if script.shape == "spam" else ReportReason.ABUSIVE
                services.message_report(message=latest, reporter=member, reason=reason)
        elif action in ("resolve", "close"):
            to_status = CaseStatus.RESOLVED if action == "resolve" else CaseStatus.CLOSED
            services.seller_case_change_state(case=case, actor=member, to_status=to_status)
        elif action == "auto_close":  # what the R10 task does to a case left Resolved
            days = settings.CASE_RESOLVED_CLOSE_DAYS
            cause = f"auto-close after {days} days resolved"
            case_transition(case=case, to_status=CaseStatus.CLOSED, actor=None, cause=cause)
        else:
            raise ValueError(f"Unknown demo step {action!r}")
        return case

    @staticmethod
    @transaction.atomic
    def _backdate(case: Case, *, since: datetime, at: datetime) -> None:
        """Move what the last step stored (stamped at or after `since`) back to `at`, so demo
        cases have a history: waiting times under and over 24 hours, older closed cases."""
        messages = Message.objects.filter(case=case)
        for name in ("created_at", "responded_at", "no_response_needed_at"):
            messages.filter(**{f"{name}__gte": since}).update(**{name: at})
        Attachment.objects.filter(message__case=case, created_at__gte=since).update(created_at=at)
        MessageReport.objects.filter(message__case=case, created_at__gte=since).update(
            created_at=at
        )
        BlockedMessageNotice.objects.filter(message__case=case, created_at__gte=since).update(
            created_at=at
        )
        CaseTransition.objects.filter(case=case, created_at__gte=since).update(created_at=at)
        cases = Case.objects.filter(pk=case.pk)
        for name in ("created_at", "status_changed_at", "last_activity_at"):
            cases.filter(**{f"{name}__gte": since}).update(**{name: at})

    # ---- bulk cases (benchmarks)

    def _bench_relationships(self, seller: SellerAccount, count: int) -> list[Relationship]:
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

    def _bulk_cases(self, rng: random.Random, seller: SellerAccount, wanted: int, per_case: int):
        """Add cases with `per_case` messages each until `seller` has `wanted` (benchmarks).

        Rows are inserted in bulk with the inbox summary the services would have computed:
        about 30% need a response, waiting up to 3 days; the rest are answered, marked No
        Response Needed or reported, and mostly closed.
        """
        missing = wanted - Case.objects.filter(seller=seller).count()
        if missing <= 0:
            return
        now = timezone.now()
        members = list(
            User.objects.filter(seller_membership__seller=seller).values_list("pk", flat=True)
        )
        orders = list(
            Order.objects.filter(seller=seller)
            .order_by("-placed_at")
            .values_list(
                "pk", "number", "buyer_id", "relationship_id", "relationship__buyer_alias"
            )[:20000]
        )
        bench = [
            (None, "", r.buyer_id, r.pk, r.buyer_alias)
            for r in self._bench_relationships(seller, max(20, wanted // BENCH_BUYERS_PER_CASES))
        ]
        with tqdm(total=missing, desc=f"cases for {seller}", unit="case") as progress:
            while missing > 0:
                batch = min(BULK_BATCH, missing)
                specs = []
                for _ in range(batch):
                    source = (
                        rng.choice(orders)
                        if orders and rng.random() < BULK_ORDER_CASE_SHARE
                        else rng.choice(bench)
                    )
                    specs.append(self._bulk_case(rng, now, seller, members, source, per_case))
                with transaction.atomic():
                    cases = Case.objects.bulk_create([s[0] for s in specs], batch_size=BULK_BATCH)
                    if cases[0].pk is None:
                        raise RuntimeError("--cases needs a database that returns inserted ids.")
                    rows, transitions = [], []
                    for case, messages, case_transitions in specs:
                        for message in messages:
                            message.case_id = case.pk
                        for transition in case_transitions:
                            transition.case_id = case.pk
                        rows.extend(messages)
                        transitions.extend(case_transitions)
                    Message.objects.bulk_create(rows, batch_size=BULK_BATCH)
                    CaseTransition.objects.bulk_create(transitions, batch_size=BULK_BATCH)
                    MessageReport.objects.bulk_create(
                        [
                            MessageReport(
                                message=m,
                                reporter_id=rng.choice(members),
                                reason=ReportReason.SPAM,
                                created_at=m.created_at + timedelta(minutes=30),
                            )
                            for m in rows
                            if m.response_state == ResponseState.REPORTED
                        ],
                        batch_size=BULK_BATCH,
                    )
                missing -= batch
                progress.update(batch)

    def _bulk_case(self, rng, now, seller, members, source, per_case):
        """One case row, its messages (oldest first) and its transition log, consistent with
        each other as the services would leave them."""
        order_id, order_number, buyer_id, relationship_id, buyer_alias = source
        if rng.random() < BULK_NEEDS_RESPONSE_SHARE:
            status, ending = CaseStatus.OPENED, ResponseState.NEEDED
            last_at = now - timedelta(hours=rng.uniform(0.05, 72))
        else:
            status = rng.choices(
                [CaseStatus.CLOSED, CaseStatus.OPENED, CaseStatus.RESOLVED], weights=[60, 25, 15]
            )[0]
            ending = rng.choices(
                [ResponseState.RESPONDED, ResponseState.NO_RESPONSE_NEEDED, ResponseState.REPORTED],
                weights=[85, 12, 3],
            )[0]
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
        other = {
            Direction.SELLER_TO_BUYER: Direction.BUYER_TO_SELLER,
            Direction.BUYER_TO_SELLER: Direction.SELLER_TO_BUYER,
        }
        directions = [last]
        while len(directions) < per_case:
            directions.append(other[directions[-1]])
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
                order_id=order_id,
                direction=direction,
                sender_id=buyer_id if from_buyer else member,
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

        latest = messages[-1]
        snippet = " ".join(latest.body_text.split())[: services.SNIPPET_LENGTH]
        started_by = (
            Case.StartedBy.BUYER
            if directions[0] == Direction.BUYER_TO_SELLER
            else Case.StartedBy.SELLER
        )
        changed_at = (
            min(now, last_at + timedelta(hours=1)) if status != CaseStatus.OPENED else times[0]
        )
        case = Case(
            seller_id=seller.pk,
            buyer_id=buyer_id,
            relationship_id=relationship_id,
            order_id=order_id,
            contact_reason=reason,
            subject=subject,
            status=status,
            started_by=started_by,
            created_at=times[0],
            status_changed_at=changed_at,
            last_activity_at=last_at,
            buyer_alias=buyer_alias,
            order_number=order_number,
            needs_response=ending == ResponseState.NEEDED,
            waiting_since=last_at if ending == ResponseState.NEEDED else None,
            responded=any(m.response_state == ResponseState.RESPONDED for m in messages),
            has_no_response_needed=ending == ResponseState.NO_RESPONSE_NEEDED,
            has_sent=Direction.SELLER_TO_BUYER in directions,
            reported=ending == ResponseState.REPORTED,
            message_count=len(messages),
            latest_message_at=last_at,
            latest_direction=latest.direction,
            latest_snippet=snippet,
            buyer_latest_at=last_at,
            buyer_latest_snippet=snippet,
        )
        opener = buyer_id if started_by == Case.StartedBy.BUYER else member
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
        return case, messages, transitions

    def _print_logins(self, sellers, buyers, staff) -> None:
        base_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
        self.stdout.write(f"Seller Central: {base_url}/  (sign in at {base_url}/accounts/login/)")
        for _, _, members, _ in SELLERS:
            for email, _, _ in members:
                self.stdout.write(f"seller {email} {DEMO_PASSWORD}")
        self.stdout.write(f"buyer {buyers[0].email} {DEMO_PASSWORD}")
        self.stdout.write(f"buyer {buyers[min(OPTED_OUT_BUYERS)].email} {DEMO_PASSWORD}")
        self.stdout.write(f"staff {staff.email} {DEMO_PASSWORD}")
