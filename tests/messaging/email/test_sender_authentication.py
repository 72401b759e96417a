"""Sender authentication of inbound mail (issue 22, finding 1): SPF, DKIM and DMARC decide
whether a mail comes from its From domain (messaging.email.authentication). Real messages
signed by dkimpy in the test, DNS answered by a zone the test writes (tests/messaging/email/
mailauth.py); no database, no network."""

from email.message import EmailMessage

import dns.exception
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from messaging.email.authentication import (
    SenderCheck,
    sender_check,
    sender_check_from_trusted_header,
)
from messaging.email.authentication.dmarc import aligned, organizational_domain
from messaging.email.authentication.resolvers import (
    DnspythonResolver,
    DnsTemporaryError,
    ZoneResolver,
    resolver,
)
from tests.messaging.email.mailauth import crlf, dkim_sign

ACME = "acme-outfitters.example"
SELLER = f"inbox@{ACME}"
ACME_SERVER = "192.0.2.10"
ATTACKER_SERVER = "198.51.100.66"
FORWARDER = "203.0.113.7"


def _mail(
    sender: str = SELLER,
    body: str = "About order 123-1234567-1234567: it ships today.",
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "buyer-x@m.alphadiscounters.com"
    message["Subject"] = "Your order"
    message["Message-ID"] = "<a1@acme-outfitters.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return crlf(message.as_bytes())


@pytest.fixture
def zone(dns_zone):
    """A blank zone with Acme's mail server in its SPF and its DKIM key published."""
    dns_zone.clear()
    dns_zone.spf(ACME, f"v=spf1 ip4:{ACME_SERVER} -all")
    dns_zone.dkim_key(ACME)
    return dns_zone


def _check(
    raw: bytes, *, envelope_from: str = SELLER, client_ip: str | None = ACME_SERVER
) -> SenderCheck:
    return sender_check(raw, envelope_from=envelope_from, client_ip=client_ip, helo="mx.example")


# ---- the probe's forgery and its counterparts


def test_finding1_forged_from_with_spf_passing_for_the_attackers_own_domain_is_refused(zone):
    """MAIL FROM:<attacker@evil.example>, From: Acme's approved address, sent from a server
    evil.example allows: SPF passes, but for the wrong domain."""
    zone.spf("evil.example", f"v=spf1 ip4:{ATTACKER_SERVER} -all")
    check = _check(_mail(), envelope_from="attacker@evil.example", client_ip=ATTACKER_SERVER)
    assert check.spf == "pass"
    assert check.spf_domain == "evil.example"
    assert check.from_address == SELLER
    assert check.from_domain == ACME
    assert check.dkim == "none"
    assert check.dmarc == "none"
    assert not check.authenticated
    assert not check.temporary
    assert ACME in check.reason
    assert "evil.example" in check.reason

    zone.dmarc(ACME, "v=DMARC1; p=reject")
    check = _check(_mail(), envelope_from="attacker@evil.example", client_ip=ATTACKER_SERVER)
    assert (check.dmarc, check.dmarc_policy, check.authenticated) == ("fail", "reject", False)
    assert "DMARC" in check.reason


def test_finding1_forged_from_signed_by_the_attackers_own_domain_is_refused(zone):
    zone.dkim_key("evil.example")
    raw = dkim_sign(_mail(), "evil.example")
    check = _check(raw, envelope_from="attacker@evil.example", client_ip=ATTACKER_SERVER)
    assert check.dkim == "pass"
    assert check.dkim_domains == ("evil.example",)
    assert not check.authenticated
    assert "evil.example" in check.reason


def test_finding1_mail_from_the_sellers_own_server_passes_spf_aligned_without_dmarc(zone, settings):
    check = _check(_mail())
    assert (check.spf, check.dmarc, check.dmarc_policy) == ("pass", "none", "")
    assert check.authenticated
    assert check.reason == ""
    assert "spf=pass" in check.summary
    assert f"header.from={ACME}" in check.summary

    settings.MESSAGING_AUTH_WITHOUT_DMARC = "refuse"
    check = _check(_mail())
    assert not check.authenticated
    assert not check.temporary
    assert "publishes no DMARC policy" in check.reason


def test_finding1_dkim_signed_mail_aligned_with_from_passes_dmarc(zone):
    zone.dmarc(ACME, "v=DMARC1; p=reject")
    raw = dkim_sign(_mail(), ACME)
    check = _check(raw, client_ip=None)  # the webhook: no client address, DKIM alone
    assert check.spf == "none"
    assert (check.dkim, check.dkim_domains) == ("pass", (ACME,))
    assert (check.dmarc, check.dmarc_policy) == ("pass", "reject")
    assert check.authenticated
    assert f"header.d={ACME}" in check.summary


def test_finding1_a_body_changed_after_signing_fails_dkim_and_dmarc(zone):
    zone.dmarc(ACME, "v=DMARC1; p=reject")
    raw = dkim_sign(_mail(body="Your refund is on its way."), ACME)
    tampered = raw.replace(b"Your refund is on its way.", b"Pay the fee at evil.example first.")
    assert tampered != raw
    check = _check(tampered, client_ip=None)
    assert (check.dkim, check.dkim_domains) == ("fail", ())
    assert (check.dmarc, check.authenticated) == ("fail", False)
    assert "DKIM signature does not verify" in check.reason


def test_finding1_text_appended_below_a_length_limited_signature_is_not_proven(zone):
    """A signature with l= covers only the start of the body; anyone may add to the rest."""
    zone.dmarc(ACME, "v=DMARC1; p=reject")
    raw = dkim_sign(_mail(body="Thanks for your order."), ACME, length=True)
    assert _check(raw, client_ip=None).authenticated
    appended = raw + b"Also: pay the customs fee at http://evil.example/pay\r\n"
    check = _check(appended, client_ip=None)
    assert check.dkim == "fail"
    assert not check.authenticated


def test_dmarc_reject_with_spf_fail_and_no_signature_is_refused(zone):
    zone.dmarc(ACME, "v=DMARC1; p=reject; rua=mailto:dmarc@acme-outfitters.example")
    check = _check(_mail(), client_ip=ATTACKER_SERVER)
    assert check.spf == "fail"
    assert (check.dmarc, check.dmarc_policy, check.authenticated) == ("fail", "reject", False)
    assert "is not one that acme-outfitters.example allows" in check.reason


def test_forwarded_mail_keeps_its_dkim_pass_when_spf_fails_at_the_forwarder(zone):
    zone.dmarc(ACME, "v=DMARC1; p=reject")
    signed = dkim_sign(_mail(), ACME)
    forwarded = (
        b"Received: from mx.acme-outfitters.example by forwarder.example; Mon, 7 Dec 2026\r\n"
        + signed
    )
    check = _check(forwarded, envelope_from=SELLER, client_ip=FORWARDER)
    assert check.spf == "fail"
    assert check.dkim == "pass"
    assert check.dmarc == "pass"
    assert check.authenticated


# ---- alignment: relaxed (organizational domain) and strict


@pytest.mark.parametrize(("adkim", "expected"), [("r", "pass"), ("s", "fail")])
def test_dkim_of_the_parent_domain_aligns_with_a_subdomain_from_only_when_relaxed(
    zone, adkim, expected
):
    zone.dmarc(ACME, f"v=DMARC1; p=reject; sp=quarantine; adkim={adkim}")
    raw = dkim_sign(_mail(sender=f"support@mail.{ACME}"), ACME)
    check = _check(raw, envelope_from=f"support@mail.{ACME}", client_ip=None)
    assert check.dkim == "pass"
    assert check.dmarc == expected
    assert check.dmarc_policy == "quarantine"  # sp= governs subdomains of the record's domain
    assert check.authenticated is (expected == "pass")


@pytest.mark.parametrize(("aspf", "expected"), [("r", "pass"), ("s", "fail")])
def test_spf_of_a_bounce_subdomain_aligns_with_from_only_when_relaxed(zone, aspf, expected):
    zone.spf(f"bounces.{ACME}", f"v=spf1 ip4:{ACME_SERVER} -all")
    zone.dmarc(ACME, f"v=DMARC1; p=reject; aspf={aspf}")
    check = _check(_mail(), envelope_from=f"b-123@bounces.{ACME}")
    assert check.spf == "pass"
    assert check.spf_domain == f"bounces.{ACME}"
    assert check.dmarc == expected
    assert check.dmarc_policy == "reject"


def test_organizational_domains_come_from_the_public_suffix_list():
    assert organizational_domain("a.b.shop.example.co.uk") == "example.co.uk"
    assert organizational_domain(f"mail.{ACME}") == ACME
    assert aligned("mail.example.co.uk", "example.co.uk", strict=False)
    # Two registrants under one public suffix are not one organization.
    assert not aligned("evil.co.uk", "victim.co.uk", strict=False)
    assert not aligned("attacker.github.io", "victim.github.io", strict=False)
    assert not aligned("mail.example.co.uk", "example.co.uk", strict=True)


# ---- DNS failures: retry, never a verdict


def test_a_dmarc_lookup_failure_is_temporary(zone):
    zone.servfail(f"_dmarc.{ACME}")
    check = _check(_mail(), client_ip=ATTACKER_SERVER)
    assert check.dmarc == "temperror"
    assert not check.authenticated
    assert check.temporary
    assert "try again" in check.reason


def test_a_dkim_key_lookup_failure_is_temporary_when_it_could_decide(zone):
    zone.dmarc(ACME, "v=DMARC1; p=reject")
    zone.servfail(f"test._domainkey.{ACME}", "TXT")
    check = _check(dkim_sign(_mail(), ACME), client_ip=None)
    assert check.dkim == "temperror"
    assert check.temporary
    assert not check.authenticated


def test_an_spf_lookup_failure_is_temporary_unless_dkim_already_proves_the_sender(zone):
    zone.servfail(ACME, "TXT")
    check = _check(_mail())
    assert check.spf == "temperror"
    assert check.temporary
    assert not check.authenticated

    check = _check(dkim_sign(_mail(), ACME))
    assert check.spf == "temperror"
    assert check.dkim == "pass"
    assert check.authenticated
    assert not check.temporary


def test_a_dns_failure_of_an_unrelated_domain_decides_nothing(zone):
    zone.servfail("evil.example")
    check = _check(_mail(), envelope_from="attacker@evil.example", client_ip=ATTACKER_SERVER)
    assert check.spf == "temperror"
    assert not check.authenticated
    assert not check.temporary


# ---- From: exactly one address


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"To: x@m.example\r\nSubject: x\r\n\r\nhello\r\n", "no sender address"),
        (
            f"From: {SELLER}\r\nFrom: someone@else.example\r\nSubject: x\r\n\r\nhi\r\n".encode(),
            "more than one sender",
        ),
        (
            f"From: {SELLER}, someone@else.example\r\nSubject: x\r\n\r\nhi\r\n".encode(),
            "more than one sender",
        ),
    ],
    ids=["no From", "two From lines", "two addresses"],
)
def test_finding1_mail_without_exactly_one_from_address_is_not_authenticated(zone, raw, words):
    check = _check(raw)
    assert not check.authenticated
    assert not check.temporary
    assert check.from_address == ""
    assert words in check.reason


def test_a_display_name_that_looks_like_an_address_is_not_the_from_address(zone):
    zone.spf("evil.example", f"v=spf1 ip4:{ATTACKER_SERVER} -all")
    raw = _mail(sender=f'"{SELLER}" <attacker@evil.example>')
    check = _check(raw, envelope_from="attacker@evil.example", client_ip=ATTACKER_SERVER)
    assert check.from_address == "attacker@evil.example"
    assert check.authenticated  # as evil.example, which no seller approved


def test_the_from_address_is_lowercased(zone):
    check = _check(_mail(sender="Acme <Inbox@ACME-Outfitters.Example>"))
    assert check.from_address == SELLER
    assert check.from_domain == ACME
    assert check.authenticated


# ---- a trusted mail service's Authentication-Results (the webhook)

PROVIDER = "mx.mailservice.example"


def _with_results(raw: bytes, *headers: str) -> bytes:
    return b"".join(f"Authentication-Results: {h}\r\n".encode() for h in headers) + raw


def test_trusted_results_topmost_header_of_the_declared_service_decides():
    raw = _with_results(
        _mail(),
        f"{PROVIDER}; dkim=pass header.d={ACME} header.s=s1; spf=pass "
        f"smtp.mailfrom=bounce@{ACME}; dmarc=pass (p=REJECT sp=NONE) header.from={ACME}",
    )
    check = sender_check_from_trusted_header(raw, authserv_id=PROVIDER)
    assert check is not None
    assert (check.spf, check.dkim, check.dmarc) == ("pass", "pass", "pass")
    assert check.dmarc_policy == "reject"
    assert check.dkim_domains == (ACME,)
    assert check.authenticated
    assert PROVIDER in check.summary


def test_finding1_forged_results_below_the_services_own_are_ignored():
    """The sender wrote a passing header with the service's id; the service put its own, which
    fails, above it. Only the topmost counts (RFC 8601 section 5)."""
    forged = f"{PROVIDER}; dkim=pass header.d={ACME}; dmarc=pass header.from={ACME}"
    genuine = (
        f"{PROVIDER}; dkim=none; spf=fail smtp.mailfrom=a@evil.example; "
        f"dmarc=fail (p=reject) header.from={ACME}"
    )
    raw = _with_results(_mail(), genuine, forged)
    check = sender_check_from_trusted_header(raw, authserv_id=PROVIDER)
    assert check is not None
    assert (check.dmarc, check.dkim, check.authenticated) == ("fail", "none", False)


def test_results_of_another_authserv_id_are_not_trusted():
    other = f"mx.attacker.example; dkim=pass header.d={ACME}; dmarc=pass header.from={ACME}"
    assert (
        sender_check_from_trusted_header(_with_results(_mail(), other), authserv_id=PROVIDER)
        is None
    )
    assert sender_check_from_trusted_header(_mail(), authserv_id=PROVIDER) is None
    genuine = f"{PROVIDER}; dmarc=pass header.from={ACME}"
    raw = _with_results(_mail(), other, genuine)
    check = sender_check_from_trusted_header(raw, authserv_id=PROVIDER)
    assert check is not None
    assert check.authenticated
    assert sender_check_from_trusted_header(raw, authserv_id="") is None


def test_trusted_results_about_another_from_domain_do_not_pass():
    raw = _with_results(_mail(), f"{PROVIDER}; dmarc=pass header.from=evil.example")
    check = sender_check_from_trusted_header(raw, authserv_id=PROVIDER)
    assert check is not None
    assert not check.authenticated


def test_trusted_results_without_dmarc_accept_an_aligned_pass_under_the_aligned_setting(settings):
    raw = _with_results(_mail(), f"{PROVIDER}; spf=pass smtp.mailfrom={SELLER}; dkim=none")
    check = sender_check_from_trusted_header(raw, authserv_id=PROVIDER)
    assert check is not None
    assert check.dmarc == "none"
    assert check.authenticated
    settings.MESSAGING_AUTH_WITHOUT_DMARC = "refuse"
    check = sender_check_from_trusted_header(raw, authserv_id=PROVIDER)
    assert check is not None
    assert not check.authenticated


def test_trusted_results_with_a_dns_failure_are_temporary():
    raw = _with_results(_mail(), f"{PROVIDER}; dmarc=temperror header.from={ACME}")
    check = sender_check_from_trusted_header(raw, authserv_id=PROVIDER)
    assert check is not None
    assert check.temporary
    assert not check.authenticated


# ---- the answer source


def test_the_default_test_zone_lets_loopback_mail_authenticate_by_spf():
    """What keeps the relay tests' mail (sent from 127.0.0.1) authenticated: tests/conftest.py."""
    raw = _mail(sender="buyer7@example.com")
    check = sender_check(raw, envelope_from="buyer7@example.com", client_ip="127.0.0.1")
    assert check.spf == "pass"
    assert check.authenticated
    check = sender_check(
        dkim_sign(raw, "example.com"), envelope_from="buyer7@example.com", client_ip=None
    )
    assert check.dkim == "pass"
    assert check.authenticated
    check = sender_check(raw, envelope_from="buyer7@example.com", client_ip=ATTACKER_SERVER)
    assert not check.authenticated


def test_zone_file_patterns_and_failures(tmp_path):
    path = tmp_path / "zone.json"
    path.write_text(
        '{"*": {"TXT": "any"}, "*.example.com": {"TXT": ["below", ["two ", "parts"]]},'
        ' "a.example.com": {"A": ["192.0.2.1"], "MX": ["10 MX.example.com."]},'
        ' "s._domainkey.*": {"TXT": "key"}, "down.example": "SERVFAIL",'
        ' "half.example": {"A": ["192.0.2.2"], "TXT": "SERVFAIL"}}'
    )
    zone = ZoneResolver(path)
    assert zone.lookup("x.y.example.com.", "TXT") == [b"below", b"two parts"]
    assert zone.lookup("A.Example.Com", "A") == ["192.0.2.1"]
    assert zone.lookup("a.example.com", "MX") == [(10, "mx.example.com")]
    assert zone.lookup("a.example.com", "TXT") == []  # its own entry, no TXT
    assert zone.lookup("s._domainkey.shop.example", "TXT") == [b"key"]
    assert zone.lookup("other.test", "TXT") == [b"any"]
    assert zone.lookup("half.example", "A") == ["192.0.2.2"]
    with pytest.raises(DnsTemporaryError):
        zone.lookup("down.example", "TXT")
    with pytest.raises(DnsTemporaryError):
        zone.lookup("half.example", "TXT")


def test_real_dns_timeouts_are_temporary_and_missing_names_empty(monkeypatch):
    def timeout(*args, **kwargs):
        raise dns.exception.Timeout

    monkeypatch.setattr("dns.resolver.resolve", timeout)
    with pytest.raises(DnsTemporaryError):
        DnspythonResolver().lookup("example.com", "TXT")

    def nxdomain(*args, **kwargs):
        raise dns.resolver.NXDOMAIN

    monkeypatch.setattr("dns.resolver.resolve", nxdomain)
    assert DnspythonResolver().lookup("nowhere.example", "TXT") == []


def test_no_zone_file_means_real_dns_which_tests_never_reach(settings):
    settings.MESSAGING_DNS_ZONE_FILE = ""
    answers = resolver()
    assert isinstance(answers, DnspythonResolver)
    with pytest.raises(AssertionError, match="real DNS"):
        answers.lookup("example.com", "TXT")


# ---- more ways to forge, and input that must never break the check


def test_finding1_a_fake_signature_claiming_the_sellers_domain_does_not_pass(zone):
    """A DKIM-Signature header copied or made up with d=acme beside the attacker's valid one."""
    zone.dkim_key("evil.example")
    zone.dmarc(ACME, "v=DMARC1; p=reject")
    genuine = dkim_sign(_mail(), ACME)
    copied = genuine.split(b"\r\nFrom:", 1)[0] + b"\r\n"  # Acme's signature of another mail
    forged = copied + dkim_sign(_mail(body="Send the refund to this account."), "evil.example")
    check = _check(forged, envelope_from="attacker@evil.example", client_ip=ATTACKER_SERVER)
    assert check.dkim == "pass"
    assert check.dkim_domains == ("evil.example",)
    assert check.dmarc == "fail"
    assert not check.authenticated


def test_finding1_a_from_line_added_above_a_signed_mail_is_refused(zone):
    """DKIM signs the bottom From; a second From on top is what a mail client would show."""
    signed = dkim_sign(_mail(sender="someone@evil.example"), "evil.example")
    zone.dkim_key("evil.example")
    check = _check(f"From: {SELLER}\r\n".encode() + signed, client_ip=None)
    assert not check.authenticated
    assert "more than one sender" in check.reason


def test_an_ipv4_client_on_a_dual_stack_socket_is_checked_as_ipv4(zone):
    assert _check(_mail(), client_ip=f"::ffff:{ACME_SERVER}").spf == "pass"
    assert _check(_mail(), client_ip="not an address").spf == "none"


@given(
    headers=st.lists(
        st.sampled_from(
            [
                f"From: {SELLER}",
                "From: a@b.example, c@d.example",
                "From: =?utf-8?q?x?= <@>",
                "From: <>",
                "DKIM-Signature: v=1; a=rsa-sha256; d=acme-outfitters.example; s=test; h=from; "
                "bh=AAAA; b=AAAA",
                "DKIM-Signature: ;;;==",
                "DKIM-Signature: v=1; d=\xe9; s=\x00; l=-5; c=bogus; h=from; bh=*; b=*",
                f"Authentication-Results: {PROVIDER}; dmarc=pass header.from={ACME}",
                f"Authentication-Results: {PROVIDER}; (((",
                "Authentication-Results: ; ;",
                "Subject: =?bogus?b?////?=",
                "Content-Type: multipart/mixed; boundary=",
            ]
        ),
        max_size=6,
    ),
    noise=st.binary(max_size=200),
    envelope_from=st.text(max_size=40),
    client_ip=st.one_of(st.none(), st.text(max_size=20), st.ip_addresses().map(str)),
)
@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_input_gives_a_verdict_never_an_error(headers, noise, envelope_from, client_ip):
    raw = "\r\n".join(headers).encode("utf-8", errors="surrogateescape") + b"\r\n\r\n" + noise
    for candidate in (raw, noise):
        check = sender_check(candidate, envelope_from=envelope_from, client_ip=client_ip)
        assert isinstance(check, SenderCheck)
        assert check.from_address or not check.authenticated
        assert check.authenticated or check.reason
        trusted = sender_check_from_trusted_header(candidate, authserv_id=PROVIDER)
        assert trusted is None or isinstance(trusted, SenderCheck)


def test_a_bounce_with_an_empty_envelope_sender_is_checked_by_its_helo_name(zone):
    """MAIL FROM:<> (a bounce or an autoreply): SPF checks the HELO name (RFC 7208 2.3)."""
    zone.spf(f"mx.{ACME}", f"v=spf1 ip4:{ACME_SERVER} -all")
    raw = _mail(sender=f"mailer-daemon@{ACME}")
    check = sender_check(raw, envelope_from="", client_ip=ACME_SERVER, helo=f"mx.{ACME}")
    assert check.spf == "pass"
    assert check.spf_domain == f"mx.{ACME}"
    assert check.authenticated  # relaxed: mx.acme-outfitters.example is Acme's organization
    check = sender_check(raw, envelope_from="", client_ip=ATTACKER_SERVER, helo=f"mx.{ACME}")
    assert check.spf == "fail"
    assert not check.authenticated
