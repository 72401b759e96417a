"""Sender authentication in tests: a DNS zone the test controls, and real DKIM signatures.

Every test reads `dns_zone.json` beside this file (tests/conftest.py points
MESSAGING_DNS_ZONE_FILE at it): SPF `ip4:127.0.0.1 ip6:::1 -all` for every domain, so mail sent
over loopback SMTP from any test address authenticates by SPF, and the public key of
`dkim_test_key.pem` at selector `test` of every domain, so `dkim_sign(raw, domain)` makes a
signature that verifies. The `dns_zone` fixture (tests/conftest.py) starts from a copy of that
zone and writes each change to the file the check reads:

    def test_forged(dns_zone):
        dns_zone.clear()                      # a blank zone: no SPF, DKIM or DMARC anywhere
        dns_zone.spf("evil.example", "v=spf1 ip4:198.51.100.66 -all")
        dns_zone.dmarc("acme-outfitters.example", "v=DMARC1; p=reject")
        dns_zone.dkim_key("acme-outfitters.example")
        dns_zone.servfail("_dmarc.slow.example")
"""

import copy
import json
import re
from pathlib import Path

import dkim

HERE = Path(__file__).resolve().parent
DEFAULT_ZONE_FILE = HERE / "dns_zone.json"
DKIM_KEY_FILE = HERE / "dkim_test_key.pem"
SPF_LOOPBACK = "v=spf1 ip4:127.0.0.1 ip6:::1 -all"
SERVFAIL = "SERVFAIL"


def no_real_dns(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"a test asked real DNS: {args}")


def crlf(raw: bytes) -> bytes:
    """Line ends as SMTP carries them."""
    return re.sub(rb"(?<!\r)\n", b"\r\n", raw)


def dkim_public_key_record() -> str:
    """The TXT record (v=DKIM1; k=rsa; p=…) of the test key, as the default zone publishes it."""
    zone = json.loads(DEFAULT_ZONE_FILE.read_text())
    return zone["test._domainkey.*"]["TXT"][0]


def dkim_sign(
    raw: bytes,
    domain: str,
    selector: str = "test",
    *,
    length: bool = False,
    include_headers: list[bytes] | None = None,
) -> bytes:
    """`raw` (CRLF line ends) with a DKIM-Signature of d=`domain`, s=`selector` on top, made by
    dkimpy with the test key; it verifies wherever the zone publishes `dkim_key(domain)`."""
    raw = crlf(raw)
    signature = dkim.sign(
        raw,
        selector.encode(),
        domain.encode(),
        DKIM_KEY_FILE.read_bytes(),
        length=length,
        include_headers=include_headers,
    )
    return signature + raw


class DnsZone:
    """The zone file the checks read, as a dict a test changes; each change is written at once."""

    def __init__(self, path: Path, records: dict | None = None) -> None:
        self.path = path
        self.records: dict = (
            copy.deepcopy(records)
            if records is not None
            else json.loads(DEFAULT_ZONE_FILE.read_text())
        )
        self.save()

    def save(self) -> None:
        self.path.write_text(json.dumps(self.records, indent=1))

    def clear(self) -> "DnsZone":
        """Nothing published anywhere (every name does not exist)."""
        self.records = {}
        self.save()
        return self

    def set(self, name: str, rtype: str, *values: str | list[str]) -> "DnsZone":
        """Replace the `rtype` records of `name` (no values: remove them)."""
        entry = self.records.get(name)
        if not isinstance(entry, dict):
            entry = self.records[name] = {}
        if values:
            entry[rtype] = list(values)
        else:
            entry.pop(rtype, None)
        self.save()
        return self

    def remove(self, name: str) -> "DnsZone":
        self.records.pop(name, None)
        self.save()
        return self

    def spf(self, domain: str, record: str = SPF_LOOPBACK) -> "DnsZone":
        return self.set(domain, "TXT", record)

    def dmarc(self, domain: str, record: str = "v=DMARC1; p=reject") -> "DnsZone":
        return self.set(f"_dmarc.{domain}", "TXT", record)

    def dkim_key(self, domain: str, selector: str = "test") -> "DnsZone":
        return self.set(f"{selector}._domainkey.{domain}", "TXT", dkim_public_key_record())

    def servfail(self, name: str, rtype: str | None = None) -> "DnsZone":
        """Lookups of `name` (of one type, or all) fail as a broken DNS server's do."""
        if rtype is None:
            self.records[name] = SERVFAIL
            self.save()
            return self
        entry = self.records.get(name)
        if not isinstance(entry, dict):
            entry = self.records[name] = {}
        entry[rtype] = SERVFAIL
        self.save()
        return self
