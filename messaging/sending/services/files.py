"""Attachment files on storage: a file is written inside the transaction that stores its row,
so a rollback can leave a file no row references. The send funnel deletes what it wrote when it
fails; the daily sweep removes what a later rollback left (R13, R25: a referenced file is never
touched)."""

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from messaging.models import Attachment

logger = logging.getLogger(__name__)
ATTACHMENTS_DIR = "attachments"
ORPHAN_AGE = timedelta(days=1)


def attachment_files_delete(names: Iterable[str]) -> None:
    """Delete the files written for a message whose transaction is failing: their rows are
    rolled back with it (the caller re-raises), so nothing will reference them."""
    for name in names:
        if name:
            default_storage.delete(name)


def _files(directory: str) -> Iterator[str]:
    if not default_storage.exists(directory):
        return
    directories, files = default_storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}"
    for child in directories:
        yield from _files(f"{directory}/{child}")


def attachment_orphans_sweep(*, now: datetime | None = None) -> list[str]:
    """Remove attachment files older than a day that no row references; returns their names
    (logged as a warning, so staff see that something rolled back)."""
    now = now or timezone.now()
    candidates = [
        name
        for name in _files(ATTACHMENTS_DIR)
        if default_storage.get_modified_time(name) < now - ORPHAN_AGE
    ]
    removed = []
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        referenced = set(Attachment.objects.filter(file__in=chunk).values_list("file", flat=True))
        referenced |= set(
            Attachment.objects.filter(original__in=chunk).values_list("original", flat=True)
        )
        for name in chunk:
            if name not in referenced:
                default_storage.delete(name)
                removed.append(name)
    if removed:
        logger.warning("Removed %d attachment files no message references", len(removed))
    return removed
