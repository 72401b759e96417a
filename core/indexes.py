"""An index built without blocking writes: Django's AddIndexConcurrently (PostgreSQL's CREATE
INDEX CONCURRENTLY), so a large table keeps taking writes while the index is built.

Migrations import it under this name (messaging/0016): keep the name.
"""

from django.contrib.postgres.operations import AddIndexConcurrently

AddIndexConcurrentlyOnPostgreSQL = AddIndexConcurrently
