"""Platform-supplied message texts, per buyer language (English is the fallback, R23).

Only the review request (R17) lives here so far; seller templates come with R23.
"""

REVIEW_REQUEST: dict[str, tuple[str, str]] = {
    "en": (
        "Please review your recent order {order_number}",
        "Hello,\n\n"
        "Thank you for your order {order_number} from {business_name}. "
        "How was your experience? Please take a moment to review the product and the seller "
        "on your order page at AlphaDiscounters. Your review helps other customers.\n\n"
        "This message was sent by {business_name} through AlphaDiscounters.",
    ),
    "de": (
        "Bitte bewerten Sie Ihre Bestellung {order_number}",
        "Hallo,\n\n"
        "vielen Dank für Ihre Bestellung {order_number} bei {business_name}. "
        "Wie zufrieden sind Sie? Bitte nehmen Sie sich einen Moment Zeit, um Produkt und "
        "Verkäufer auf Ihrer Bestellseite bei AlphaDiscounters zu bewerten. Ihre Bewertung "
        "hilft anderen Kunden.\n\n"
        "Diese Nachricht wurde von {business_name} über AlphaDiscounters gesendet.",
    ),
    "fr": (
        "Merci d'évaluer votre commande {order_number}",
        "Bonjour,\n\n"
        "Merci pour votre commande {order_number} auprès de {business_name}. "
        "Comment s'est passée votre expérience ? Prenez un instant pour évaluer le produit et "
        "le vendeur depuis la page de votre commande sur AlphaDiscounters. Votre avis aide les "
        "autres clients.\n\n"
        "Ce message vous a été envoyé par {business_name} via AlphaDiscounters.",
    ),
    "es": (
        "Valora tu pedido {order_number}",
        "Hola:\n\n"
        "Gracias por tu pedido {order_number} a {business_name}. "
        "¿Qué tal tu experiencia? Dedica un momento a valorar el producto y al vendedor desde "
        "la página de tu pedido en AlphaDiscounters. Tu opinión ayuda a otros clientes.\n\n"
        "Este mensaje te lo ha enviado {business_name} a través de AlphaDiscounters.",
    ),
    "ja": (
        "ご注文 {order_number} のレビューのお願い",
        "こんにちは。\n\n"
        "{business_name} でのご注文 {order_number} をありがとうございました。"
        "商品と出品者はいかがでしたか。AlphaDiscounters の注文ページから、商品と出品者の"
        "レビューをお願いいたします。レビューは他のお客様の参考になります。\n\n"
        "このメッセージは {business_name} が AlphaDiscounters を通じて送信しました。",
    ),
}


def review_request_text(*, language: str, business_name: str, order_number: str) -> tuple[str, str]:
    """R17: (subject, body) of the review request in the buyer's language, English fallback."""
    subject, body = REVIEW_REQUEST.get(language, REVIEW_REQUEST["en"])
    values = {"business_name": business_name, "order_number": order_number}
    return subject.format(**values), body.format(**values)
