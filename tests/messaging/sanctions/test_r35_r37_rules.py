"""Staff sanctions as pure rules (R35 suspended, R36 limited, R37 held) and through the judge."""

from dataclasses import replace
from datetime import UTC, datetime

from messaging import policy
from messaging.policy.sanctions import HOLD_MESSAGE, LIMIT_PROACTIVE, SUSPEND, SanctionFact

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ENDS = datetime(2026, 12, 15, 9, tzinfo=UTC)


def _facts(*sanctions: SanctionFact, replies: bool = False, case: str | None = None):
    return policy.SendFacts(
        from_seller=True,
        channel="web",
        now=NOW,
        subject="Your order",
        body_text="It ships on Monday.",
        contact_reason="" if case else "additional_information",
        case_status=case,
        order_status="unshipped" if case is None else "",
        replies_to_buyer=replies,
        sanctions=sanctions,
    )


def test_r35_a_suspended_seller_sends_nothing_not_even_a_reply():
    facts = _facts(SanctionFact(SUSPEND, "Abusive messages", ENDS), replies=True, case="opened")
    verdict = policy.judge(facts)
    assert isinstance(verdict, policy.Refused)
    assert verdict.refusal.rule == "R35"
    assert "suspended your messaging until Dec 15, 2026 09:00 UTC: Abusive messages." in (
        verdict.refusal.message
    )
    assert "Buyers' messages still reach you" in verdict.refusal.message


def test_r35_buyer_messages_are_not_judged_by_a_sellers_sanction():
    facts = replace(
        _facts(SanctionFact(SUSPEND, "Abusive messages"), replies=True, case="opened"),
        from_seller=False,
    )
    assert isinstance(policy.judge(facts), policy.Delivered)


def test_r36_a_limited_seller_cannot_start_a_conversation():
    verdict = policy.judge(_facts(SanctionFact(LIMIT_PROACTIVE, "Too many unsolicited messages")))
    assert isinstance(verdict, policy.Refused)
    assert verdict.refusal.rule == "R36"
    assert "replies to a buyer's own messages still go through" in verdict.refusal.message


def test_r36_a_limited_seller_cannot_write_again_where_the_buyer_never_wrote():
    facts = _facts(SanctionFact(LIMIT_PROACTIVE, "Spam"), replies=False, case="opened")
    assert policy.judge(facts).refusal.rule == "R36"  # type: ignore[union-attr]


def test_r36_a_limited_seller_still_replies_to_a_buyer():
    facts = _facts(SanctionFact(LIMIT_PROACTIVE, "Spam"), replies=True, case="opened")
    assert isinstance(policy.judge(facts), policy.Delivered)


def test_r36_review_requests_are_off_under_a_limit():
    facts = replace(_facts(SanctionFact(LIMIT_PROACTIVE, "Spam")), contact_reason="review_request")
    assert policy.judge(facts).refusal.rule == "R36"  # type: ignore[union-attr]


def test_r37_a_hold_keeps_the_message_for_review():
    verdict = policy.judge(
        _facts(
            SanctionFact(HOLD_MESSAGE, "Check the wording", sanction_id=7),
            replies=True,
            case="opened",
        )
    )
    assert isinstance(verdict, policy.Held)
    assert verdict.sanction_id == 7
    assert verdict.refusal.rule == "R37"
    assert "Held for review by AlphaDiscounters staff: Check the wording." in (
        verdict.refusal.message
    )


def test_r37_a_refused_message_is_not_held():
    facts = replace(
        _facts(SanctionFact(HOLD_MESSAGE, "Check", sanction_id=7), replies=True, case="opened"),
        body_text="Visit www.example.com",
    )
    assert isinstance(policy.judge(facts), policy.Refused)


def test_no_sanction_changes_nothing():
    assert isinstance(policy.judge(_facts(replies=True, case="opened")), policy.Delivered)
    assert policy.proactive_refusal(sanctions=(SanctionFact(HOLD_MESSAGE, "x"),)) is None
