"""R13/R25 and issue 12 item 4: an attachment's file and its row are stored together or not at
all; the daily sweep removes files a later rollback left without a row."""

import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from messaging.attachments import IncomingAttachment
from messaging.models import Attachment, Message
from messaging.sending import services
from messaging.sending.services.files import attachment_orphans_sweep
from messaging.tasks import attachment_orphans_sweep_task
from tests.messaging.helpers import buyer_opens_case


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_failure_after_the_rows_are_written_leaves_no_file(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    messages_before = Message.objects.count()
    draft = services.Draft(
        body_text="The invoice", attachments=[IncomingAttachment("invoice.txt", b"Invoice 1\n")]
    )
    # The row's INSERT and the file write succeed; the case update after them fails.
    with (
        mock.patch(
            "messaging.sending.services.funnel.case_record_message",
            side_effect=RuntimeError("aborted by the database"),
        ),
        pytest.raises(RuntimeError),
    ):
        services.message_send(sender=seller_owner, case=case, draft=draft)
    assert Message.objects.count() == messages_before
    assert not Attachment.objects.exists()
    assert _files() == []
    # and the same message stores file and row together when nothing fails
    message = services.message_send(sender=seller_owner, case=case, draft=draft)
    (file,) = _files()
    assert message.attachments.get().file.name.endswith(file.name)


def test_the_sweep_removes_day_old_files_without_a_row_and_keeps_the_rest(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    kept = services.message_send(
        sender=seller_owner,
        case=case,
        draft=services.Draft(
            body_text="File", attachments=[IncomingAttachment("a.txt", b"kept\n")]
        ),
    ).attachments.get()
    orphan = default_storage.save("attachments/2026/11/orphan.txt", ContentFile(b"orphan"))
    fresh_orphan = default_storage.save("attachments/2026/12/fresh.txt", ContentFile(b"new"))
    day_ago = time.time() - 2 * 24 * 3600
    for name in (orphan, kept.file.name):
        os.utime(default_storage.path(name), (day_ago, day_ago))
    assert attachment_orphans_sweep() == [orphan]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name)  # referenced: never touched (R25)
    assert default_storage.exists(fresh_orphan)  # may still be committing: not yet
    assert attachment_orphans_sweep_task.apply().get() == 0
