"""Reading an inbound email (SPEC section 5): the standard library's modern email API, any
charset, RFC 2047 headers. Pure: bytes in, a `ParsedMail` or a `Refusal` out; never raises on
malformed input.
"""

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import Message
from email.utils import getaddresses

from core.refusals import Refusal

MAX_MIME_DEPTH = 20
MAX_MIME_PARTS = 200
MAX_ID_LENGTH = 255
MAX_REFERENCES = 50
MAX_ADDRESS_LENGTH = 254
ORDER_NUMBER = re.compile(r"(?<!\d)(\d{3})-?(\d{7})-?(\d{7})(?!\d)")

MALFORMED_MSG = (
    "Your email could not be read ({detail}). Send it again from your mail client as a plain "
    "message, or write from the website."
)
TWO_SENDERS_MSG = (
    "Your email names more than one sender in From. Send it from one address: the one you use "
    "with AlphaDiscounters."
)
NO_SENDER_MSG = "Your email has no sender address in From. Send it again from your mail client."
TOO_DEEP_MSG = "nested too deeply: more than {depth} levels of parts"
TOO_MANY_PARTS_MSG = "more than {parts} parts"
NO_TEXT_MSG = (
    "Your email had no text we could read. Write your message in the body of the email (plain "
    "text or HTML), then send it again."
)
QUOTE_HEADER = re.compile(
    r"^(On .{1,300} wrote:|Am .{1,300} schrieb .{1,200}:|Le .{1,300} a écrit\s?:|"
    r"El .{1,300} escribió:|-{2,} ?Original Message ?-{2,}|_{5,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class ParsedAttachment:
    name: str
    content: bytes


@dataclass(frozen=True)
class ParsedMail:
    sender: str  # the one From address, lower-case
    subject: str
    header_message_id: str
    references: tuple[str, ...]  # In-Reply-To first, then References, newest first
    text: str  # the new text, without the quoted history
    html: str  # as sent (sanitized where it is stored, R14)
    attachments: tuple[ParsedAttachment, ...] = field(default_factory=tuple)
    auto_submitted: bool = False  # an autoreply or a bounce: never answered with a bounce

    def order_numbers(self) -> list[str]:
        """Order IDs named in the subject or the new text (R7), as 123-1234567-1234567."""
        found = ORDER_NUMBER.findall(f"{self.subject}\n{self.text}")
        return list(dict.fromkeys(f"{a}-{b}-{c}" for a, b, c in found))


def _refuse(detail: str) -> Refusal:
    return Refusal(rule="MAIL", message=MALFORMED_MSG.format(detail=detail))


def storable(value: str) -> str:
    """Text the database can store, as near to what was sent as possible: NUL characters
    removed, and bytes that were not valid text (kept by the email parser as lone surrogates)
    read as UTF-8, or replaced by "\ufffd" where they are not UTF-8 either."""
    value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = value.encode("utf-8", errors="surrogateescape")
        except UnicodeEncodeError:
            raw = value.encode("utf-8", errors="surrogatepass")
        value = raw.decode("utf-8", errors="replace").replace("\x00", "")
    return value


def _header(message: Message, name: str) -> str:
    try:
        value = str(message.get(name, ""))
    except Exception:  # noqa: BLE001  (a header the policy cannot even parse: treat as absent)
        return ""
    return " ".join(storable(value).split())


def _ids(value: str) -> list[str]:
    """Message-IDs in a header, at most MAX_REFERENCES, each short enough to store (a longer
    one cannot be ours, nor stored)."""
    found = [i for i in re.findall(r"<[^<>\s]+>", value) if len(i) <= MAX_ID_LENGTH]
    return found[-MAX_REFERENCES:]


def _depth_and_parts(message: Message) -> tuple[int, int]:
    """How deep the MIME tree goes and how many parts it has, without recursion."""
    deepest, parts, stack = 0, 0, [(message, 1)]
    while stack:
        part, depth = stack.pop()
        parts += 1
        deepest = max(deepest, depth)
        if parts > MAX_MIME_PARTS or deepest > MAX_MIME_DEPTH:
            break
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend((child, depth + 1) for child in payload if isinstance(child, Message))
    return deepest, parts


def _decoded_text(part: Message) -> str:
    """A text part's content in any charset; an unknown or wrong charset falls back to UTF-8
    with replacement characters rather than failing."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return storable(payload.decode(charset))
    except (LookupError, UnicodeDecodeError):
        return storable(payload.decode("utf-8", errors="replace"))


def _filename(part: Message) -> str:
    """An attachment's file name as text the database can store ("" when it has none or it
    cannot be read)."""
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001  (a malformed RFC 2231 parameter: the name is unknown)
        return ""
    return " ".join(storable(name).split()) if name else ""


def new_text(text: str) -> str:
    """The text the sender wrote now: without the quoted history below "On … wrote:" and
    without `>` quoted lines (the full original is kept with the inbound mail)."""
    text = text.replace("\r\n", "\n")
    match = QUOTE_HEADER.search(text)
    if match:
        text = text[: match.start()]
    lines = [line for line in text.split("\n") if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def _sender(message: Message) -> str | Refusal:
    values = [_header(message, "From")]
    addresses = [address for _, address in getaddresses(values) if address]
    if not addresses:
        return Refusal(rule="MAIL", message=NO_SENDER_MSG)
    if len(addresses) > 1:
        return Refusal(rule="MAIL", message=TWO_SENDERS_MSG)
    try:
        Address(addr_spec=addresses[0])
    except (ValueError, IndexError, TypeError):
        return _refuse("the From address is not valid")
    if len(addresses[0]) > MAX_ADDRESS_LENGTH:
        return _refuse("the From address is too long")
    return addresses[0].strip().lower()


def parse_mail(raw: bytes) -> ParsedMail | Refusal:
    """Read one raw email; a `Refusal` (with words for the bounce) when it cannot be accepted."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:  # noqa: BLE001  (the parser is lenient; this is a last line of defence)
        return _refuse("it is not a valid email")
    depth, parts = _depth_and_parts(message)
    if depth > MAX_MIME_DEPTH:
        return _refuse(TOO_DEEP_MSG.format(depth=MAX_MIME_DEPTH))
    if parts > MAX_MIME_PARTS:
        return _refuse(TOO_MANY_PARTS_MSG.format(parts=MAX_MIME_PARTS))
    sender = _sender(message)
    if isinstance(sender, Refusal):
        return sender
    text, html, attachments = "", "", []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = _filename(part)
        content_type = part.get_content_type()
        if disposition == "attachment" or filename or not content_type.startswith("text/"):
            if content_type.startswith("multipart/") or content_type == "message/rfc822":
                continue
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload:
                attachments.append(ParsedAttachment(name=filename or "attachment", content=payload))
        elif content_type == "text/plain" and not text:
            text = _decoded_text(part)
        elif content_type == "text/html" and not html:
            html = _decoded_text(part)
    if not (text.strip() or html.strip() or attachments):
        return Refusal(rule="MAIL", message=NO_TEXT_MSG)
    references = [*reversed(_ids(_header(message, "In-Reply-To")))]
    references += [i for i in reversed(_ids(_header(message, "References"))) if i not in references]
    auto = _header(message, "Auto-Submitted").lower()
    return ParsedMail(
        sender=sender,
        subject=_header(message, "Subject"),
        header_message_id=(_ids(_header(message, "Message-ID")) or [""])[0],
        references=tuple(references),
        text=new_text(text),
        html=html,
        attachments=tuple(attachments),
        auto_submitted=bool(auto and auto != "no")
        or bool(_header(message, "X-Autoreply"))
        or _header(message, "Content-Type").lower().startswith("multipart/report"),
    )


def header_message_id(raw: bytes) -> str:
    """The Message-ID of a raw email, for storing it once per alias before it is processed."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:  # noqa: BLE001
        return ""
    return (_ids(_header(message, "Message-ID")) or [""])[0]
