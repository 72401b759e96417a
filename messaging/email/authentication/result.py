"""The outcome of a sender check: whether the From domain is proven, and the words for staff
(summary) and for the sender (reason)."""

from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .dmarc import aligned

WITHOUT_DMARC_CHOICES = ("aligned", "refuse")


@dataclass(frozen=True)
class SenderCheck:
    from_address: str  # the RFC 5322 From address, lowercased ("" when not exactly one)
    from_domain: str
    spf: str  # pass | fail | softfail | neutral | none | temperror | permerror
    spf_domain: str  # MAIL FROM domain (or HELO when MAIL FROM is empty)
    dkim: str  # pass | fail | none | temperror  (pass = at least one valid signature)
    dkim_domains: tuple[str, ...]  # d= of the valid signatures
    dmarc: str  # pass | fail | none (no record) | temperror
    dmarc_policy: str  # none | quarantine | reject | "" when no record
    # The From domain is proven: DMARC pass; or, with no DMARC record and
    # MESSAGING_AUTH_WITHOUT_DMARC == "aligned" (the default), an SPF or DKIM pass aligned
    # (relaxed, organizational domain) with From.
    authenticated: bool
    temporary: bool  # a DNS temperror decided the outcome: the caller should retry / 451
    summary: str  # Authentication-Results-style line for staff and logs
    reason: str  # one plain-English sentence for a refusal ("" when authenticated)


def without_dmarc_mode() -> str:
    mode = str(getattr(settings, "MESSAGING_AUTH_WITHOUT_DMARC", "aligned")).strip().lower()
    if mode not in WITHOUT_DMARC_CHOICES:
        raise ImproperlyConfigured(
            f"MESSAGING_AUTH_WITHOUT_DMARC must be one of {', '.join(WITHOUT_DMARC_CHOICES)}, "
            f"not {mode!r}"
        )
    return mode


def _spf_words(spf: str, spf_domain: str, from_domain: str) -> str:
    if not spf_domain:
        return "it has no envelope sender to check with SPF"
    return {
        "pass": f"SPF allows the sending server for {spf_domain}, a different domain",
        "fail": f"the server that sent it is not one that {spf_domain} allows (SPF)",
        "softfail": f"the server that sent it is not one that {spf_domain} allows (SPF)",
        "neutral": f"the SPF record of {spf_domain} neither allows nor forbids the sending server",
        "none": f"SPF was not checked for {spf_domain}",
        "temperror": f"the SPF record of {spf_domain} could not be looked up",
        "permerror": f"the SPF record of {spf_domain} is broken",
    }.get(spf, f"SPF gave {spf} for {spf_domain}")


def _dkim_words(dkim: str, dkim_domains: tuple[str, ...]) -> str:
    return {
        "none": "it has no DKIM signature",
        "fail": "its DKIM signature does not verify (the message was changed on the way, or "
        "the key does not match)",
        "pass": f"its valid DKIM signature is from {', '.join(dkim_domains)}",
        "temperror": "its DKIM key could not be looked up",
    }.get(dkim, f"DKIM gave {dkim}")


def _reason(check: SenderCheck, mode: str) -> str:
    domain = check.from_domain
    if check.temporary:
        return (
            f"We could not check now that your email really comes from {domain} (a DNS lookup "
            "failed); your mail server will try again later, nothing needs doing."
        )
    if check.dmarc == "none" and mode == "refuse":
        return (
            f"{domain} publishes no DMARC policy, and we only accept email from domains that "
            f"prove their mail with one: ask whoever runs {domain}'s email to publish a DMARC "
            "record, or write from the website."
        )
    detail = (
        f"{_spf_words(check.spf, check.spf_domain, domain)}, and "
        f"{_dkim_words(check.dkim, check.dkim_domains)}"
    )
    failed = "fails the domain's DMARC check" if check.dmarc == "fail" else "is not proven"
    return (
        f"Your email claims to come from {domain} but {failed}: {detail}. Send it through "
        f"{domain}'s own mail servers, or ask whoever runs them to set up SPF and DKIM."
    )


def summary_line(check: SenderCheck, *, via: str = "") -> str:
    dkim = f"dkim={check.dkim}"
    if check.dkim_domains:
        dkim += f" header.d={','.join(check.dkim_domains)}"
    dmarc = f"dmarc={check.dmarc}"
    if check.dmarc_policy:
        dmarc += f" (p={check.dmarc_policy})"
    verdict = "authenticated" if check.authenticated else "not authenticated"
    if check.temporary:
        verdict += ", temporary"
    prefix = f"{via}; " if via else ""
    return (
        f"{prefix}spf={check.spf} smtp.mailfrom={check.spf_domain or '-'}; {dkim}; "
        f"{dmarc} header.from={check.from_domain or '-'}; {verdict}"
    )


def conclude(
    *,
    from_address: str,
    from_domain: str,
    spf: str,
    spf_domain: str,
    dkim: str,
    dkim_domains: tuple[str, ...],
    dmarc: str,
    dmarc_policy: str,
    via: str = "",
) -> SenderCheck:
    """Decide from the results: authenticated, temporary, and the words."""
    mode = without_dmarc_mode()
    spf_aligned = spf == "pass" and aligned(spf_domain, from_domain, strict=False)
    dkim_aligned = any(aligned(d, from_domain, strict=False) for d in dkim_domains)
    authenticated = dmarc == "pass" or (
        dmarc == "none" and mode == "aligned" and (spf_aligned or dkim_aligned)
    )
    could_still_pass = not (dmarc == "none" and mode == "refuse") and (
        dkim == "temperror"
        or (spf == "temperror" and aligned(spf_domain, from_domain, strict=False))
    )
    temporary = not authenticated and (dmarc == "temperror" or could_still_pass)
    check = SenderCheck(
        from_address=from_address,
        from_domain=from_domain,
        spf=spf,
        spf_domain=spf_domain,
        dkim=dkim,
        dkim_domains=dkim_domains,
        dmarc=dmarc,
        dmarc_policy=dmarc_policy,
        authenticated=authenticated,
        temporary=temporary,
        summary="",
        reason="",
    )
    return replace(
        check,
        summary=summary_line(check, via=via),
        reason="" if authenticated else _reason(check, mode),
    )


def unreadable_from(*, detail: str, summary: str) -> SenderCheck:
    """No single From address: nothing to authenticate."""
    return SenderCheck(
        from_address="",
        from_domain="",
        spf="none",
        spf_domain="",
        dkim="none",
        dkim_domains=(),
        dmarc="none",
        dmarc_policy="",
        authenticated=False,
        temporary=False,
        summary=summary,
        reason=detail,
    )
