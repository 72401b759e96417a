"""Django's PostgreSQL backend with one change: timestamps are parsed by psycopg's C loader.

Django 5.2 registers its own loader for `timestamptz` (to set the tzinfo it wants), a subclass
of psycopg's pure-Python loader, and psycopg only swaps in its C loader for its own classes:
every timestamp read was parsed by a regular expression in Python (Django ticket #36960,
psycopg issue #1273). That was about 5 µs a value, a tenth of a millisecond for every twenty:
an inbox page reads about 80 of them, a case page with 50 messages about 200. Here the loader
hands the parsing to the loader psycopg itself registers (C with psycopg[binary]), then sets
the tzinfo exactly as Django's does. settings use this backend wherever DATABASE_URL is
PostgreSQL; tests/core/test_postgresql_backend.py holds its values equal to Django's.
"""

from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg.abc import AdaptContext, Buffer
from psycopg.adapt import AdaptersMap
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid
# The loader psycopg registers for itself: its C class with psycopg[binary] (looked up once, not
# for every query result that makes a loader).
_PSYCOPG_LOADER = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT) or TimestamptzLoader


class TimestamptzFastLoader(TimestamptzLoader):
    """Django's BaseTzLoader (`timezone` replaces the value's tzinfo; None chops it), its
    parsing done by psycopg's own registered loader."""

    timezone: tzinfo | None = None

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        self._parse = _PSYCOPG_LOADER(oid, context).load

    def load(self, data: Buffer) -> datetime:
        value: datetime = self._parse(data)
        # psycopg gives UTC as datetime.timezone.utc, as Django does: then nothing to replace.
        return value if value.tzinfo is self.timezone else value.replace(tzinfo=self.timezone)


@lru_cache
def adapters_with_fast_loader(template: AdaptersMap, timezone: tzinfo | None) -> AdaptersMap:
    """Django's adapters for new connections (one map per time zone, as Django keeps its
    own), with this module's loader for `timestamptz`."""
    adapters = AdaptersMap(template)
    loader = type("TimestamptzFastLoader", (TimestamptzFastLoader,), {"timezone": timezone})
    adapters.register_loader("timestamptz", loader)
    return adapters


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        # Django's create_cursor still compares the loader's `timezone` with the connection's.
        params["context"] = adapters_with_fast_loader(params["context"], self.timezone)
        return params
