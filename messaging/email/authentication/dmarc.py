"""DMARC (RFC 7489): the policy record of a From domain, the organizational domain (Public
Suffix List, the snapshot bundled with `publicsuffixlist`: nothing is fetched at run time) and
identifier alignment."""

import re
from dataclasses import dataclass
from functools import lru_cache

from publicsuffixlist import PublicSuffixList

from .resolvers import Resolver, normalized

POLICIES = ("none", "quarantine", "reject")
DMARC_RECORD = re.compile(rb"^\s*v\s*=\s*DMARC1\s*(;|$)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _suffix_list() -> PublicSuffixList:
    return PublicSuffixList()


def organizational_domain(domain: str) -> str:
    """example.com for mail.example.com, example.co.uk for a.b.example.co.uk; a name that is
    itself a public suffix (or unknown to the list's rules) is its own organizational domain."""
    domain = normalized(domain)
    return _suffix_list().privatesuffix(domain) or domain


def aligned(identifier: str, from_domain: str, *, strict: bool) -> bool:
    """RFC 7489 3.1: strict needs the same name; relaxed the same organizational domain."""
    identifier, from_domain = normalized(identifier), normalized(from_domain)
    if not identifier or not from_domain:
        return False
    if strict:
        return identifier == from_domain
    return organizational_domain(identifier) == organizational_domain(from_domain)


@dataclass(frozen=True)
class DmarcRecord:
    domain: str  # where it was found: the From domain or its organizational domain
    policy: str  # none | quarantine | reject: the one that applies to the From domain
    strict_dkim: bool
    strict_spf: bool


def _tags(record: bytes) -> dict[str, str]:
    tags: dict[str, str] = {}
    for part in record.decode("ascii", errors="replace").split(";"):
        name, sep, value = part.partition("=")
        if sep and name.strip():
            tags.setdefault(name.strip().lower(), value.strip())
    return tags


def _records_at(resolver: Resolver, domain: str) -> list[bytes]:
    return [t for t in resolver.lookup(f"_dmarc.{domain}", "TXT") if DMARC_RECORD.match(t)]


def dmarc_record(resolver: Resolver, from_domain: str) -> DmarcRecord | None:
    """The policy record that governs `from_domain` (RFC 7489 6.6.3): `_dmarc.<From domain>`,
    else `_dmarc.<organizational domain>` whose `sp=` then applies. None when there is none
    (or more than one, or one without a valid `p=` and no `rua=`). Raises `DnsTemporaryError`."""
    from_domain = normalized(from_domain)
    found_at = from_domain
    records = _records_at(resolver, from_domain)
    org = organizational_domain(from_domain)
    if not records and org != from_domain:
        found_at = org
        records = _records_at(resolver, org)
    if len(records) != 1:
        return None
    tags = _tags(records[0])
    policy = tags.get("p", "").lower()
    if policy not in POLICIES:
        if "rua" not in tags:
            return None
        policy = "none"
    if found_at != from_domain:
        subdomain_policy = tags.get("sp", "").lower()
        policy = subdomain_policy if subdomain_policy in POLICIES else policy
    return DmarcRecord(
        domain=found_at,
        policy=policy,
        strict_dkim=tags.get("adkim", "r").lower() == "s",
        strict_spf=tags.get("aspf", "r").lower() == "s",
    )
