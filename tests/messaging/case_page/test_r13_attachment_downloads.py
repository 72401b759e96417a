"""R13 end to end: downloads by the two parties, cleaned names in Content-Disposition, and
refused uploads through the real web forms storing nothing (no rows, no files)."""

import io
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from cases.models import Case
from messaging.attachments import (
    ATTACHMENT_CONTENT_MISMATCH_MSG,
    ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG,
    ATTACHMENT_TOO_LARGE_MSG,
    IncomingAttachment,
    format_size,
)
from messaging.models import Attachment, Message
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, StaffFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
TEXT = "Tracking number: 1Z999AA10123456784 — café ✓\n".encode()
# A lowered R13 limit keeps the uploads small; the 7 MiB default is tested in test_attachments.
LIMIT = 2048
# Pillow's bomb guard, lowered so a small real PNG trips it: above the limit Pillow warns,
# above twice the limit it raises DecompressionBombError. Both must be refused.
PIXEL_LIMIT = 32 * 32
STORED_NAME_RE = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|txt)$")


def png_bytes(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color=(200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes((4, 3))


def _body(response) -> bytes:
    # Reading the whole stream closes the file (the test client wraps it); calling
    # response.close() here would also close the test's database connection.
    return b"".join(response.streaming_content)


def _files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Where the default FileSystemStorage (the Attachment.file storage) writes: MEDIA_ROOT."""
    root = tmp_path / "r13-media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


# ---- downloads ---------------------------------------------------------------------------


def _buyer_sends(order, name: str, content: bytes) -> Attachment:
    message = buyer_opens_case(
        order=order,
        body="Please see the attached file.",
        attachments=[IncomingAttachment(name=name, content=content)],
    )
    return message.attachments.get()


def _seller_sends(order, sender, name: str, content: bytes) -> Attachment:
    case = buyer_opens_case(order=order).case
    message = seller_replies(
        case,
        sender,
        body="Here is the document you asked for.",
        attachments=[IncomingAttachment(name=name, content=content)],
    )
    return message.attachments.get()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("invoice.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("tracking.txt", TEXT, "text/plain; charset=utf-8"),
    ],
)
@pytest.mark.parametrize("sent_by", ["buyer", "seller"])
@pytest.mark.parametrize("downloaded_by", ["buyer", "seller member"])
def test_r13_both_parties_download_the_exact_bytes_as_an_attachment(
    media_root,
    seller,
    seller_owner,
    buyer,
    buyer_client,
    sent_by,
    downloaded_by,
    name,
    content,
    content_type,
):
    order = OrderFactory(seller=seller, buyer=buyer)
    if sent_by == "buyer":
        attachment = _buyer_sends(order, name, content)
    else:
        attachment = _seller_sends(order, seller_owner, name, content)
    # A team member other than the one who sent it: the whole seller account may download.
    client = (
        buyer_client
        if downloaded_by == "buyer"
        else signed_in_client(seller_user(seller, role="member"))
    )

    response = client.get(reverse("messaging:attachment_download", args=[attachment.pk]))

    assert response.status_code == HTTPStatus.OK
    assert _body(response) == content
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # Stored under a generated name inside MEDIA_ROOT, never the sender's name.
    assert STORED_NAME_RE.match(attachment.file.name), attachment.file.name
    assert (media_root / attachment.file.name).read_bytes() == content


@pytest.mark.parametrize(
    ("sent_name", "shown"),
    [
        ("../../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\System32\\drivers.txt", "drivers.txt"),
        ("/var/www/..hidden.txt", "hidden.txt"),
        ("notes\r\nSet-Cookie: x=1.txt", "notesSet-Cookie: x=1.txt"),
        ("report\u202efdp.txt", "reportfdp.txt"),  # RIGHT-TO-LEFT OVERRIDE
        ("..\\../\u202e\r\n..sec\x00ret\u200b\x1b.txt", "secret.txt"),
    ],
)
def test_r13_a_hostile_display_name_is_cleaned_in_content_disposition(
    media_root, seller, seller_owner, buyer, buyer_client, sent_name, shown
):
    attachment = _buyer_sends(OrderFactory(seller=seller, buyer=buyer), sent_name, TEXT)
    assert attachment.display_name == shown

    for client in (buyer_client, signed_in_client(seller_owner)):
        response = client.get(reverse("messaging:attachment_download", args=[attachment.pk]))
        assert response.status_code == HTTPStatus.OK
        assert _body(response) == TEXT
        disposition = response["Content-Disposition"]
        assert disposition == f'attachment; filename="{shown}"'
        for forbidden in ("/", "\\", "..", "\r", "\n", "\x00", "\u202e", "\u200b"):
            assert forbidden not in disposition, repr(forbidden)
    # The sender's name plays no part in where the file is stored.
    assert STORED_NAME_RE.match(attachment.file.name), attachment.file.name
    assert _files_under(media_root) == [media_root / attachment.file.name]


@pytest.mark.parametrize("who", ["another buyer", "another seller's member", "anonymous"])
def test_r13_nobody_else_downloads(seller, buyer, other_seller, who):
    attachment = _buyer_sends(OrderFactory(seller=seller, buyer=buyer), "invoice.pdf", PDF)
    url = reverse("messaging:attachment_download", args=[attachment.pk])
    if who == "anonymous":
        response = Client().get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    user = BuyerFactory() if who == "another buyer" else seller_user(other_seller)
    response = signed_in_client(user).get(url)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Content-Disposition" not in response


def test_r13_staff_download(seller, buyer):
    attachment = _buyer_sends(OrderFactory(seller=seller, buyer=buyer), "invoice.pdf", PDF)
    response = signed_in_client(StaffFactory()).get(
        reverse("messaging:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == HTTPStatus.OK
    assert _body(response) == PDF


# ---- refused uploads through the web forms -----------------------------------------------

SURFACES = ["seller case reply", "buyer case reply", "buyer contact seller"]


def _surface(kind: str, *, seller, buyer, seller_client, buyer_client):
    """(client, form URL, the other form fields) for one of the forms that take attachments."""
    order = OrderFactory(seller=seller, buyer=buyer)
    if kind == "seller case reply":
        case = buyer_opens_case(order=order).case
        url = reverse("messaging:case_reply", args=[case.pk])
        return seller_client, url, {"body": "Please see the attached file."}
    if kind == "buyer case reply":
        case = buyer_opens_case(order=order).case
        url = reverse("messaging:buyer_case_reply", args=[case.pk])
        return buyer_client, url, {"body": "Please see the attached file."}
    url = reverse("messaging:contact_seller", args=[order.number])
    data = {"reason": "product_question", "subject": "A photo", "body": "See attached."}
    return buyer_client, url, data


def _form_html(html: str, action_url: str) -> str:
    """The <form> posting to `action_url` as rendered on the page (errors included)."""
    start = html.index(f'action="{action_url}"')
    return html[start : html.index("</form>", start)]


REFUSED_UPLOADS = {
    # name, content, expected message
    "one byte over the limit": (
        "tracking.txt",
        b"a" * (LIMIT + 1),
        ATTACHMENT_TOO_LARGE_MSG.format(
            name="tracking.txt", size=format_size(LIMIT + 1), limit=format_size(LIMIT)
        ),
    ),
    "executable renamed .pdf": (
        "invoice.pdf",
        EXE,
        ATTACHMENT_CONTENT_MISMATCH_MSG.format(name="invoice.pdf", kind="PDF"),
    ),
    "png over twice the pixel limit (DecompressionBombError)": (
        "huge.png",
        png_bytes((64, 64)),  # 4096 px > 2 × 1024
        ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG.format(name="huge.png"),
    ),
    "png over the pixel limit (DecompressionBombWarning)": (
        "large.png",
        png_bytes((40, 40)),  # 1024 < 1600 px < 2048
        ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG.format(name="large.png"),
    ),
}


def test_r13_the_sample_pngs_trip_pillows_lowered_guard(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", PIXEL_LIMIT)
    bomb = REFUSED_UPLOADS["png over twice the pixel limit (DecompressionBombError)"][1]
    large = REFUSED_UPLOADS["png over the pixel limit (DecompressionBombWarning)"][1]
    assert len(bomb) <= LIMIT
    assert len(large) <= LIMIT
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))
    with pytest.warns(Image.DecompressionBombWarning):
        Image.open(io.BytesIO(large)).close()


@pytest.mark.parametrize("upload", list(REFUSED_UPLOADS))
@pytest.mark.parametrize("surface", SURFACES)
def test_r13_a_refused_upload_shows_the_reason_and_stores_nothing(
    media_root,
    settings,
    monkeypatch,
    seller,
    buyer,
    seller_client,
    buyer_client,
    surface,
    upload,
):
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = LIMIT
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", PIXEL_LIMIT)
    name, content, expected = REFUSED_UPLOADS[upload]
    client, url, data = _surface(
        surface, seller=seller, buyer=buyer, seller_client=seller_client, buyer_client=buyer_client
    )
    messages_before = Message.objects.count()
    cases_before = Case.objects.count()

    response = client.post(url, {**data, "attachments": [SimpleUploadedFile(name, content)]})

    assert response.status_code == HTTPStatus.OK
    assert escape(expected) in _form_html(response.text, url)
    assert Message.objects.count() == messages_before
    assert Case.objects.count() == cases_before
    assert not Attachment.objects.exists()
    assert _files_under(media_root) == []


@pytest.mark.parametrize("surface", SURFACES)
def test_r13_a_file_of_exactly_the_limit_goes_through_the_same_forms_into_media_root(
    media_root, settings, seller, buyer, seller_client, buyer_client, surface
):
    """The control for the test above: the same forms and storage do write an accepted file."""
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = LIMIT
    client, url, data = _surface(
        surface, seller=seller, buyer=buyer, seller_client=seller_client, buyer_client=buyer_client
    )
    messages_before = Message.objects.count()
    content = b"a" * LIMIT

    response = client.post(
        url, {**data, "attachments": [SimpleUploadedFile("tracking.txt", content)]}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Message.objects.count() == messages_before + 1
    attachment = Attachment.objects.get()
    assert (attachment.display_name, attachment.size) == ("tracking.txt", LIMIT)
    assert _files_under(media_root) == [media_root / attachment.file.name]
    assert (media_root / attachment.file.name).read_bytes() == content
