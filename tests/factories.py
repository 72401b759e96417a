"""factory-boy factories for every model; related objects stay consistent (a buyer's order and
its relationship belong to the same buyer and seller)."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import factory
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from factory.django import DjangoModelFactory

from accounts.models import (
    BuyerProfile,
    NotificationPreferences,
    Relationship,
    SellerAccount,
    SellerMembership,
    User,
)
from accounts.services import relationship_get_or_create
from cases.models import Case, CaseSearchText, CaseStatus, CaseTransition
from cases.services import case_record_opened, case_search_texts_write, case_summaries_refresh
from messaging.attachments import CONTENT_TYPES
from messaging.models import (
    Attachment,
    BlockedMessageNotice,
    BuyerContactReason,
    Channel,
    Direction,
    InboundMail,
    Message,
    MessageReport,
    MessagingPermission,
    MetricsWatermark,
    OutboundEmail,
    Outcome,
    ReportReason,
    ResponseState,
    ResponseTimeDaily,
    Sanction,
    SanctionKind,
    SellerContactReason,
    StaffWarning,
)
from messaging.moderation.services.decisions import report_warn
from messaging.moderation.services.flags import message_report
from messaging.moderation.staff_groups import dispute_resolution_group_install
from messaging.policy import OPTED_OUT_BLOCK_MSG
from orders.models import Category, Order, OrderItem, OrderStatus, OrderStatusChange, Product
from orders.services import order_number_generate
from templates_app.content_rules import DEFAULT_MARKETING_PHRASES
from templates_app.models import (
    MarketingPhrase,
    PlatformTemplate,
    PlatformTemplateTranslation,
    SellerTemplate,
    TemplateTag,
)
from templates_app.platform_defaults import platform_templates_install
from templates_app.services import seller_template_create

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


class NotificationPreferencesFactory(DjangoModelFactory):
    """Notification Preferences › Messaging of a seller (one per seller, as the selector makes)."""

    class Meta:
        model = NotificationPreferences
        django_get_or_create = ["seller"]

    seller = factory.SubFactory(SellerAccountFactory)
    buyer_message_copies = False
    buyer_message_copies_email = ""
    opt_out_bounces = True


# ---- cases and messages


class CaseFactory(DjangoModelFactory):
    """A case the buyer opened about an order, with its "opened" transition, like `case_open`
    makes it. Seller, buyer and buyer alias come from the order's relationship, so choose them
    through the order: CaseFactory(order__seller=seller). CaseFactory(order=None) makes a case
    on a new relationship. No messages: add them with MessageFactory(case=case)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    order = factory.SubFactory(OrderFactory)
    relationship = factory.Maybe(
        "order",
        yes_declaration=factory.SelfAttribute("order.relationship"),
        no_declaration=factory.SubFactory(RelationshipFactory),
    )
    seller = factory.SelfAttribute("relationship.seller")
    buyer = factory.SelfAttribute("relationship.buyer")
    buyer_alias = factory.SelfAttribute("relationship.buyer_alias")
    order_number = factory.LazyAttribute(lambda o: o.order.number if o.order else "")
    contact_reason = BuyerContactReason.SHIPPING_OR_DELIVERY
    subject = factory.Faker("sentence", nb_words=4)
    started_by = Case.StartedBy.BUYER
    created_at = factory.LazyFunction(timezone.now)
    status_changed_at = factory.SelfAttribute("created_at")
    last_activity_at = factory.SelfAttribute("created_at")

    @factory.post_generation
    def opened_by(obj, create, extracted, **kwargs):  # noqa: N805
        """The first transition, whose actor is the buyer, or a member of the seller when the
        seller started the case (CaseFactory(opened_by=user) to choose); and what inbox search
        reads (CaseSearchText), as `case_open` writes them."""
        if not create:
            return
        actor = extracted or (
            obj.buyer if obj.started_by == Case.StartedBy.BUYER else seller_user(obj.seller)
        )
        case_record_opened(case=obj, actor=actor, cause=obj.started_by, at=obj.created_at)
        case_search_texts_write([obj])


class CaseSearchTextFactory(factory.Factory):
    """What inbox search reads of a case (CaseSearchText), as a new case writes it: a case from
    CaseFactory (keyword arguments go to it) and its search text."""

    class Meta:
        model = CaseSearchText

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> CaseSearchText:
        return CaseFactory(**kwargs).search_text


class CaseTransitionFactory(DjangoModelFactory):
    """A later state change: by default a member of the case's seller resolves it. The case
    takes the new status, as `case_transition` does."""

    class Meta:
        model = CaseTransition
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    from_status = factory.SelfAttribute("case.status")
    to_status = CaseStatus.RESOLVED
    actor = factory.LazyAttribute(lambda o: seller_user(o.case.seller))
    cause = "seller"
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def move_case(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.case.status = obj.to_status
            obj.case.status_changed_at = obj.created_at
            obj.case.save(update_fields=["status", "status_changed_at"])


class MessageFactory(DjangoModelFactory):
    """A delivered message on a case, buyer to seller unless `direction` says otherwise. Seller
    and order come from the case; the sender is the case's buyer or a member of its seller. The
    case's inbox summary is refreshed afterwards, as after `store_message`. R25: never deleted;
    `email_message_id` stays None (unique when set)."""

    class Meta:
        model = Message
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    seller = factory.SelfAttribute("case.seller")
    order = factory.SelfAttribute("case.order")
    direction = Direction.BUYER_TO_SELLER
    sender = factory.LazyAttribute(
        lambda o: (
            o.case.buyer if o.direction == Direction.BUYER_TO_SELLER else seller_user(o.case.seller)
        )
    )
    channel = Channel.WEB
    contact_reason = factory.SelfAttribute("case.contact_reason")
    subject = factory.SelfAttribute("case.subject")
    body_text = factory.Faker("paragraph")
    created_at = factory.LazyFunction(timezone.now)
    response_state = factory.LazyAttribute(
        lambda o: (
            ResponseState.NEEDED
            if o.direction == Direction.BUYER_TO_SELLER
            else ResponseState.NOT_APPLICABLE
        )
    )

    @factory.post_generation
    def refresh_case(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.case.last_activity_at = max(obj.case.last_activity_at, obj.created_at)
            case_summaries_refresh([obj.case.pk])


class AttachmentFactory(DjangoModelFactory):
    """A small text file on a message, saved through the model's FileField, so the storage name
    is generated by `attachment_upload_to` (attachments/YYYY/MM/<uuid>.txt, R13), as in
    `store_message`. AttachmentFactory(content=b"...") for other bytes. R25: never deleted."""

    class Meta:
        model = Attachment

    class Params:
        content = b"Tracking number: 1Z999AA10123456784\n"

    message = factory.SubFactory(MessageFactory)
    display_name = "tracking.txt"
    extension = ".txt"
    content_type = CONTENT_TYPES[".txt"]
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name=f"upload{o.extension}"))
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    created_at = factory.SelfAttribute("message.created_at")


class MessageReportFactory(DjangoModelFactory):
    """R16: a party reports a message it received (by default a member of the seller reports a
    buyer message), made by the `message_report` service, so the message becomes "reported" and
    the case summary follows. `report_dismiss` dismisses it; StaffWarningFactory takes action."""

    class Meta:
        model = MessageReport

    message = factory.SubFactory(MessageFactory)
    reporter = factory.LazyAttribute(
        lambda o: (
            seller_user(o.message.seller)
            if o.message.direction == Direction.BUYER_TO_SELLER
            else o.message.case.buyer
        )
    )
    reason = ReportReason.SPAM
    details = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        report = message_report(**kwargs)
        report.message.refresh_from_db(fields=["response_state"])
        return report


class StaffWarningFactory(DjangoModelFactory):
    """R16: staff take action on a report by warning a party of its case (the seller unless
    party="buyer"), through `report_warn`, so the report becomes "action taken"."""

    class Meta:
        model = StaffWarning

    report = factory.SubFactory(MessageReportFactory)
    party = StaffWarning.Party.SELLER
    issued_by = factory.SubFactory(StaffFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        _, warning = report_warn(
            report=kwargs["report"], party=kwargs["party"], staff_user=kwargs["issued_by"]
        )
        return warning


class MarketingPhraseFactory(DjangoModelFactory):
    """R12: an active phrase; seller messages containing it are refused."""

    class Meta:
        model = MarketingPhrase
        django_get_or_create = ["phrase"]

    phrase = factory.Sequence(lambda n: f"coupon code save{n}")
    active = True


def migration_data_install() -> None:
    """What the data migrations put in every database, again, after a test emptied it (flush):
    the default marketing phrases (R12), the platform templates (R23) and the "Dispute
    Resolution" staff group."""
    from importlib import import_module

    from django.apps import apps

    for phrase in DEFAULT_MARKETING_PHRASES:
        MarketingPhrase.objects.get_or_create(phrase=phrase)
    platform_templates_install(PlatformTemplate, PlatformTemplateTranslation)
    dispute_resolution_group_install()
    import_module("messaging.migrations.0011_periodic_tasks").schedules_create(apps, None)
    import_module("messaging.migrations.0014_attachment_sweep_schedule").schedule_create(apps, None)
    import_module("messaging.migrations.0020_sanctions").schedule_create(apps, None)


def migration_data_install_if_missing() -> None:
    """The same, only when a flush took it away (one cheap query otherwise)."""
    if not PlatformTemplate.objects.exists():
        migration_data_install()


class TemplateTagFactory(DjangoModelFactory):
    """R23: one of a seller's template tags."""

    class Meta:
        model = TemplateTag

    seller = factory.SubFactory(SellerAccountFactory)
    name = factory.Sequence(lambda n: f"Tag {n}")


class SellerTemplateFactory(DjangoModelFactory):
    """R23: a seller's template, made by the service Manage Templates uses (R12 and the
    placeholders are checked); `tag_names` become the seller's tags."""

    class Meta:
        model = SellerTemplate

    seller = factory.SubFactory(SellerAccountFactory)
    name = factory.Sequence(lambda n: f"Template {n}")
    text = "Hello {buyer_name},\n\nThank you for your order {order_number}.\n\n{business_name}"
    tag_names: list[str] = []

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return seller_template_create(
            seller=kwargs["seller"],
            name=kwargs["name"],
            text=kwargs["text"],
            tag_names=kwargs.get("tag_names", []),
        )


class PlatformTemplateFactory(DjangoModelFactory):
    """R23: a platform template (the data migration installs the real ones)."""

    class Meta:
        model = PlatformTemplate
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"platform_text_{n}")
    name = factory.Sequence(lambda n: f"Platform text {n}")
    position = factory.Sequence(lambda n: 100 + n)


class PlatformTemplateTranslationFactory(DjangoModelFactory):
    class Meta:
        model = PlatformTemplateTranslation
        django_get_or_create = ["template", "language"]

    template = factory.SubFactory(PlatformTemplateFactory)
    language = "en"
    subject = "About your order {order_number}"
    body = "Hello {buyer_name},\n\nThank you for your order.\n\n{business_name}"


class BlockedMessageNoticeFactory(DjangoModelFactory):
    """R4: the inbox notice of a seller message blocked by R2: the seller started the case and
    the buyer had opted out of unsolicited messages."""

    class Meta:
        model = BlockedMessageNotice

    message = factory.SubFactory(
        MessageFactory,
        direction=Direction.SELLER_TO_BUYER,
        outcome=Outcome.BLOCKED,
        outcome_rule="R2",
        outcome_reason=OPTED_OUT_BLOCK_MSG,
        case__started_by=Case.StartedBy.SELLER,
        case__contact_reason=SellerContactReason.UNEXPECTED_PROBLEM,
        case__order__buyer__profile__opted_out_of_unsolicited=True,
        case__order__buyer__profile__opted_out_at=factory.LazyFunction(timezone.now),
    )
    seller = factory.SelfAttribute("message.seller")
    created_at = factory.SelfAttribute("message.created_at")
    dismissed_at = None


# ---- models of Django and django-celery-beat that staff see in the admin


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Staff group {n}")


class IntervalScheduleFactory(DjangoModelFactory):
    class Meta:
        model = IntervalSchedule

    every = factory.Sequence(lambda n: n + 1)
    period = IntervalSchedule.HOURS


class CrontabScheduleFactory(DjangoModelFactory):
    class Meta:
        model = CrontabSchedule

    minute = factory.Sequence(lambda n: str(n % 60))
    hour = "3"
    day_of_week = "*"
    day_of_month = "*"
    month_of_year = "*"


class SolarScheduleFactory(DjangoModelFactory):
    class Meta:
        model = SolarSchedule

    event = "sunrise"
    latitude = Decimal("52.520008")
    longitude = factory.Sequence(lambda n: Decimal(n % 360 - 180))


class ClockedScheduleFactory(DjangoModelFactory):
    class Meta:
        model = ClockedSchedule

    clocked_time = factory.Sequence(lambda n: timezone.now() + timedelta(days=n + 1))


class PeriodicTaskFactory(DjangoModelFactory):
    """A beat entry (R10's auto-close runs from one); every `interval` by default."""

    class Meta:
        model = PeriodicTask

    name = factory.Sequence(lambda n: f"Periodic task {n}")
    task = "cases.tasks.cases_auto_close"
    interval = factory.SubFactory(IntervalScheduleFactory)


# ---- the email channel and the response-time metrics


class MessagingPermissionFactory(DjangoModelFactory):
    """R11: a sender address of a seller, approved."""

    class Meta:
        model = MessagingPermission

    seller = factory.SubFactory(SellerAccountFactory)
    email = factory.Sequence(lambda n: f"sender{n}@seller.example")
    status = MessagingPermission.Status.APPROVED
    confirmed_at = factory.LazyFunction(timezone.now)


class InboundMailFactory(DjangoModelFactory):
    """A raw mail to an alias, as the relay stores it (before processing)."""

    class Meta:
        model = InboundMail

    recipient = factory.LazyFunction(lambda: OrderFactory().relationship.seller_alias)
    envelope_from = "buyer@example.com"
    header_message_id = factory.Sequence(lambda n: f"<mail{n}@example.com>")
    raw = b"From: buyer@example.com\r\nSubject: Hi\r\n\r\nHello"
    size = 48
    source = InboundMail.Source.SMTP


class OutboundEmailFactory(DjangoModelFactory):
    class Meta:
        model = OutboundEmail

    kind = OutboundEmail.Kind.BOUNCE
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    from_email = "no-reply@alphadiscounters.com"
    recipient = "someone@example.com"
    subject = "Not delivered"
    header_message_id = factory.Sequence(lambda n: f"<out{n}@m.alphadiscounters.com>")
    payload = factory.LazyFunction(lambda: {"text": "Because.", "html": "", "headers": {}})


class ResponseTimeDailyFactory(DjangoModelFactory):
    class Meta:
        model = ResponseTimeDaily

    seller = factory.SubFactory(SellerAccountFactory)
    day = factory.Sequence(lambda n: (timezone.now() - timedelta(days=n)).date())
    counted = 4
    within_target = 3
    later = 1


class MetricsWatermarkFactory(DjangoModelFactory):
    class Meta:
        model = MetricsWatermark

    name = factory.Sequence(lambda n: f"watermark-{n}")
    changed_after = factory.LazyFunction(timezone.now)


# ---- django-axes (login throttling)


class _AccessFactory(DjangoModelFactory):
    user_agent = "Mozilla/5.0"
    ip_address = factory.Sequence(lambda n: f"203.0.113.{n % 250 + 1}")
    username = factory.Sequence(lambda n: f"user{n}@example.com")
    http_accept = "text/html"
    path_info = "/accounts/login/"


class AccessAttemptFactory(_AccessFactory):
    """A failed sign-in series for one account and address (what staff unlock by deleting)."""

    class Meta:
        model = AccessAttempt

    get_data = ""
    post_data = ""
    failures_since_start = 5


class AccessFailureLogFactory(_AccessFactory):
    class Meta:
        model = AccessFailureLog


class AccessLogFactory(_AccessFactory):
    class Meta:
        model = AccessLog


class SanctionFactory(DjangoModelFactory):
    """A staff sanction on a seller's messaging (R30), active from now without an end date,
    limiting proactive messaging unless `kind` says otherwise. Made directly: no email."""

    class Meta:
        model = Sanction

    seller = factory.SubFactory(SellerAccountFactory)
    kind = SanctionKind.LIMIT_PROACTIVE
    reason = "Repeated review requests that asked for positive reviews."
    set_by = factory.SubFactory(StaffFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
