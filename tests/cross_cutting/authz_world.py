"""One world for the authorization matrix and the GET crawl (issue 12): seller A (owner and
member), seller B (owner), buyers A and B, staff, each with orders, cases, messages, an
attachment, templates and tags, a blocked notice, staff warnings and messaging permissions.

Every URL the tests request points at an object of seller A and buyer A, so for buyer B and
seller B it is "someone else's object". The world is built once per module inside an outer
transaction that is rolled back at the end; each test runs in a savepoint inside it."""

from dataclasses import dataclass, field

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import SellerMembership, User
from messaging.email.services import outbound
from messaging.models import Direction
from orders.models import OrderStatus
from orders.returns.services import return_request
from templates_app.models import TemplateTag
from tests.clients import signed_in_client
from tests.factories import (
    AttachmentFactory,
    BlockedMessageNoticeFactory,
    BuyerFactory,
    MessageReportFactory,
    MessagingPermissionFactory,
    OrderFactory,
    SellerAccountFactory,
    SellerTemplateFactory,
    StaffFactory,
    StaffWarningFactory,
    migration_data_install_if_missing,
    seller_user,
)
from tests.messaging.helpers import buyer_opens_case, seller_replies

ROLES = ("anonymous", "buyer_a", "buyer_b", "owner_a", "member_a", "owner_b", "staff")

# A 1×1 PNG: the return's photo (orders.returns.photos would store the same re-encoded).
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63f8cfc000000301010018dd8db00000000049454e44ae426082"
)

OUR_NAMESPACES = {"", "accounts", "orders", "returns", "messaging"}


def url_names() -> set[str]:
    """Every named URL of our apps, walked from the URL configuration (admin: is skipped)."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if pattern.namespace and pattern.namespace not in OUR_NAMESPACES:
                    continue
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


@dataclass
class World:
    users: dict[str, User | None]
    seller_a: object
    seller_b: object
    order_a: object
    case_a: object
    buyer_message_a: object
    seller_message_a: object
    attachment_a: object
    notice_a: object
    seller_warning_a: object
    buyer_warning_a: object
    template_a: object
    tag_a: object
    permission_a: object
    extra: dict = field(default_factory=dict)

    def client(self, role: str) -> Client:
        user = self.users[role]
        return Client() if user is None else signed_in_client(user)


def world_build() -> World:
    migration_data_install_if_missing()
    seller_a = SellerAccountFactory(business_name="Alpha Shop", slug="alpha-shop")
    seller_b = SellerAccountFactory(business_name="Beta Shop", slug="beta-shop")
    owner_a = seller_user(seller_a, user__email="owner-a@example.com")
    member_a = seller_user(
        seller_a, user__email="member-a@example.com", role=SellerMembership.Role.MEMBER
    )
    owner_b = seller_user(seller_b, user__email="owner-b@example.com")
    buyer_a = BuyerFactory(email="buyer-a@example.com")
    buyer_b = BuyerFactory(email="buyer-b@example.com")
    staff = StaffFactory(email="staff@alphadiscounters.example")

    # seller A and buyer A: the objects every URL points at
    order_a = OrderFactory(seller=seller_a, buyer=buyer_a)
    buyer_message_a = buyer_opens_case(order=order_a)
    case_a = buyer_message_a.case
    seller_message_a = seller_replies(case_a, owner_a)
    attachment_a = AttachmentFactory(message=seller_message_a)
    second = buyer_opens_case(order=OrderFactory(seller=seller_a, buyer=buyer_a), body="Hi?")
    seller_warning_a = StaffWarningFactory(
        report=MessageReportFactory(message=second, reporter=owner_a), issued_by=staff
    )
    third = seller_replies(second.case, member_a, body="We are on it.")
    buyer_warning_a = StaffWarningFactory(
        report=MessageReportFactory(message=third, reporter=buyer_a),
        party="buyer",
        issued_by=staff,
    )
    notice_a = BlockedMessageNoticeFactory(
        message__case__order__seller=seller_a, message__sender=owner_a
    )
    template_a = SellerTemplateFactory(seller=seller_a, tag_names=["Shipping"])
    tag_a = TemplateTag.objects.get(seller=seller_a, name="Shipping")
    permission_a = MessagingPermissionFactory(seller=seller_a)
    return_a = return_request(
        order=OrderFactory(seller=seller_a, buyer=buyer_a, status=OrderStatus.DELIVERED),
        buyer=buyer_a,
        reason="damaged",
        photo=ContentFile(_PNG, name="photo.png"),
    )

    # seller B and buyer B have their own world
    order_b = OrderFactory(seller=seller_b, buyer=buyer_b)
    case_b = buyer_opens_case(order=order_b).case
    AttachmentFactory(message=seller_replies(case_b, owner_b))
    SellerTemplateFactory(seller=seller_b, tag_names=["Returns"])
    MessagingPermissionFactory(seller=seller_b)
    OrderFactory(seller=seller_b, buyer=buyer_a)

    return World(
        users={
            "anonymous": None,
            "buyer_a": buyer_a,
            "buyer_b": buyer_b,
            "owner_a": owner_a,
            "member_a": member_a,
            "owner_b": owner_b,
            "staff": staff,
        },
        seller_a=seller_a,
        seller_b=seller_b,
        order_a=order_a,
        case_a=case_a,
        buyer_message_a=buyer_message_a,
        seller_message_a=seller_message_a,
        attachment_a=attachment_a,
        notice_a=notice_a,
        seller_warning_a=seller_warning_a,
        buyer_warning_a=buyer_warning_a,
        template_a=template_a,
        tag_a=tag_a,
        permission_a=permission_a,
        extra={
            "return_a": return_a,
            "email_action_token": outbound.action_token(message=buyer_message_a, action="report"),
            "permission_token": signing.dumps(
                {"p": permission_a.pk, "e": permission_a.email.lower()},
                salt=outbound.PERMISSION_SALT,
            ),
        },
    )


def _direction_check(world: World) -> None:
    assert world.buyer_message_a.direction == Direction.BUYER_TO_SELLER
    assert world.seller_message_a.direction == Direction.SELLER_TO_BUYER


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture
def _media_in_tmp(settings, media_root):
    """Replaces the conftest's per-test media folder: the world's files live for the module."""
    settings.MEDIA_ROOT = str(media_root)


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker, media_root):
    """Built once per module in an outer transaction, rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media_root)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = world_build()
            _direction_check(built)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
