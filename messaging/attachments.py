"""R13: attachment checks, as pure functions: bytes and a sender-supplied name in, a
`CheckedAttachment` or the `Refusal(rule="R13", ...)` saying why not out. Nothing is raised;
the caller (a service) decides what a refusal means. No ORM, no disk I/O.

Files are checked by content as well as by name: the content must be of the type the extension
promises (an executable renamed `.pdf` is refused), and images must decode with Pillow without
tripping its decompression-bomb guard. The sender's file name is only cleaned for display;
storage names are generated elsewhere and never derived from it.
"""

import hashlib
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import filetype  # type: ignore[import-untyped]  # ships neither types nor a py.typed marker
from PIL import Image, ImageOps, ImageSequence

from core.refusals import Refusal

RULE = "R13"

ATTACHMENT_TYPE_NOT_ALLOWED_MSG = "“{name}” can’t be attached: only {allowed} files are accepted."
ATTACHMENT_EMPTY_MSG = "“{name}” is empty, so it can’t be attached."
ATTACHMENT_TOO_LARGE_MSG = (
    "“{name}” is too large to attach ({size}); each file can be at most {limit}."
)
ATTACHMENT_CONTENT_MISMATCH_MSG = (
    "“{name}” can’t be attached: its content is not a {kind} file, although its name says so."
)
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
IMAGES_TOO_MANY_PIXELS_MSG = (
    "The images of one message may have at most {limit} million pixels together; “{name}” "
    "brings them to {total} million. Please send smaller versions, or fewer images per message."
)
TOO_MANY_ATTACHMENTS_MSG = (
    "A message can carry at most {max_count} attachments; {count} were added."
)

# Pixel caps, judged from the image header before anything is decoded: a 9,400 × 9,400 PNG
# compresses to a few hundred KB yet decodes to hundreds of MB. A real photo stays under these.
IMAGE_MAX_PIXELS = 40_000_000
MESSAGE_IMAGES_MAX_PIXELS = 100_000_000

DEFAULT_DISPLAY_NAME = "attachment"
DISPLAY_NAME_MAX_CHARS = 150

# Extension -> MIME type stored and served with the file. Legacy-encoded text (valid text,
# but not UTF-8) is served as LEGACY_TEXT_CONTENT_TYPE so the browser picks the charset.
CONTENT_TYPES: dict[str, str] = {
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".bmp": "image/bmp",
    ".png": "image/png",
}
LEGACY_TEXT_CONTENT_TYPE = "text/plain"
ALLOWED_EXTENSIONS: frozenset[str] = frozenset(CONTENT_TYPES)

# Extension -> the Pillow format its content must decode as.
IMAGE_FORMATS: dict[str, str] = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".bmp": "BMP",
    ".png": "PNG",
}

# Extension -> how the kind is named in refusal messages.
_KIND_LABELS: dict[str, str] = {
    ".txt": "plain text",
    ".pdf": "PDF",
    ".doc": "Word (.doc)",
    ".docx": "Word (.docx)",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".gif": "GIF image",
    ".tif": "TIFF image",
    ".tiff": "TIFF image",
    ".bmp": "BMP image",
    ".png": "PNG image",
}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Every Word 97-2003 document has a "WordDocument" stream; directory entry names are UTF-16LE.
# This tells a .doc from other OLE2 files (.xls, .ppt, .msi) without a full OLE2 parser.
_WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")
_ZIP_LOCAL_HEADER = b"PK\x03\x04"


@dataclass(frozen=True)
class IncomingAttachment:
    """What a web form or an email part hands over: the sender's file name and the bytes."""

    name: str
    content: bytes
    # The file's whole size when `content` was read only up to the limit (web uploads); None
    # when `content` is the whole file.
    size: int | None = None


@dataclass(frozen=True)
class CheckedAttachment:
    """An attachment that passed R13. `display_name` is for showing only, never for storage."""

    display_name: str
    extension: str  # with the dot, lowercase: ".pdf"
    content_type: str
    content: bytes
    size: int
    sha256: str
    # width × height for images, 0 for other files; a measure, not part of the file's identity.
    pixels: int = field(default=0, compare=False)
    # The sender's bytes when `content` is a copy with the metadata removed (EXIF, GPS, text
    # chunks: see `image_metadata_strip`); kept for staff only (R25). None when unchanged.
    original: bytes | None = field(default=None, compare=False, repr=False)


# --- display name -------------------------------------------------------------------------

_PATH_SEPARATORS_RE = re.compile(r"[\\/]")
# Cc: control characters; Cf: format characters (bidi overrides such as U+202E, zero-width
# spaces and joiners); Cs: lone surrogates, which email decoding can leave and UTF-8 can't store.
_STRIPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_MAX_KEPT_EXTENSION_CHARS = 16


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        return name, ""
    return stem, "." + ext


def display_name_clean(name: str) -> tuple[str, str]:
    """R13: the sender's file name made safe to show, and its lowercase extension (with dot).

    Only the last path component is kept (for `/` and `\\`), control, format and bidi
    characters are removed, whitespace is collapsed, leading dots and spaces are removed,
    the name is shortened to DISPLAY_NAME_MAX_CHARS keeping its extension, and
    "attachment" + extension stands in when nothing is left.
    """
    name = _PATH_SEPARATORS_RE.split(name)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _STRIPPED_CATEGORIES)
    name = " ".join(name.split())
    # Trailing dots and spaces are dropped by Windows when saving: "a.pdf." is "a.pdf" there.
    name = name.rstrip(". ")
    stem, ext = _split_extension(name)
    stem = stem.lstrip(". ")
    if not stem:
        stem = DEFAULT_DISPLAY_NAME
    if len(ext) > _MAX_KEPT_EXTENSION_CHARS:  # not a real extension worth keeping whole
        stem, ext = stem + ext, ""
    if len(stem) + len(ext) > DISPLAY_NAME_MAX_CHARS:
        stem = stem[: DISPLAY_NAME_MAX_CHARS - len(ext)].rstrip(" .") or DEFAULT_DISPLAY_NAME
    return stem + ext, ext.lower()


# --- content ------------------------------------------------------------------------------


def _signature_matcher(mime: str) -> Callable[[bytes], bool]:
    """filetype's magic-number matcher for exactly one type, as a predicate on the content.

    One matcher per extension, not `filetype.guess()`: guess returns the first of its types
    that matches, so an animated PNG would come back as "image/apng" and be refused as a .png.
    Only the signature is judged here; images are then decoded by Pillow in the promised format.
    """
    kind = filetype.get_type(mime=mime)
    if kind is None:  # a filetype release without this type: fail at import, not per file
        raise LookupError(f"filetype has no matcher for {mime}")

    def matches(content: bytes) -> bool:
        return filetype.match(content, matchers=(kind,)) is not None

    return matches


# Hand-written, because filetype cannot tell: its Doc matcher only recognises a .doc whose
# WordDocument stream happens to start right after the OLE2 header (the Word FIB magic at
# byte 512) or that carries one fixed CompObj record, so it refuses valid .doc files laid out
# otherwise; and an OLE2 signature alone is shared by .xls, .ppt and .msi files.
def _is_doc(content: bytes) -> bool:
    return content.startswith(_OLE2_MAGIC) and _WORD_STREAM_NAME in content


# Hand-written, because filetype cannot tell: its Docx matcher reads only the names of the
# first five zip entries, so it accepts a macro-enabled .docm renamed .docx (the macros sit in
# word/vbaProject.bin) and misses packages whose word/ parts come later. The zip directory has
# to be read for that, and then the Word parts are checked from it too.
def _is_docx(content: bytes) -> bool:
    # The local-header check refuses executables with a zip appended (self-extracting archives),
    # which zipfile would otherwise open from the central directory at the end.
    if not content.startswith(_ZIP_LOCAL_HEADER):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except Exception:  # any error reading the zip directory means "not a .docx"
        return False
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        return False
    # A macro-enabled document (.docm) renamed .docx.
    return "word/vbaProject.bin" not in names


# Hand-written for .txt, because filetype has no notion of text: it only names binary formats.
def _text_content_type(content: bytes) -> str | None:
    """The content type for text content, or None when the content isn't text.

    UTF-8 (with or without BOM) without NUL bytes is text. Other NUL-free content is accepted
    as legacy-encoded text (e.g. Windows-1252) unless `filetype` recognises a binary format.
    filetype is not asked about UTF-8, where it misfires: any text starting "BM" is a "BMP"
    and any text starting "MZ" an "EXE" to it.
    """
    if b"\x00" in content:
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        if filetype.guess(content) is not None:
            return None
        return LEGACY_TEXT_CONTENT_TYPE
    return CONTENT_TYPES[".txt"]


# A PNG renamed .jpg (or any image under another image's extension) is refused: the extension
# must match the content, so stored files are always served with their real type. PDF and the
# images are recognised by filetype's signatures, the Word formats by the checks above.
_CONTENT_MATCHES: dict[str, Callable[[bytes], bool]] = {
    ".doc": _is_doc,
    ".docx": _is_docx,
    **{
        extension: _signature_matcher(CONTENT_TYPES[extension])
        for extension in (".pdf", *IMAGE_FORMATS)
    },
}


def _image_refusal(
    content: bytes, *, image_format: str, display_name: str
) -> tuple[int, Refusal | None]:
    """The image's pixel count, and why it is refused or None.

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
                    return pixels, Refusal(rule=RULE, message=message)
                image.verify()
            # verify() leaves the image unusable, so open again to decode the pixels.
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                if image_format == "JPEG":
                    image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return pixels, Refusal(
            rule=RULE, message=ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG.format(name=display_name)
        )
    except Exception:  # any decoding error: truncated, corrupt, unsupported variant
        return pixels, Refusal(
            rule=RULE, message=ATTACHMENT_IMAGE_UNREADABLE_MSG.format(name=display_name)
        )
    return pixels, None


def format_size(size: int) -> str:
    """A byte count for people: "7 MB", "7.1 MB", "512 bytes" (binary units, as R13's 7 MB).

    Fractions are rounded up, so a file just over a limit never reads as equal to it.
    """
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            if size % factor == 0:
                return f"{size // factor} {unit}"
            return f"{math.ceil(size * 10 / factor) / 10:.1f} {unit}"
    return f"{size} bytes"


def _refusal(message: str) -> Refusal:
    return Refusal(rule=RULE, message=message)


def attachment_check(
    incoming: IncomingAttachment, *, max_bytes: int
) -> CheckedAttachment | Refusal:
    """R13: checks one attachment by name, size and content; returns it checked, or why not.

    `max_bytes` is settings.MESSAGING_ATTACHMENT_MAX_BYTES (7 MiB); a file of exactly
    `max_bytes` is accepted. Empty files are refused. Checks run in this order, the first
    failing one giving the refusal: extension, emptiness, size, content type, image decoding.
    """
    display_name, extension = display_name_clean(incoming.name)
    content = bytes(incoming.content)
    pixels = 0

    if extension not in ALLOWED_EXTENSIONS:
        allowed = ", ".join(CONTENT_TYPES)
        return _refusal(ATTACHMENT_TYPE_NOT_ALLOWED_MSG.format(name=display_name, allowed=allowed))
    if not content:
        return _refusal(ATTACHMENT_EMPTY_MSG.format(name=display_name))
    if len(content) > max_bytes:
        size = max(len(content), incoming.size or 0)
        return _refusal(
            ATTACHMENT_TOO_LARGE_MSG.format(
                name=display_name, size=format_size(size), limit=format_size(max_bytes)
            )
        )

    mismatch = ATTACHMENT_CONTENT_MISMATCH_MSG.format(
        name=display_name, kind=_KIND_LABELS[extension]
    )
    if extension == ".txt":
        content_type = _text_content_type(content)
        if content_type is None:
            return _refusal(mismatch)
    else:
        if not _CONTENT_MATCHES[extension](content):
            return _refusal(mismatch)
        content_type = CONTENT_TYPES[extension]
        if extension in IMAGE_FORMATS:
            pixels, refusal = _image_refusal(
                content, image_format=IMAGE_FORMATS[extension], display_name=display_name
            )
            if refusal is not None:
                return refusal

    original = None
    if extension in METADATA_IMAGE_FORMATS:
        stripped = image_metadata_strip(content, image_format=IMAGE_FORMATS[extension])
        if stripped is not None:
            content, original = stripped, content

    return CheckedAttachment(
        display_name=display_name,
        extension=extension,
        content_type=content_type,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        pixels=pixels,
        original=original,
    )


# --- image metadata -----------------------------------------------------------------------

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


def attachments_check(
    incoming: Sequence[IncomingAttachment], *, max_bytes: int, max_count: int
) -> tuple[list[CheckedAttachment], Refusal | None]:
    """R13: checks every attachment of one message; refuses more than `max_count` files.

    `max_count` is settings.MESSAGING_ATTACHMENTS_PER_MESSAGE. Returns the checked files and
    None, or an empty list and the first refusal (the count first, then file by file in order).
    """
    if len(incoming) > max_count:
        return [], _refusal(
            TOO_MANY_ATTACHMENTS_MSG.format(max_count=max_count, count=len(incoming))
        )
    checked: list[CheckedAttachment] = []
    total_pixels = 0
    for item in incoming:
        result = attachment_check(item, max_bytes=max_bytes)
        if isinstance(result, Refusal):
            return [], result
        checked.append(result)
        total_pixels += result.pixels
        if total_pixels > MESSAGE_IMAGES_MAX_PIXELS:
            # Judged file by file, so the rest of the images are never decoded.
            return [], _refusal(
                IMAGES_TOO_MANY_PIXELS_MSG.format(
                    limit=f"{MESSAGE_IMAGES_MAX_PIXELS // 1_000_000:,}",
                    name=result.display_name,
                    total=f"{math.ceil(total_pixels / 1_000_000):,}",
                )
            )
    return checked, None
