"""The demo's cast and catalogue: categories, sellers with their members and products, buyers,
staff, and a few hundred orders placed and moved on through `orders.services`.

Users, seller accounts, memberships, categories and products have no service of their own (they
come from sign-up and the catalogue, outside this project), so they are created directly, each
only when missing. Buyer settings go through `accounts.services.buyer_profile_update`.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from accounts.models import BuyerProfile, SellerAccount, SellerMembership, User
from accounts.services import buyer_profile_update
from orders.models import Category, Order, OrderStatus, Product
from orders.services import OrderLine, order_create, order_set_status

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  (published demo login)
DEMO_ORDERS = 200
STAFF = ("staff@alphadiscounters.example", "Dana Staff")

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
CITIES = ["Springfield 62701", "10115 Berlin", "75002 Paris", "28013 Madrid"]
STATUS_WEIGHTS = [
    (OrderStatus.PENDING, 10),
    (OrderStatus.UNSHIPPED, 25),
    (OrderStatus.SHIPPED, 25),
    (OrderStatus.DELIVERED, 55),
    (OrderStatus.CANCELED, 8),
]
# The statuses an order passes through on its way to each status.
STATUS_PATHS: dict[str, list[OrderStatus]] = {
    OrderStatus.PENDING: [],
    OrderStatus.UNSHIPPED: [OrderStatus.UNSHIPPED],
    OrderStatus.SHIPPED: [OrderStatus.UNSHIPPED, OrderStatus.SHIPPED],
    OrderStatus.DELIVERED: [OrderStatus.UNSHIPPED, OrderStatus.SHIPPED, OrderStatus.DELIVERED],
    OrderStatus.CANCELED: [OrderStatus.CANCELED],
}


def demo_user(email: str, full_name: str, **fields: Any) -> User:
    """The demo user with this email, created with the demo password if missing."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def buyer_email(index: int) -> str:
    return f"buyer{index + 1:02d}@example.com"


def categories_ensure() -> dict[str, Category]:
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


def sellers_ensure(categories: dict[str, Category]) -> list[SellerAccount]:
    """The demo sellers, their members and products, in the order of SELLERS."""
    sellers = []
    for business_name, slug, members, products in SELLERS:
        seller, _ = SellerAccount.objects.get_or_create(
            slug=slug, defaults={"business_name": business_name}
        )
        for email, full_name, role in members:
            user = demo_user(email, full_name)
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


def buyers_ensure() -> list[User]:
    """The demo buyers; a new buyer's language and opt-out (R2) are saved as the buyer's own
    settings page saves them. Settings a demo buyer changed since are kept."""
    buyers = []
    for index, (full_name, language) in enumerate(BUYERS):
        user = demo_user(buyer_email(index), full_name)
        if not BuyerProfile.objects.filter(user=user).exists():
            buyer_profile_update(
                user=user, preferred_language=language, opted_out=index in OPTED_OUT_BUYERS
            )
        buyers.append(user)
    return buyers


def staff_ensure() -> User:
    email, full_name = STAFF
    return demo_user(email, full_name, is_staff=True, is_superuser=True)


def _address(rng: random.Random, buyer: User) -> tuple[str, str, str]:
    street = f"{rng.randint(1, 999)} {rng.choice(STREETS)}"
    phone = f"+1-555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}"
    return buyer.full_name, f"{street}\n{rng.choice(CITIES)}", phone


def order_place(
    rng: random.Random,
    *,
    seller: SellerAccount,
    buyer: User,
    status: OrderStatus,
    placed_at: datetime,
    until: datetime,
) -> Order:
    """An order placed at `placed_at` and moved on to `status` at plausible times before
    `until`, through `orders.services`."""
    products = list(seller.products.order_by("sku"))
    lines = [
        OrderLine(product, rng.randint(1, 2))
        for product in rng.sample(products, k=min(len(products), rng.choice([1, 1, 1, 2])))
    ]
    name, address, phone = _address(rng, buyer)
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
    at = placed_at
    for step in STATUS_PATHS[status]:
        at = at + (until - at) * rng.uniform(0.05, 0.5)
        order_set_status(order=order, status=step, at=at)
    return order


def orders_ensure(
    rng: random.Random, sellers: list[SellerAccount], buyers: list[User], now: datetime
) -> None:
    """DEMO_ORDERS orders of the last 75 days, once (nothing is added when the demo sellers
    have orders already)."""
    if Order.objects.filter(seller__in=sellers).exists():
        return
    statuses = [status for status, _ in STATUS_WEIGHTS]
    weights = [weight for _, weight in STATUS_WEIGHTS]
    for _ in range(DEMO_ORDERS):
        seller = rng.choices(sellers, weights=[5, 3, 2])[0]
        order_place(
            rng,
            seller=seller,
            buyer=rng.choice(buyers),
            status=rng.choices(statuses, weights=weights)[0],
            placed_at=now - timedelta(days=rng.uniform(0.1, 75)),
            until=now,
        )


DEMO_MAILBOX = "inbox@{domain}"


def email_channel_ensure(seller: SellerAccount) -> None:
    """The first demo seller reads buyer messages in a mail client too: copies go to its shop
    mailbox (R22), which is approved to reply (R11), through the services the pages use. Done
    after the stories, so only new buyer messages (a test mail into the relay) are copied."""
    from accounts.services import notification_preferences_update
    from messaging.email.services import permissions
    from messaging.models import MessagingPermission

    if MessagingPermission.objects.filter(seller=seller).exists():
        return
    owner = (
        User.objects.filter(
            seller_membership__seller=seller,
            seller_membership__role=SellerMembership.Role.OWNER,
        )
        .order_by("email")
        .first()
    )
    if owner is None:
        return
    mailbox = DEMO_MAILBOX.format(domain=owner.email.split("@")[1])
    notification_preferences_update(
        seller=seller,
        buyer_message_copies=True,
        buyer_message_copies_email=mailbox,
        opt_out_bounces=True,
    )
    permission = permissions.permission_add(seller=seller, actor=owner, email=mailbox)
    permissions.permission_confirm(permission_id=permission.pk, email=mailbox)
