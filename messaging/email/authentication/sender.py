"""`sender_check`: is the From address of a mail proven by SPF, DKIM and DMARC?"""

import email
import email.policy
import re
from email.utils import getaddresses

from .checks import dkim_check, spf_check
from .dmarc import aligned, dmarc_record
from .resolvers import DnsTemporaryError, Resolver, resolver
from .result import SenderCheck, conclude, unreadable_from

LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN = re.compile(rf"^(?=.{{1,253}}$){LABEL}(?:\.{LABEL})*$")

NO_FROM_MSG = (
    "Your email has no sender address in From, so we cannot tell who sent it: send it again "
    "from your mail client."
)
SEVERAL_FROM_MSG = (
    "Your email names more than one sender in From, so we cannot tell who sent it: send it "
    "from the one address you use with AlphaDiscounters."
)
BAD_FROM_MSG = (
    "The sender address in your email's From cannot be read: send it again from your mail client."
)


def _ascii_domain(domain: str) -> str:
    domain = domain.strip().rstrip(".").lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    return domain if DOMAIN.match(domain) else ""


def from_address(raw: bytes) -> tuple[str, str] | str:
    """(address, its domain as an ASCII name) of the one From address; else the refusal words.

    Both the modern header parser and `getaddresses` must read the same single address, so a
    From line the two read differently (one way to smuggle a second address) is refused."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        values = message.get_all("From") or []
    except Exception:  # noqa: BLE001  (the parser is lenient; a last line of defence)
        return BAD_FROM_MSG
    if len(values) > 1:
        return SEVERAL_FROM_MSG
    if not values:
        return NO_FROM_MSG
    try:
        modern = [a.addr_spec for a in getattr(values[0], "addresses", ()) if a.addr_spec]
    except Exception:  # noqa: BLE001
        return BAD_FROM_MSG
    legacy = [a for _, a in getaddresses([str(values[0])]) if a]
    if len(modern) > 1 or len(legacy) > 1:
        return SEVERAL_FROM_MSG
    if not modern and not legacy:
        return NO_FROM_MSG
    if len(modern) != 1 or len(legacy) != 1 or modern[0].lower() != legacy[0].lower():
        return BAD_FROM_MSG
    address = modern[0].strip().lower()
    local, _, domain = address.rpartition("@")
    ascii_domain = _ascii_domain(domain)
    if not local or not ascii_domain:
        return BAD_FROM_MSG
    return address, ascii_domain


def _dmarc(
    answers: Resolver, from_domain: str, spf: str, spf_domain: str, dkim_domains: tuple[str, ...]
) -> tuple[str, str]:
    try:
        record = dmarc_record(answers, from_domain)
    except DnsTemporaryError:
        return "temperror", ""
    if record is None:
        return "none", ""
    passed = any(aligned(d, from_domain, strict=record.strict_dkim) for d in dkim_domains) or (
        spf == "pass" and aligned(spf_domain, from_domain, strict=record.strict_spf)
    )
    return ("pass" if passed else "fail"), record.policy


def sender_check(
    raw: bytes, *, envelope_from: str, client_ip: str | None, helo: str = ""
) -> SenderCheck:
    """Check the From domain of a raw mail: SPF for the envelope sender from `client_ip` (not
    checked when None, as for a webhook), every DKIM signature, then DMARC (RFC 7489)."""
    found = from_address(raw)
    if isinstance(found, str):
        return unreadable_from(detail=found, summary="from=unreadable; not authenticated")
    address, from_domain = found
    answers = resolver()
    spf, spf_domain = spf_check(
        answers, client_ip=client_ip, envelope_from=envelope_from, helo=helo
    )
    dkim, dkim_domains = dkim_check(answers, raw)
    dmarc, policy = _dmarc(answers, from_domain, spf, spf_domain, dkim_domains)
    return conclude(
        from_address=address,
        from_domain=from_domain,
        spf=spf,
        spf_domain=spf_domain,
        dkim=dkim,
        dkim_domains=dkim_domains,
        dmarc=dmarc,
        dmarc_policy=policy,
    )
