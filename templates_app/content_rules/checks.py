"""R12: every content problem of a seller message, and the refusal that names them all."""

from collections.abc import Iterable

from core.refusals import Refusal
from templates_app.content_rules.html_scan import html_violations
from templates_app.content_rules.plain_text import (
    DEFAULT_MARKETING_PHRASES,
    marketing_pattern,
    text_violations,
)
from templates_app.content_rules.violations import RULE, ContentViolation

IN_SUBJECT_MSG = "In the subject: {problem}"
MORE_PROBLEMS_MSG = "…and {count} more like these."
# A refusal lists every problem; past this many, the rest are counted.
_MAX_PROBLEMS_LISTED = 12


def content_violations(
    *,
    text: str,
    html: str = "",
    allowed_addresses: Iterable[str] = (),
    marketing_phrases: Iterable[str] | None = None,
) -> list[ContentViolation]:
    """Every R12 problem in a seller message: the text body's first, then the HTML body's,
    each in order of position.

    `allowed_addresses` are the parties' own aliases (compared case-insensitively).
    `marketing_phrases` defaults to `DEFAULT_MARKETING_PHRASES` when None; an empty iterable
    turns the phrase check off.
    """
    allowed = frozenset(a.strip().casefold() for a in allowed_addresses if a and a.strip())
    if marketing_phrases is None:
        marketing_phrases = DEFAULT_MARKETING_PHRASES
    phrases = marketing_pattern(tuple(p.strip() for p in marketing_phrases if p and p.strip()))

    def order(violation: ContentViolation) -> tuple[int, int]:
        return violation.start, violation.end

    violations = sorted(text_violations(text or "", allowed, phrases), key=order)
    if html:
        violations += sorted(html_violations(html, allowed, phrases), key=order)
    return violations


def _problems(violations: list[ContentViolation]) -> list[str]:
    """Each distinct problem once: the same link in the text and the HTML body (or twice in one
    body) is one problem to fix."""
    seen: set[tuple[str, str]] = set()
    problems = []
    for violation in violations:
        key = (violation.kind, violation.excerpt.casefold())
        if key not in seen:
            seen.add(key)
            problems.append(violation.message)
    return problems


def refuse_content(
    *,
    text: str,
    html: str = "",
    subject: str = "",
    allowed_addresses: Iterable[str] = (),
    marketing_phrases: Iterable[str] | None = None,
) -> Refusal | None:
    """R12: refuse a seller message naming every content problem at once, each pointing at its
    text (the subject's first, marked as such, then the body's), so the sender can fix them all
    before trying again. `message` holds them all, for channels that show one text (email
    bounces); `problems` lists them one by one, for pages.
    """
    problems = [
        IN_SUBJECT_MSG.format(problem=problem)
        for problem in _problems(
            content_violations(
                text=subject,
                allowed_addresses=allowed_addresses,
                marketing_phrases=marketing_phrases,
            )
        )
    ]
    problems += _problems(
        content_violations(
            text=text,
            html=html,
            allowed_addresses=allowed_addresses,
            marketing_phrases=marketing_phrases,
        )
    )
    if not problems:
        return None
    if len(problems) > _MAX_PROBLEMS_LISTED:
        rest = len(problems) - _MAX_PROBLEMS_LISTED
        problems = [*problems[:_MAX_PROBLEMS_LISTED], MORE_PROBLEMS_MSG.format(count=rest)]
    return Refusal(rule=RULE, message=" ".join(problems), problems=tuple(problems))
