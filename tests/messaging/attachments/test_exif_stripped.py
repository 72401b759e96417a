"""EXIF (GPS location included) and other image metadata are stripped from image attachments
before the other party can download them; staff keep the sender's original for disputes (R25)."""

import hashlib
import io
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image, PngImagePlugin

from messaging.admin import attachment_links
from messaging.attachments import CheckedAttachment, IncomingAttachment, attachment_check
from messaging.models import Attachment
from messaging.sending.services.files import attachment_orphans_sweep
from tests.clients import signed_in_client
from tests.factories import OrderFactory, StaffFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

GPS_INFO = 34853
ORIENTATION = 274
MAKE = 0x010F
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE] = "SpyPhone"
    gps = exif.get_ifd(GPS_INFO)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    return exif


def jpeg_with_gps(*, orientation: int | None = None) -> bytes:
    exif = _exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), color=(200, 30, 30)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Buyer")
    info.add_itxt("Location", "12 Home Street, Springfield")
    buffer = io.BytesIO()
    Image.new("RGBA", (8, 6), color=(0, 90, 200, 128)).save(
        buffer, format="PNG", pnginfo=info, exif=_exif()
    )
    return buffer.getvalue()


def plain_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color=(1, 2, 3)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "exif-media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def _buyer_sends(order, name: str, content: bytes) -> Attachment:
    message = buyer_opens_case(
        order=order,
        body="Photo of the damaged parcel attached.",
        attachments=[IncomingAttachment(name=name, content=content)],
    )
    return message.attachments.get()


def _download(client, attachment: Attachment, *, original: bool = False) -> bytes:
    url = reverse("messaging:attachment_download", args=[attachment.pk])
    response = client.get(url, {"original": "1"} if original else {})
    assert response.status_code == HTTPStatus.OK
    return _body(response)


def test_a_jpeg_with_gps_reaches_the_other_party_without_exif(media_root, seller, buyer):
    content = jpeg_with_gps()
    assert _opened(content).getexif().get_ifd(GPS_INFO)  # the test file does carry GPS
    attachment = _buyer_sends(OrderFactory(seller=seller, buyer=buyer), "parcel.jpg", content)
    seller_client = signed_in_client(seller_user(seller, role="member"))

    downloaded = _download(seller_client, attachment)
    # Asking for the original as a party changes nothing: only staff get it.
    assert _download(seller_client, attachment, original=True) == downloaded

    image = _opened(downloaded)
    assert image.format == "JPEG"
    assert image.size == (40, 20)
    exif = image.getexif()
    assert GPS_INFO not in exif
    assert not exif.get_ifd(GPS_INFO)
    assert len(exif) == 0
    assert "exif" not in image.info
    assert b"SpyPhone" not in downloaded
    # The stored size and checksum are those of what the parties get.
    assert attachment.size == len(downloaded)
    assert attachment.sha256 == hashlib.sha256(downloaded).hexdigest()

    staff = signed_in_client(StaffFactory())
    assert _download(staff, attachment, original=True) == content
    assert _opened(content).getexif().get_ifd(GPS_INFO)[1] == "N"
    # Without asking for the original, staff see what the parties see.
    assert _download(staff, attachment) == downloaded


def test_the_seller_side_is_stripped_too(media_root, seller, seller_owner, buyer, buyer_client):
    case = buyer_opens_case(order=OrderFactory(seller=seller, buyer=buyer)).case
    message = seller_replies(
        case,
        seller_owner,
        attachments=[IncomingAttachment(name="label.jpeg", content=jpeg_with_gps())],
    )
    downloaded = _download(buyer_client, message.attachments.get())
    assert len(_opened(downloaded).getexif()) == 0


def test_the_orientation_is_applied_before_the_exif_goes(media_root, seller, buyer):
    # Orientation 6: the camera was turned; viewers rotate the 40 × 20 picture to 20 × 40.
    attachment = _buyer_sends(
        OrderFactory(seller=seller, buyer=buyer), "turned.jpg", jpeg_with_gps(orientation=6)
    )
    downloaded = _download(signed_in_client(seller_user(seller)), attachment)
    image = _opened(downloaded)
    assert image.size == (20, 40)
    assert ORIENTATION not in image.getexif()


def test_a_png_with_text_chunks_reaches_the_other_party_without_them(media_root, seller, buyer):
    content = png_with_text()
    assert _opened(content).info.get("Author") == "Jane Buyer"
    attachment = _buyer_sends(OrderFactory(seller=seller, buyer=buyer), "parcel.png", content)

    downloaded = _download(signed_in_client(seller_user(seller)), attachment)
    image = _opened(downloaded)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0)) == (0, 90, 200, 128)
    assert "Author" not in image.info
    assert "Location" not in image.info
    assert len(image.getexif()) == 0
    assert b"Springfield" not in downloaded
    assert attachment.sha256 == hashlib.sha256(downloaded).hexdigest()

    original = _download(signed_in_client(StaffFactory()), attachment, original=True)
    assert original == content
    assert _opened(original).info["Location"] == "12 Home Street, Springfield"


@pytest.mark.parametrize(("name", "content"), [("invoice.pdf", PDF), ("clean.png", plain_png())])
def test_files_without_metadata_are_kept_byte_for_byte(media_root, seller, buyer, name, content):
    attachment = _buyer_sends(OrderFactory(seller=seller, buyer=buyer), name, content)
    assert not attachment.original
    assert _download(signed_in_client(seller_user(seller)), attachment) == content
    # Staff asking for the original get the one file there is.
    assert _download(signed_in_client(StaffFactory()), attachment, original=True) == content
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()


def test_staff_links_point_at_the_original(media_root, seller, buyer):
    attachment = _buyer_sends(OrderFactory(seller=seller, buyer=buyer), "p.jpg", jpeg_with_gps())
    assert attachment.original
    assert "?original=1" in attachment_links(attachment.message)


def test_the_orphan_sweep_keeps_the_original(media_root, seller, buyer):
    attachment = _buyer_sends(OrderFactory(seller=seller, buyer=buyer), "p.jpg", jpeg_with_gps())
    removed = attachment_orphans_sweep(now=timezone.now() + timedelta(days=3))
    assert removed == []
    assert (media_root / attachment.original.name).exists()
    assert (media_root / attachment.file.name).exists()


def test_the_check_keeps_the_original_bytes_apart():
    content = jpeg_with_gps()
    checked = attachment_check(
        IncomingAttachment(name="p.jpg", content=content), max_bytes=7 * 1024 * 1024
    )
    assert isinstance(checked, CheckedAttachment)
    assert checked.original == content
    assert checked.content != content
