"""Trigram indexes for `icontains` search, created from migrations.

Django runs `UPPER("col"::text) LIKE UPPER('%…%')` for icontains; a GIN index on
`UPPER(col) gin_trgm_ops` serves it. Where the database role may not create the pg_trgm
extension, the index is skipped with a warning and search still works, only slower. Migrations
import this module: keep its signatures stable.
"""

import logging

from django.db import transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

logger = logging.getLogger(__name__)


def trigram_index_create(
    schema_editor: BaseDatabaseSchemaEditor, *, name: str, table: str, columns: list[str]
) -> None:
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001  (permission: keep migrating without the index)
        logger.warning("pg_trgm not available (%s): %s is not created, search is slower", exc, name)
        return
    expressions = ", ".join(f"UPPER({column}) gin_trgm_ops" for column in columns)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expressions})")


def trigram_index_drop(schema_editor: BaseDatabaseSchemaEditor, *, name: str) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def covering_trigrams(text: str, *, most: int = 4) -> list[str]:
    """A few trigrams of `text` that between them cover all of it, for an index lookup that
    reads fewer posting lists than one of the whole text (which reads all len - 2 of them).

    Every third position from the start, and the last three characters, then at most `most`
    of those, spread over the text (the first and last always kept). Text with no more than
    `most` trigrams comes back whole: the lookup of the text itself reads no more, and fewer
    trigrams of a short text would select too many rows. A row holding all of them may still
    not hold `text`: the caller checks `text` itself as well.
    """
    if len(text) - 2 <= most:
        return [text]
    starts = sorted({*range(0, len(text) - 2, 3), len(text) - 3})
    if len(starts) > most:
        step = (len(starts) - 1) / (most - 1)
        starts = sorted({starts[round(i * step)] for i in range(most)})
    return [text[start : start + 3] for start in starts]
