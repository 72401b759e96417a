"""core.postgresql: Django's PostgreSQL backend, its timestamps parsed by psycopg's C loader
(Django's own loader parsed them in Python). The values must be the ones Django's loader gives,
to the microsecond and with the same tzinfo."""

from datetime import UTC, datetime

import psycopg
import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

from core.postgresql.base import TIMESTAMPTZ_OID, TimestamptzFastLoader
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

TIMESTAMPS = [
    "2026-12-01 10:00:00+00",
    "2026-12-01 10:00:00.000001+00",
    "2026-03-29 01:30:00.5+02",  # another offset: the same moment in UTC
    "2024-02-29 23:59:59.999999-11",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "1970-01-01 00:00:00+00",
]


def _read(cursor, timestamps):
    values = []
    for text in timestamps:
        cursor.execute("SELECT %s::timestamptz", [text])
        values.append(cursor.fetchone()[0])
    return values


def test_the_connection_reads_timestamps_with_the_fast_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert issubclass(loader, TimestamptzFastLoader)
    assert loader.timezone is connection.timezone  # what Django's create_cursor compares
    parser = loader(TIMESTAMPTZ_OID, connection.connection)._parse.__self__
    if psycopg.pq.__impl__ in {"c", "binary"}:
        assert type(parser) is not TimestamptzLoader  # psycopg's C loader, not the Python one


def test_timestamps_are_what_djangos_loader_reads():
    with connection.cursor() as cursor:
        ours = _read(cursor, TIMESTAMPS)
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's, on this cursor only
        djangos = _read(cursor, TIMESTAMPS)
    assert ours == djangos
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in djangos]
    assert all(value.tzinfo is UTC for value in ours)
    assert ours[2] == datetime(2026, 3, 28, 23, 30, 0, 500000, tzinfo=UTC)


def test_a_timestamp_too_large_for_python_is_refused_as_djangos_loader_refuses_it():
    for register in (False, True):
        with connection.cursor() as cursor:
            if register:
                register_tzloader(connection.timezone, cursor.cursor)
            with pytest.raises(DataError, match="infinity"):
                _read(cursor, ["infinity"])


def test_a_model_reads_back_the_moment_it_saved(seller):
    moment = datetime(2026, 12, 1, 22, 7, 48, 123456, tzinfo=UTC)
    order = OrderFactory(seller=seller, placed_at=moment)
    order.refresh_from_db()
    assert order.placed_at == moment
    assert order.placed_at.tzinfo is UTC
