"""factory-boy factories for every model; related objects stay consistent (a buyer's order and
its relationship belong to the same buyer and seller)."""

from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import BuyerProfile, SellerAccount, SellerMembership, User
from messaging.models import Relationship
from messaging.services import relationship_get_or_create
from orders.models import Category, Order, OrderItem, OrderStatus, OrderStatusChange, Product
from orders.services import order_number_generate

DEFAULT_PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@alphadiscounters.example")
    is_staff = True
    is_superuser = True


class BuyerProfileFactory(DjangoModelFactory):
    class Meta:
        model = BuyerProfile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    preferred_language = BuyerProfile.Language.ENGLISH
    opted_out_of_unsolicited = False


class BuyerFactory(UserFactory):
    """A buyer: a user with a buyer profile."""

    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    profile = factory.RelatedFactory(BuyerProfileFactory, factory_related_name="user")


class SellerAccountFactory(DjangoModelFactory):
    class Meta:
        model = SellerAccount
        django_get_or_create = ["slug"]

    business_name = factory.Sequence(lambda n: f"Seller Shop {n}")
    slug = factory.LazyAttribute(lambda o: o.business_name.lower().replace(" ", "-"))


class SellerMembershipFactory(DjangoModelFactory):
    class Meta:
        model = SellerMembership

    seller = factory.SubFactory(SellerAccountFactory)
    user = factory.SubFactory(
        UserFactory, email=factory.Sequence(lambda n: f"seller{n}@example.com")
    )
    role = SellerMembership.Role.OWNER


def seller_user(seller: SellerAccount | None = None, **kwargs) -> User:
    """A user who is a member of `seller` (a new seller account when not given)."""
    membership = SellerMembershipFactory(**({"seller": seller} if seller else {}), **kwargs)
    return membership.user


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Category {n}")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    seller = factory.SubFactory(SellerAccountFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Faker("catch_phrase")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = Decimal("19.99")


class RelationshipFactory(DjangoModelFactory):
    """Relationships are made by the R1 service, never with hand-picked aliases."""

    class Meta:
        model = Relationship

    buyer = factory.SubFactory(BuyerFactory)
    seller = factory.SubFactory(SellerAccountFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return relationship_get_or_create(**kwargs)


class OrderFactory(DjangoModelFactory):
    class Meta:
        model = Order
        skip_postgeneration_save = True

    number = factory.LazyFunction(order_number_generate)
    seller = factory.SubFactory(SellerAccountFactory)
    buyer = factory.SubFactory(BuyerFactory)
    relationship = factory.LazyAttribute(
        lambda o: relationship_get_or_create(
            buyer=o.buyer, seller=o.seller, first_order_at=o.placed_at
        )
    )
    status = OrderStatus.UNSHIPPED
    placed_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.LazyAttribute(lambda o: o.placed_at)
    ship_name = factory.Faker("name")
    ship_address = factory.Faker("address")
    ship_phone = factory.Faker("numerify", text="555-###-####")
    items_total = Decimal("19.99")
    shipping_total = Decimal("4.99")
    total = Decimal("24.98")

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):  # noqa: N805
        """OrderFactory(items=[product, ...]) or one item of a new product of the seller."""
        if not create:
            return
        products = extracted or [ProductFactory(seller=obj.seller, **kwargs)]
        for product in products:
            OrderItem.objects.create(
                order=obj, product=product, quantity=1, unit_price=product.price
            )
        OrderStatusChange.objects.create(
            order=obj, status=obj.status, changed_at=obj.status_changed_at
        )


class OrderItemFactory(DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory, seller=factory.SelfAttribute("..order.seller"))
    quantity = 1
    unit_price = factory.LazyAttribute(lambda o: o.product.price)


class OrderStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = OrderStatusChange

    order = factory.SubFactory(OrderFactory)
    status = factory.LazyAttribute(lambda o: o.order.status)
    changed_at = factory.LazyFunction(timezone.now)
