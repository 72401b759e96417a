"""The one DNS answer source of sender authentication (SPF, DKIM keys, DMARC records).

`resolver()` picks it from the settings: `MESSAGING_DNS_ZONE_FILE` names a static zone (tests,
and `make run`'s demo so its mail authenticates without internet), otherwise dnspython asks the
machine's resolvers with a short timeout.

A zone file is JSON: ``{"name": {"TXT": [...], "A": [...], "AAAA": [...], "MX": [...], "PTR":
[...]}}``. Names are matched without case and without a trailing dot. A name with ``*`` is a
pattern where ``*`` stands for one or more labels: ``*.example.com`` answers for any name below
example.com, ``test._domainkey.*`` for that selector of every domain, ``*`` for any name; a
name's own entry comes first, then the pattern with the most fixed characters. A TXT value is a
string or a list of strings (one record in several parts); an MX value is ``"10
mx.example.com"``. ``"SERVFAIL"`` in place of a name's entry, or of one type's list, makes that
lookup fail as a DNS server failure does (a temporary error).
"""

import json
import re
from pathlib import Path
from typing import Any, Protocol

import dns.exception
import dns.name
import dns.resolver
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Per lookup; an SPF check makes at most about 20, and pyspf also caps the whole check.
LOOKUP_TIMEOUT_SECONDS = 3.0
SERVFAIL = "SERVFAIL"
RECORD_TYPES = ("TXT", "A", "AAAA", "MX", "PTR")

TxtAnswer = bytes  # one record, its strings joined
MxAnswer = tuple[int, str]


class DnsTemporaryError(Exception):
    """The answer could not be had now (timeout, server failure): the check may succeed later."""


class Resolver(Protocol):
    def lookup(self, name: str, rdtype: str) -> list[Any]:
        """Answers of one type for one name: TXT → bytes per record, A/AAAA/PTR → str,
        MX → (preference, exchange). An empty list when the name or the type does not exist;
        `DnsTemporaryError` when no answer could be had."""
        ...


def normalized(name: str) -> str:
    return name.strip().rstrip(".").lower()


class ZoneResolver:
    """Answers from a JSON zone file, read once when made (a check makes one)."""

    def __init__(self, path: str | Path) -> None:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ImproperlyConfigured(
                f"MESSAGING_DNS_ZONE_FILE {path}: cannot be read as a JSON zone ({error})"
            ) from error
        if not isinstance(data, dict):
            raise ImproperlyConfigured(f"MESSAGING_DNS_ZONE_FILE {path}: not a JSON object")
        self.path = str(path)
        self.zone: dict[str, Any] = {normalized(name): entry for name, entry in data.items()}
        patterns = sorted(
            (name for name in self.zone if "*" in name),
            key=lambda name: len(name.replace("*", "")),
            reverse=True,
        )
        self.patterns = [
            (re.compile("^" + re.escape(name).replace(r"\*", r"[^.]+(?:\.[^.]+)*") + "$"), name)
            for name in patterns
        ]

    def _entry(self, name: str) -> Any:
        name = normalized(name)
        if name in self.zone:
            return self.zone[name]
        for pattern, key in self.patterns:
            if pattern.match(name):
                return self.zone[key]
        return None

    def lookup(self, name: str, rdtype: str) -> list[Any]:
        entry = self._entry(name)
        if entry == SERVFAIL:
            raise DnsTemporaryError(f"{name} {rdtype}: SERVFAIL (zone file)")
        if not isinstance(entry, dict):
            return []
        values = entry.get(rdtype, [])
        if values == SERVFAIL:
            raise DnsTemporaryError(f"{name} {rdtype}: SERVFAIL (zone file)")
        if not isinstance(values, list):
            values = [values]
        if rdtype == "TXT":
            return ["".join(v).encode() if isinstance(v, list) else str(v).encode() for v in values]
        if rdtype == "MX":
            answers: list[MxAnswer] = []
            for value in values:
                preference, _, exchange = str(value).strip().partition(" ")
                answers.append((int(preference), normalized(exchange)))
            return answers
        return [str(v) for v in values]


class DnspythonResolver:
    """The machine's resolvers (/etc/resolv.conf), each lookup cut off after a few seconds."""

    def __init__(self, timeout: float = LOOKUP_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    def lookup(self, name: str, rdtype: str) -> list[Any]:
        try:
            answer = dns.resolver.resolve(
                normalized(name) + ".", rdtype, lifetime=self.timeout, search=False
            )
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.YXDOMAIN):
            return []
        except dns.name.NameTooLong:
            return []
        except dns.name.EmptyLabel:
            return []
        except (
            dns.exception.Timeout,
            dns.resolver.NoNameservers,
            dns.resolver.NoResolverConfiguration,
        ) as error:
            raise DnsTemporaryError(f"{name} {rdtype}: {error}") from error
        except dns.exception.DNSException as error:
            raise DnsTemporaryError(f"{name} {rdtype}: {error}") from error
        if rdtype == "TXT":
            return [b"".join(r.strings) for r in answer]
        if rdtype == "MX":
            return [(r.preference, r.exchange.to_text(omit_final_dot=True).lower()) for r in answer]
        if rdtype == "PTR":
            return [r.target.to_text(omit_final_dot=True).lower() for r in answer]
        return [r.address for r in answer]


def resolver() -> Resolver:
    """The answer source the settings choose."""
    zone_file = getattr(settings, "MESSAGING_DNS_ZONE_FILE", "")
    if zone_file:
        return ZoneResolver(zone_file)
    return DnspythonResolver()
