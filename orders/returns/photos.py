"""The optional photo of a return request: a JPEG or PNG within the attachment size limit
(settings.MESSAGING_ATTACHMENT_MAX_BYTES, as messages' attachments), checked by decoding it, and
stored re-encoded so its metadata (EXIF with the place it was taken, comments) stays behind.

orders may not import messaging, so this is a small check of its own, not messaging.attachments."""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import pgettext_lazy
from PIL import Image

PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png"}
PHOTO_MAX_PIXELS = 40_000_000

PHOTO_TOO_LARGE_MSG = pgettext_lazy(
    "return", "The photo is too large: it can be at most %(limit)s MB."
)
PHOTO_NOT_IMAGE_MSG = pgettext_lazy("return", "The photo must be a JPEG or PNG image.")
PHOTO_TOO_MANY_PIXELS_MSG = pgettext_lazy(
    "return", "The photo has too many pixels: please send a smaller version."
)


def return_photo_clean(upload: UploadedFile) -> ContentFile:
    """The upload as a new JPEG or PNG without metadata, or ValidationError in words."""
    max_bytes = settings.MESSAGING_ATTACHMENT_MAX_BYTES
    if (upload.size or 0) > max_bytes:
        raise ValidationError(
            PHOTO_TOO_LARGE_MSG, code="too_large", params={"limit": max_bytes // (1024 * 1024)}
        )
    content = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=list(PHOTO_FORMATS)) as image:
                image_format = image.format or "JPEG"
                if image.width * image.height > PHOTO_MAX_PIXELS:
                    raise ValidationError(PHOTO_TOO_MANY_PIXELS_MSG, code="pixels")
                image.verify()
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                image.load()
                clean = io.BytesIO()
                if image_format == "JPEG":
                    image.convert("RGB").save(clean, format="JPEG", quality=90)
                else:
                    image.save(clean, format="PNG")
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(PHOTO_TOO_MANY_PIXELS_MSG, code="pixels") from None
    except Exception:  # noqa: BLE001  (any decoding error: not an image, truncated, corrupt)
        raise ValidationError(PHOTO_NOT_IMAGE_MSG, code="not_image") from None
    return ContentFile(clean.getvalue(), name=f"photo{PHOTO_FORMATS[image_format]}")
