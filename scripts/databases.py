"""PostgreSQL databases for scripts and benchmarks: create one if missing (or afresh), drop one.
Each connects to the server's `postgres` database of the same URL, as a superuser would.

    from scripts.databases import database_ensure
    database_ensure("postgres://postgres@127.0.0.1:5432/sellercentral_bench")
"""

from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def _split(url: str) -> tuple[str, str]:
    """The database's name, and the URL of the same server's `postgres` database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise ValueError(f"no database name in {url!r}")
    return name, urlunsplit(parts._replace(path="/postgres"))


def database_ensure(url: str, *, fresh: bool = False) -> None:
    """Create the database of `url` if it does not exist; with `fresh`, drop it first (the
    connections to it closed)."""
    if fresh:
        database_drop(url)
    name, server = _split(url)
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(url: str) -> None:
    """Drop the database of `url` if it exists, closing the connections to it."""
    name, server = _split(url)
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
