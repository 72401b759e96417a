import pytest
from django.test import Client

from tests.clients import signed_in_client
from tests.factories import BuyerFactory, SellerAccountFactory, StaffFactory, seller_user


@pytest.fixture(autouse=True)
def _migration_data(request, _django_db_marker):
    """A transactional test ends with a flush, which also empties what the data migrations put
    in (platform templates, marketing phrases, staff groups, beat schedules); every test that
    uses the database starts with it there."""
    uses_db = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "transactional_db", "live_server")
    )
    if uses_db:
        request.getfixturevalue(
            "transactional_db" if "transactional_db" in request.fixturenames else "db"
        ) if request.node.get_closest_marker("django_db") is None else None
        from tests.factories import migration_data_install_if_missing

        migration_data_install_if_missing()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (LocMem, per process): nothing a test cached, e.g.
    a seller's R8 order volume for the day, shows in the next one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _dns_zone_default(settings, monkeypatch):
    """Sender authentication reads the test zone (tests/messaging/email/dns_zone.json: SPF for
    127.0.0.1 and the test DKIM key at every domain), and no test ever asks real DNS."""
    from tests.messaging.email.mailauth import DEFAULT_ZONE_FILE, no_real_dns

    settings.MESSAGING_DNS_ZONE_FILE = str(DEFAULT_ZONE_FILE)
    settings.MESSAGING_AUTH_WITHOUT_DMARC = "aligned"
    settings.MESSAGING_TRUSTED_AUTHSERV_ID = ""
    monkeypatch.setattr("dns.resolver.resolve", no_real_dns)


@pytest.fixture
def dns_zone(settings, tmp_path):
    """A zone this test controls (a copy of the default one; `.clear()` empties it), written to a
    file the checks read: tests/messaging/email/mailauth.py."""
    from tests.messaging.email.mailauth import DnsZone

    zone = DnsZone(tmp_path / "dns_zone.json")
    settings.MESSAGING_DNS_ZONE_FILE = str(zone.path)
    return zone


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
