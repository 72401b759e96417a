"""SPF (pyspf) and DKIM (dkimpy), both answered by the one resolver of a check.

pyspf looks names up through its module-level `spf.DNSLookup`; it is pointed, once, at a
function that asks the resolver of the check running in this thread (a context variable), so
two checks at once in different threads each use their own."""

import ipaddress
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import dkim
import spf
from dkim.canonicalization import CanonicalizationPolicy
from dkim.util import parse_tag_value

from .resolvers import DnsTemporaryError, Resolver, normalized

logger = logging.getLogger(__name__)
# dkimpy logs every bad signature and key as an error; senders choose those, so they are not
# errors of ours (the result says what failed).
_dkimpy_logger = logging.getLogger(f"{__name__}.dkimpy")
_dkimpy_logger.setLevel(logging.CRITICAL)

# A mail with more signatures than this is judged on its first ones (each costs a lookup).
MAX_DKIM_SIGNATURES = 5
# The whole SPF check, all its lookups together (RFC 7208 4.6.4 suggests at least 20 s).
SPF_QUERY_SECONDS = 15
MIN_RSA_KEY_BITS = 1024

_active: ContextVar[Resolver | None] = ContextVar("sender_authentication_resolver", default=None)


def _spf_lookup(name: str, qtype: str, strict: Any = True, timeout: float = 0) -> list[Any]:
    """pyspf's DNSLookup: [((name, type), value), …]; TXT values are lists of bytes strings."""
    resolver = _active.get()
    if resolver is None:
        raise spf.TempError("DNS: no resolver for this check")
    if qtype not in ("TXT", "A", "AAAA", "MX", "PTR"):
        return []  # type 99 (SPF) is obsolete (RFC 7208 3.1)
    try:
        answers = resolver.lookup(name, qtype)
    except DnsTemporaryError as error:
        raise spf.TempError(f"DNS {error}") from error
    if qtype == "TXT":
        return [((name, qtype), [answer]) for answer in answers]
    return [((name, qtype), answer) for answer in answers]


spf.DNSLookup = _spf_lookup


@contextmanager
def resolving_with(resolver: Resolver) -> Iterator[None]:
    token = _active.set(resolver)
    try:
        yield
    finally:
        _active.reset(token)


def domain_of(address: str) -> str:
    return normalized(address.rpartition("@")[2]) if "@" in address else ""


def client_address(value: str | None) -> str | None:
    """The client's address as SPF compares it: an IPv4 client on a dual-stack socket
    (::ffff:192.0.2.1) as IPv4; None for anything that is not an address."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)


def spf_check(
    resolver: Resolver, *, client_ip: str | None, envelope_from: str, helo: str
) -> tuple[str, str]:
    """(result, the domain checked): the MAIL FROM domain, or the HELO name when MAIL FROM is
    empty (RFC 7208 2.4). "none" without a client address (nothing to check)."""
    envelope_from = envelope_from.strip().strip("<>")
    domain = domain_of(envelope_from) or normalized(helo)
    client_ip = client_address(client_ip)
    if not client_ip or not domain:
        return "none", domain
    try:
        with resolving_with(resolver):
            result, _explanation = spf.check2(
                i=client_ip,
                s=envelope_from if domain_of(envelope_from) else "",
                h=helo or domain,
                querytime=SPF_QUERY_SECONDS,
            )
    except Exception:  # pyspf reports its own errors as results; anything else is a bug there
        logger.exception("SPF check of %s from %s failed", domain, client_ip)
        return "permerror", domain
    result = str(result).lower()
    if result not in ("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror"):
        result = "permerror"
    return result, domain


def _covers_whole_body(signature: dict[bytes, bytes], body: bytes) -> bool:
    """A signature with l= shorter than the body signs only its start: text appended after it
    (by anyone) would pass, so such a signature proves nothing about what we read."""
    if b"l" not in signature:
        return True
    try:
        policy = CanonicalizationPolicy.from_c_value(signature.get(b"c", b"simple/simple"))
        return int(signature[b"l"]) >= len(policy.canonicalize_body(body))
    except Exception:  # noqa: BLE001  (a malformed l= or c=: the signature is not trusted)
        return False


def dkim_check(resolver: Resolver, raw: bytes) -> tuple[str, tuple[str, ...]]:
    """(result, the d= of each valid signature). pass: at least one valid signature that signs
    From and the whole body; temperror: none valid and a key lookup failed for a while; fail:
    signatures, none valid; none: no signature."""
    temporary: list[str] = []

    def txt(name: bytes, timeout: float = 5) -> bytes | None:
        try:
            answers = resolver.lookup(name.decode("ascii", errors="replace"), "TXT")
        except DnsTemporaryError as error:
            temporary.append(str(error))
            raise dkim.DnsTimeoutError(str(error)) from error
        return answers[0] if answers else None

    try:
        verifier = dkim.DKIM(raw, minkey=MIN_RSA_KEY_BITS, logger=_dkimpy_logger)
    except Exception:  # noqa: BLE001  (a message dkimpy cannot even split into headers)
        return "fail", ()
    signatures = [v for k, v in verifier.headers if k.lower() == b"dkim-signature"]
    if not signatures:
        return "none", ()
    valid: list[str] = []
    lookup_failed = False
    for index, header in enumerate(signatures[:MAX_DKIM_SIGNATURES]):
        temporary.clear()
        try:
            fields = parse_tag_value(header)
            signed = [h.strip().lower() for h in re.split(rb"\s*:\s*", fields.get(b"h", b""))]
            if b"from" not in signed or not _covers_whole_body(fields, verifier.body):
                continue
            if verifier.verify(idx=index, dnsfunc=txt):
                valid.append(normalized(fields[b"d"].decode("ascii")))
                continue
        except Exception:  # noqa: BLE001  (dkimpy raises for malformed signatures and keys)
            logger.debug("DKIM signature %d is not valid", index, exc_info=True)
        lookup_failed = lookup_failed or bool(temporary)
    if valid:
        return "pass", tuple(dict.fromkeys(valid))
    return ("temperror" if lookup_failed else "fail"), ()
