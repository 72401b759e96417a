"""A hosted mail service's verdict, read from its Authentication-Results header (RFC 8601).

Only the topmost header whose authserv-id is the one the operator declared trusted counts: the
service adds its own above everything the sender wrote, so copies further down (or with another
id) are the sender's words and are ignored."""

import email
import email.policy
import re

import authres

from .checks import domain_of
from .resolvers import normalized
from .result import SenderCheck, conclude, unreadable_from
from .sender import from_address

AUTHSERV_ID = re.compile(r"^\s*(?:\([^()]*\)\s*)*([^\s;()]+)")
DMARC_POLICY = re.compile(r"\bdmarc\s*=\s*\w+\s*\(([^()]*)\)", re.IGNORECASE)
POLICY = re.compile(r"\bp\s*=\s*(none|quarantine|reject)\b", re.IGNORECASE)

SPF_RESULTS = {"pass", "fail", "softfail", "neutral", "none", "temperror", "permerror"}


def _trusted_header(raw: bytes, authserv_id: str) -> str | None:
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        values = message.get_all("Authentication-Results") or []
    except Exception:  # noqa: BLE001
        return None
    for value in values:
        text = " ".join(str(value).split())
        match = AUTHSERV_ID.match(text)
        if match and match.group(1).lower() == authserv_id.lower():
            return text
    return None


def _property(result: object, ptype: str, name: str) -> str:
    for prop in getattr(result, "properties", []) or []:
        if str(prop.type).lower() == ptype and str(prop.name).lower() == name:
            return str(prop.value or "")
    return ""


def _spf(results: list[object]) -> tuple[str, str]:
    for result in results:
        if str(getattr(result, "method", "")).lower() != "spf":
            continue
        value = str(getattr(result, "result", "")).lower()
        value = "fail" if value == "hardfail" else value
        mail_from = _property(result, "smtp", "mailfrom")
        domain = domain_of(mail_from) if "@" in mail_from else normalized(mail_from)
        domain = domain or normalized(_property(result, "smtp", "helo"))
        return (value if value in SPF_RESULTS else "neutral"), domain
    return "none", ""


def _dkim(results: list[object]) -> tuple[str, tuple[str, ...]]:
    values, passed = [], []
    for result in results:
        if str(getattr(result, "method", "")).lower() != "dkim":
            continue
        value = str(getattr(result, "result", "")).lower()
        values.append(value)
        if value == "pass":
            domain = _property(result, "header", "d") or domain_of(_property(result, "header", "i"))
            if domain:
                passed.append(normalized(domain))
    if passed:
        return "pass", tuple(dict.fromkeys(passed))
    if "temperror" in values:
        return "temperror", ()
    return ("fail" if any(v != "none" for v in values) else "none"), ()


def _dmarc(results: list[object], header: str, from_domain: str) -> tuple[str, str] | None:
    for result in results:
        if str(getattr(result, "method", "")).lower() != "dmarc":
            continue
        value = str(getattr(result, "result", "")).lower()
        header_from = normalized(_property(result, "header", "from"))
        if header_from and header_from != from_domain:
            return "fail", ""  # a verdict about another From than the one we read
        comment = DMARC_POLICY.search(header)
        policy = POLICY.search(comment.group(1)) if comment else None
        policy_word = policy.group(1).lower() if policy else ""
        if value in ("pass", "fail", "temperror"):
            return value, policy_word
        if value in ("none", "permerror", "bestguesspass"):
            return "none", ""
        return "fail", policy_word
    return None


def sender_check_from_trusted_header(raw: bytes, *, authserv_id: str) -> SenderCheck | None:
    """The trusted service's SPF, DKIM and DMARC results for this mail, judged as `sender_check`
    judges its own; None when the service added no (readable) header with results, so the
    caller checks the mail itself (DKIM only, without the client address)."""
    if not authserv_id.strip():
        return None
    header = _trusted_header(raw, authserv_id.strip())
    if header is None:
        return None
    try:
        parsed = authres.AuthenticationResultsHeader.parse(f"Authentication-Results: {header}")
    except Exception:  # noqa: BLE001  (authres raises its own errors for unreadable headers)
        return None
    results = [r for r in parsed.results if getattr(r, "method", None)]
    methods = {str(r.method).lower() for r in results}
    if not methods & {"spf", "dkim", "dmarc"}:
        return None
    found = from_address(raw)
    if isinstance(found, str):
        return unreadable_from(detail=found, summary=f"{authserv_id}; from=unreadable")
    address, from_domain = found
    spf, spf_domain = _spf(results)
    dkim, dkim_domains = _dkim(results)
    dmarc_result = _dmarc(results, header, from_domain)
    if dmarc_result is None:
        # The service did not evaluate DMARC: its SPF and DKIM results, aligned with From,
        # count as they would without a DMARC record.
        dmarc_result = ("none", "")
    dmarc, policy = dmarc_result
    return conclude(
        from_address=address,
        from_domain=from_domain,
        spf=spf,
        spf_domain=spf_domain,
        dkim=dkim,
        dkim_domains=dkim_domains,
        dmarc=dmarc,
        dmarc_policy=policy,
        via=f"via {authserv_id.strip()}",
    )
