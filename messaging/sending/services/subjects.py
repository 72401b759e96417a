"""A stored subject fits its column (SUBJECT_MAX_LENGTH), whatever the channel brought and
whatever we add to it: the reply's "Re: ", the order ID and the "[Important]" mark of a Contact
Buyer message (R7, R3). A longer one is cut at a word, with "…" (`core.text.text_fit`); the
send funnel is the one place a subject is composed, so no channel can store one that does not
fit (a buyer's 200 characters, then every reply, used to fail on PostgreSQL)."""

from core.text import text_fit
from messaging.models import SUBJECT_MAX_LENGTH

REPLY_PREFIX = "Re: "


def subject_fit(subject: str) -> str:
    """`subject` on one line, cut to the column."""
    return text_fit(subject, SUBJECT_MAX_LENGTH)


def subject_reply(case_subject: str) -> str:
    """The subject of a reply without one of its own: "Re: " and the case's subject, the
    subject cut so that both fit."""
    fitted = text_fit(case_subject, SUBJECT_MAX_LENGTH - len(REPLY_PREFIX))
    return f"{REPLY_PREFIX}{fitted}" if fitted else REPLY_PREFIX.strip()
