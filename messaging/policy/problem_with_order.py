"""R31: a "Problem with Order" message confirms the adjustment and names its reason (R28).

The seller first cancels the order in Manage Orders, which refunds its full amount, with the
reason No inventory or Could not ship; the message then tells the buyer so. A checkable, fair
reading of "confirms the adjustment and names its reason", in any of the five languages buyers
read (English, German, French, Spanish, Japanese), on the subject and body together:

1. It says the order was canceled or refunded: a word starting with cancel-, refund- or adjust-
   (English, Spanish cancel-), storn-, (rück)erstatt- or annull- (German), annul- or rembours-
   (French), anul- or reembols- (Spanish), or キャンセル, 返金, 取り消/取消 (Japanese).
2. It names the reason: the reason's code (NoInventory), its words (No inventory) or a common
   phrase for it, listed in REASON_PHRASES ("out of stock", "ausverkauft", "rupture de stock",
   "agotado", "在庫切れ" for No inventory; "could not ship", "nicht versenden", "impossible
   d'expédier", "no pudimos enviar", "発送できません" for Could not ship).

Case, accents, curly apostrophes and runs of spaces do not matter. The platform text for the
reason passes in every language (tests/messaging/contact_buyer/test_r31_problem_with_order.py).
"""

import re
import unicodedata

from core.refusals import Refusal

RULE = "R31"
PROBLEM_WITH_ORDER_REASON = "problem_with_order"

REASON_WORDS = {"NoInventory": "No inventory", "CouldNotShip": "Could not ship"}
REASON_EXAMPLES = {
    "NoInventory": "We have canceled your order and refunded the full amount because the item "
    "is out of stock.",
    "CouldNotShip": "We have canceled your order and refunded the full amount because we could "
    "not ship it.",
}
REASON_PHRASES: dict[str, tuple[str, ...]] = {
    "NoInventory": (
        # English
        "out of stock", "no inventory", "not in stock", "no longer in stock", "no stock",
        "sold out", "unavailable", "not available", "no longer available",
        # German
        "nicht vorrätig", "nicht auf lager", "nicht mehr auf lager", "ausverkauft",
        "kein lagerbestand", "nicht verfügbar", "nicht mehr verfügbar", "nicht lieferbar",
        # French
        "rupture de stock", "plus en stock", "pas en stock", "indisponible", "épuisé",
        "plus disponible",
        # Spanish
        "sin existencias", "agotado", "sin stock", "fuera de stock", "sin inventario",
        "no disponible", "no está disponible",
        # Japanese
        "在庫切れ", "在庫がない", "在庫がありません", "在庫なし", "品切れ", "欠品",
    ),
    "CouldNotShip": (
        # English
        "could not ship", "cannot ship", "can't ship", "unable to ship", "not able to ship",
        "could not be shipped", "cannot be shipped", "can't be shipped", "not be shipped",
        "could not send", "unable to send", "could not deliver", "cannot deliver",
        "unable to deliver",
        # German
        "nicht versenden", "nicht versandt", "nicht versendet", "nicht verschicken",
        "nicht liefern", "nicht geliefert", "nicht zustellen", "versand nicht möglich",
        # French
        "pas pu expédier", "pas pu être expédié", "impossible d'expédier",
        "ne peut pas être expédié", "ne pouvons pas expédier", "expédition impossible",
        "pas pu livrer", "impossible de livrer", "pas pu envoyer", "impossible d'envoyer",
        # Spanish
        "no pudimos enviar", "no se pudo enviar", "no podemos enviar", "no se puede enviar",
        "imposible enviar", "envío imposible", "no pudimos entregar", "no se pudo entregar",
        # Japanese
        "発送できません", "発送できな", "出荷できません", "出荷できな", "配送できな",
        "お届けできな", "発送不可",
    ),
}  # fmt: skip
_CONFIRMATION = re.compile(
    r"\b(?:cancel|refund|adjust|storn|(?:ruck)?erstatt|annul|rembours|anul|reembols)"
    r"|キャンセル|返金|取り消|取消"
)

MISSING_CONFIRMATION = "does not say that you canceled the order and refunded it"
MISSING_REASON = "does not name the reason, {words}"
UNCONFIRMED_MSG = (
    "A “Problem with Order” message must confirm that you canceled the order and refunded the "
    "full amount, and name the reason ({words}). Your message {missing}. For example: "
    "“{example}”"
)


def _plain(text: str) -> str:
    """Casefolded, without accents, with straight apostrophes and single spaces."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFKC", stripped).split())


def confirms_adjustment(text: str) -> bool:
    return _CONFIRMATION.search(_plain(text)) is not None


def names_reason(text: str, reason: str) -> bool:
    plain = _plain(text)
    words = REASON_WORDS.get(reason, reason)
    phrases = (reason, words, *REASON_PHRASES.get(reason, ()))
    return any(_plain(phrase) in plain for phrase in phrases)


def refuse_unconfirmed_adjustment(
    *, subject: str, body_text: str, adjustment_reason: str
) -> Refusal | None:
    """R31: the subject and body together confirm the cancellation or refund and name the
    adjustment's reason (see the module's docstring for the exact reading)."""
    text = f"{subject}\n{body_text}"
    missing = []
    if not confirms_adjustment(text):
        missing.append(MISSING_CONFIRMATION)
    words = REASON_WORDS.get(adjustment_reason, adjustment_reason)
    if not names_reason(text, adjustment_reason):
        missing.append(MISSING_REASON.format(words=f"“{words}”"))
    if not missing:
        return None
    example = REASON_EXAMPLES.get(adjustment_reason, REASON_EXAMPLES["NoInventory"])
    return Refusal(
        rule=RULE,
        message=UNCONFIRMED_MSG.format(words=words, missing=" and ".join(missing), example=example),
    )
