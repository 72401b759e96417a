"""An index built without blocking writes on PostgreSQL, and the plain way elsewhere.

Django's AddIndexConcurrently is PostgreSQL's CREATE INDEX CONCURRENTLY: a large table keeps
taking writes while the index is built. SQLite (`make run`) has no such statement, and Django's
operation fails there; this one builds the index as AddIndex does. Migrations import this
module: keep its name and signatures stable.
"""

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    def database_forwards(self, app_label: str, schema_editor: Any, *states: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *states)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, *states)

    def database_backwards(self, app_label: str, schema_editor: Any, *states: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *states)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, *states)
