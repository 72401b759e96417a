import pytest
from django.test import Client

from tests.clients import signed_in_client
from tests.factories import BuyerFactory, SellerAccountFactory, StaffFactory, seller_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seller(db):
    return SellerAccountFactory(business_name="Acme Outfitters", slug="acme-outfitters")


@pytest.fixture
def seller_owner(seller):
    return seller_user(seller)


@pytest.fixture
def other_seller(db):
    return SellerAccountFactory(business_name="Other Goods", slug="other-goods")


@pytest.fixture
def buyer(db):
    return BuyerFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def seller_client(seller_owner) -> Client:
    return signed_in_client(seller_owner)


@pytest.fixture
def buyer_client(buyer) -> Client:
    return signed_in_client(buyer)


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".strip()
