"""R13 for images: judged by their header before anything is decoded, then decoded with
Pillow in the format their extension promises; and the copy the other party gets, without the
metadata that can say who, where and with what device (EXIF with GPS location, XMP, text
chunks, comments)."""

import io
import warnings

from PIL import Image, ImageOps, ImageSequence

ATTACHMENT_IMAGE_UNREADABLE_MSG = (
    "“{name}” can’t be attached: it could not be read as an image (the file may be damaged)."
)
ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG = (
    "“{name}” can’t be attached: the image has too many pixels to be shown safely. "
    "Please send a smaller version."
)
ATTACHMENT_IMAGE_DIMENSIONS_MSG = (
    "“{name}” can’t be attached: it is {width:,} × {height:,} pixels; images may have at most "
    "{limit} million pixels. Please send a smaller version."
)

# Pixel caps, judged from the image header before anything is decoded: a 9,400 × 9,400 PNG
# compresses to a few hundred KB yet decodes to hundreds of MB. A real photo stays under these.
IMAGE_MAX_PIXELS = 40_000_000
MESSAGE_IMAGES_MAX_PIXELS = 100_000_000


def image_problem(
    content: bytes, *, image_format: str, display_name: str
) -> tuple[int, str | None]:
    """The image's pixel count, and why it is refused (the refusal's text) or None.

    The dimensions come from the header (Image.open reads nothing more) and are judged before
    any pixel is decoded: above IMAGE_MAX_PIXELS the image is refused. Then verify() checks the
    file's structure (PNG: every chunk's CRC) and the pixels are decoded, JPEGs at 1/8 scale
    (draft mode decodes every block but keeps an eighth of the pixels in each direction).
    Pillow's decompression-bomb warning counts as a refusal too; its global MAX_IMAGE_PIXELS
    is left alone: above it Pillow warns (made an error here), above twice it raises.
    """
    pixels = 0
    try:
        with warnings.catch_warnings():
            # Pillow's other warnings (e.g. corrupt EXIF) are noise about untrusted files.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                # Judged here too, not only by the warning: the warnings filter is process-wide
                # state that another thread's catch_warnings() may change under us.
                if image.width * image.height > (Image.MAX_IMAGE_PIXELS or float("inf")):
                    raise Image.DecompressionBombWarning("too many pixels")
                pixels = image.width * image.height
                if pixels > IMAGE_MAX_PIXELS:
                    message = ATTACHMENT_IMAGE_DIMENSIONS_MSG.format(
                        name=display_name,
                        width=image.width,
                        height=image.height,
                        limit=f"{IMAGE_MAX_PIXELS // 1_000_000:,}",
                    )
                    return pixels, message
                image.verify()
            # verify() leaves the image unusable, so open again to decode the pixels.
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                if image_format == "JPEG":
                    image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return pixels, ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG.format(name=display_name)
    except Exception:  # any decoding error: truncated, corrupt, unsupported variant
        return pixels, ATTACHMENT_IMAGE_UNREADABLE_MSG.format(name=display_name)
    return pixels, None


# ---- image metadata

# Extensions whose formats carry metadata that can say who, where and with what device
# (EXIF with GPS location, XMP, text chunks, comments). The other party gets a copy without it.
METADATA_IMAGE_FORMATS: frozenset[str] = frozenset({".jpg", ".jpeg", ".tif", ".tiff", ".png"})

# `Image.info` keys that describe how to show the pixels, not who made them or where.
_PIXEL_INFO_KEYS = frozenset(
    {
        "adobe",
        "adobe_transform",
        "aspect",
        "background",
        "chromaticity",
        "compression",
        "dpi",
        "gamma",
        "icc_profile",
        "interlace",
        "jfif",
        "jfif_density",
        "jfif_unit",
        "jfif_version",
        "progression",
        "progressive",
        "resolution",
        "srgb",
        "transparency",
    }
)
# The TIFF tags that only lay out the pixels; anything else in a TIFF (artist, GPS, make, …)
# counts as metadata.
_TIFF_LAYOUT_TAGS = frozenset(
    {256, 257, 258, 259, 262, 273, 277, 278, 279, 282, 283, 284, 296, 317, 320, 338, 339}
)
JPEG_STRIPPED_QUALITY = 95


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_METADATA_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf"})


def _png_has_metadata(content: bytes) -> bool:
    """Walks the chunk headers: Pillow would decode the whole image to find an eXIf chunk
    after the pixel data."""
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(content):
        length = int.from_bytes(content[position : position + 4], "big")
        kind = content[position + 4 : position + 8]
        if kind in _PNG_METADATA_CHUNKS:
            return True
        if kind == b"IEND":
            return False
        position += 12 + length
    return False


def _has_metadata(image: Image.Image, content: bytes, *, image_format: str) -> bool:
    if image_format == "PNG":
        return _png_has_metadata(content)
    exif = image.getexif()
    if image_format == "TIFF":
        if set(exif) - _TIFF_LAYOUT_TAGS:
            return True
    elif len(exif):
        return True
    return bool(set(image.info) - _PIXEL_INFO_KEYS)


def image_metadata_strip(content: bytes, *, image_format: str) -> bytes | None:
    """The image re-saved without EXIF (GPS location included), XMP, text chunks or comments,
    or None when it carries none (the file is then kept byte for byte). The EXIF orientation
    is applied to the pixels first, so a photo shows the same way up; the colour profile,
    resolution and transparency are kept. Call only on content `attachment_check` accepted."""
    with Image.open(io.BytesIO(content), formats=[image_format]) as image:
        if not _has_metadata(image, content, image_format=image_format):
            return None
        keep = {key: image.info[key] for key in ("icc_profile", "dpi") if image.info.get(key)}
        if image_format == "PNG" and "transparency" in image.info:
            keep["transparency"] = image.info["transparency"]
        frames = [ImageOps.exif_transpose(frame.copy()) for frame in ImageSequence.Iterator(image)]
    for frame in frames:
        frame.info = {}
    out = io.BytesIO()
    options: dict[str, object] = dict(keep)
    if image_format == "JPEG":
        options["quality"] = JPEG_STRIPPED_QUALITY
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:])
    frames[0].save(out, format=image_format, **options)
    return out.getvalue()
