"""R13: attachment checks, as pure functions: bytes and a sender-supplied name in, a
`CheckedAttachment` or the `Refusal(rule="R13", ...)` saying why not out. Nothing is raised;
the caller (a service) decides what a refusal means. No ORM, no disk I/O.

Files are checked by content as well as by name: the content must be of the type the extension
promises (an executable renamed `.pdf` is refused), and images must decode with Pillow without
tripping its decompression-bomb guard. The sender's file name is only cleaned for display;
storage names are generated elsewhere and never derived from it.

By subject: `checks` (a message's attachments, one by one and together), `file_types` (the
allowed extensions and whether content matches its extension), `images` (pixel limits,
decoding, metadata removed from the copy the other party gets). Every public name of the three
is importable from here.
"""

from messaging.attachments.checks import (
    ATTACHMENT_CONTENT_MISMATCH_MSG,
    ATTACHMENT_EMPTY_MSG,
    ATTACHMENT_TOO_LARGE_MSG,
    ATTACHMENT_TYPE_NOT_ALLOWED_MSG,
    DEFAULT_DISPLAY_NAME,
    DISPLAY_NAME_MAX_CHARS,
    IMAGES_TOO_MANY_PIXELS_MSG,
    RULE,
    TOO_MANY_ATTACHMENTS_MSG,
    CheckedAttachment,
    IncomingAttachment,
    attachment_check,
    attachments_check,
    display_name_clean,
    format_size,
)
from messaging.attachments.file_types import (
    ALLOWED_EXTENSIONS,
    CONTENT_TYPES,
    IMAGE_FORMATS,
    KIND_LABELS,
    LEGACY_TEXT_CONTENT_TYPE,
    content_type_matching,
)
from messaging.attachments.images import (
    ATTACHMENT_IMAGE_DIMENSIONS_MSG,
    ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG,
    ATTACHMENT_IMAGE_UNREADABLE_MSG,
    IMAGE_MAX_PIXELS,
    JPEG_STRIPPED_QUALITY,
    MESSAGE_IMAGES_MAX_PIXELS,
    METADATA_IMAGE_FORMATS,
    image_metadata_strip,
    image_problem,
)

__all__ = [
    "ALLOWED_EXTENSIONS",
    "ATTACHMENT_CONTENT_MISMATCH_MSG",
    "ATTACHMENT_EMPTY_MSG",
    "ATTACHMENT_IMAGE_DIMENSIONS_MSG",
    "ATTACHMENT_IMAGE_TOO_MANY_PIXELS_MSG",
    "ATTACHMENT_IMAGE_UNREADABLE_MSG",
    "ATTACHMENT_TOO_LARGE_MSG",
    "ATTACHMENT_TYPE_NOT_ALLOWED_MSG",
    "CONTENT_TYPES",
    "CheckedAttachment",
    "DEFAULT_DISPLAY_NAME",
    "DISPLAY_NAME_MAX_CHARS",
    "IMAGES_TOO_MANY_PIXELS_MSG",
    "IMAGE_FORMATS",
    "IMAGE_MAX_PIXELS",
    "IncomingAttachment",
    "JPEG_STRIPPED_QUALITY",
    "KIND_LABELS",
    "LEGACY_TEXT_CONTENT_TYPE",
    "MESSAGE_IMAGES_MAX_PIXELS",
    "METADATA_IMAGE_FORMATS",
    "RULE",
    "TOO_MANY_ATTACHMENTS_MSG",
    "attachment_check",
    "attachments_check",
    "content_type_matching",
    "display_name_clean",
    "format_size",
    "image_metadata_strip",
    "image_problem",
]
