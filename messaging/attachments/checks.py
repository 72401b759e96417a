"""R13: checking the attachments of a message, by name, size and content; what a checked
attachment is; how sizes read."""

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.refusals import Refusal
from messaging.attachments.file_types import (
    ALLOWED_EXTENSIONS,
    CONTENT_TYPES,
    IMAGE_FORMATS,
    KIND_LABELS,
    content_type_matching,
)
from messaging.attachments.images import (
    MESSAGE_IMAGES_MAX_PIXELS,
    METADATA_IMAGE_FORMATS,
    image_metadata_strip,
    image_problem,
)

RULE = "R13"

ATTACHMENT_TYPE_NOT_ALLOWED_MSG = "“{name}” can’t be attached: only {allowed} files are accepted."
ATTACHMENT_EMPTY_MSG = "“{name}” is empty, so it can’t be attached."
ATTACHMENT_TOO_LARGE_MSG = (
    "“{name}” is too large to attach ({size}); each file can be at most {limit}."
)
ATTACHMENT_CONTENT_MISMATCH_MSG = (
    "“{name}” can’t be attached: its content is not a {kind} file, although its name says so."
)
IMAGES_TOO_MANY_PIXELS_MSG = (
    "The images of one message may have at most {limit} million pixels together; “{name}” "
    "brings them to {total} million. Please send smaller versions, or fewer images per message."
)
TOO_MANY_ATTACHMENTS_MSG = (
    "A message can carry at most {max_count} attachments; {count} were added."
)


DEFAULT_DISPLAY_NAME = "attachment"
DISPLAY_NAME_MAX_CHARS = 150


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

    content_type = content_type_matching(extension, content)
    if content_type is None:
        return _refusal(
            ATTACHMENT_CONTENT_MISMATCH_MSG.format(name=display_name, kind=KIND_LABELS[extension])
        )
    if extension in IMAGE_FORMATS:
        pixels, problem = image_problem(
            content, image_format=IMAGE_FORMATS[extension], display_name=display_name
        )
        if problem is not None:
            return _refusal(problem)

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
