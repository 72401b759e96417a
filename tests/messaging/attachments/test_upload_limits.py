"""Oversized uploads refused early, image pixels capped from the header (issue 12)."""

import io
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from messaging.attachments import (
    ATTACHMENT_TOO_LARGE_MSG,
    IncomingAttachment,
    attachment_check,
    attachments_check,
    format_size,
)
from messaging.forms import incoming_attachments
from tests.messaging.helpers import buyer_opens_case

SEVEN_MIB = 7 * 1024 * 1024


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color=(200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


# --- the request body and each file ---------------------------------------------------------


def test_upload_settings_spool_files_to_disk_and_cap_the_body():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    attachments = (
        settings.MESSAGING_ATTACHMENTS_PER_MESSAGE * settings.MESSAGING_ATTACHMENT_MAX_BYTES
    )
    assert attachments < settings.REQUEST_BODY_MAX_BYTES <= attachments + 4 * 1024 * 1024


@pytest.mark.django_db
def test_a_body_over_the_cap_is_refused_413_before_it_is_read(seller, seller_client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 64 * 1024
    case = buyer_opens_case(seller=seller).case
    upload = SimpleUploadedFile("big.txt", b"a" * (100 * 1024), "text/plain")

    response = seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]),
        {"body": "See attached", "attachments": [upload]},
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert case.messages.count() == 1  # the buyer's opening message only
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_declared_length_over_the_cap_is_refused_without_reading(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000

    class Unreadable(io.BytesIO):
        def read(self, *args):  # the middleware must not touch the body
            raise AssertionError("the body was read")

    response = client.generic(
        "POST",
        reverse("accounts:login"),
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH="1001",
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class CountingUpload(SimpleUploadedFile):
    bytes_read = 0

    def read(self, *args, **kwargs):
        data = super().read(*args, **kwargs)
        self.bytes_read += len(data)
        return data


def test_a_file_over_the_limit_is_read_only_to_limit_plus_one_and_refused(settings):
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = 1024
    upload = CountingUpload("big.pdf", b"%PDF-1.4\n" + b"0" * 50_000, "application/pdf")

    [incoming] = incoming_attachments([upload])
    checked, refusal = attachments_check([incoming], max_bytes=1024, max_count=10)

    assert upload.bytes_read == 1025
    assert checked == []
    assert refusal is not None
    assert refusal.rule == "R13"
    assert refusal.message == ATTACHMENT_TOO_LARGE_MSG.format(
        name="big.pdf", size=format_size(upload.size), limit=format_size(1024)
    )


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_in_the_reply_form(seller, seller_client, settings):
    settings.MESSAGING_ATTACHMENT_MAX_BYTES = 1024
    case = buyer_opens_case(seller=seller).case
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 5000, "application/pdf")

    response = seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]),
        {"body": "See attached", "attachments": [upload]},
        HTTP_HX_REQUEST="true",
    )

    assert "too large to attach (4.9 KB)" in response.text
    assert case.messages.count() == 1


# --- pixels judged from the header ---------------------------------------------------------


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    return png(9400, 9400)  # 88 Mpx: under Pillow's own bomb limit, a few hundred KB


@pytest.fixture
def loads(monkeypatch):
    calls = []
    real_load = ImageFile.ImageFile.load

    def load(self):
        calls.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return calls


def test_an_image_of_too_many_pixels_is_refused_from_its_header(huge_png, loads):
    assert len(huge_png) < 1024 * 1024

    result = attachment_check(IncomingAttachment("huge.png", huge_png), max_bytes=SEVEN_MIB)

    assert result.rule == "R13"
    assert result.message == (
        "“huge.png” can’t be attached: it is 9,400 × 9,400 pixels; images may have at most "
        "40 million pixels. Please send a smaller version."
    )
    assert loads == []  # no pixel was decoded


def test_a_normal_photo_is_accepted():
    photo = jpeg(4000, 3000)  # 12 Mpx, a phone camera's

    result = attachment_check(IncomingAttachment("photo.jpg", photo), max_bytes=SEVEN_MIB)

    assert result.content == photo
    assert result.pixels == 12_000_000


def test_a_jpeg_is_decoded_at_reduced_scale(loads):
    attachment_check(IncomingAttachment("photo.jpg", jpeg(4000, 3000)), max_bytes=SEVEN_MIB)

    assert loads
    assert max(w * h for w, h in loads) <= 4000 * 3000 // 16


def test_the_images_of_one_message_are_capped_together(loads):
    image = png(6000, 6000)  # 36 Mpx each: under the per-image cap
    incoming = [IncomingAttachment(f"scan{i}.png", image) for i in range(4)]

    checked, refusal = attachments_check(incoming, max_bytes=SEVEN_MIB, max_count=10)

    assert checked == []
    assert refusal is not None
    assert refusal.message == (
        "The images of one message may have at most 100 million pixels together; “scan2.png” "
        "brings them to 108 million. Please send smaller versions, or fewer images per message."
    )
    assert len(loads) == 3  # the fourth image was never decoded
