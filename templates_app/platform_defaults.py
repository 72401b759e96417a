"""The platform templates AlphaDiscounters starts with (R23): one per Contact Buyer reason (R5,
in the order of `messaging.policy.CONTACT_REASON_RULES`; templates_app/0005 added Problem with
Order) and the review request (R17), each in
English, German, French, Spanish and Japanese.

The data migration templates_app/0003 installs them; staff edit them in the admin afterwards,
so the database, not this module, is what is sent. `platform_templates_install` only adds what
is missing (a key, or a language of a key), never overwrites staff edits.
"""

from typing import Any

REVIEW_REQUEST_KEY = "review_request"

# key -> (English name, {language: (subject, body)})
PLATFORM_TEMPLATES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "product_customization": (
        "Product customization question",
        {
            "en": (
                "Question about the customization of your order",
                "Hello {buyer_name},\n\n"
                "Thank you for your order {order_number}. Before we make your {product_name}, "
                "we need a few details about the customization you would like. Please reply to "
                "this message with the text, size or color you have in mind, so we can make it "
                "exactly as you wish.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Frage zur Personalisierung Ihrer Bestellung",
                "Hallo {buyer_name},\n\n"
                "vielen Dank für Ihre Bestellung {order_number}. Bevor wir Ihren Artikel "
                "„{product_name}“ anfertigen, benötigen wir noch einige Angaben zur gewünschten "
                "Personalisierung. Bitte antworten Sie auf diese Nachricht mit dem Text, der "
                "Größe oder der Farbe, die Sie sich vorstellen, damit wir ihn genau nach Ihren "
                "Wünschen anfertigen können.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "Question sur la personnalisation de votre commande",
                "Bonjour {buyer_name},\n\n"
                "Merci pour votre commande {order_number}. Avant de fabriquer votre article "
                "« {product_name} », nous avons besoin de quelques précisions sur la "
                "personnalisation souhaitée. Merci de répondre à ce message en nous indiquant le "
                "texte, la taille ou la couleur que vous souhaitez, afin que nous le réalisions "
                "exactement selon vos souhaits.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Pregunta sobre la personalización de tu pedido",
                "Hola, {buyer_name}:\n\n"
                "Gracias por tu pedido {order_number}. Antes de preparar tu artículo "
                "«{product_name}», necesitamos algunos detalles sobre la personalización que "
                "deseas. Responde a este mensaje indicando el texto, la talla o el color que "
                "tienes en mente, para que lo hagamos exactamente como quieres.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "ご注文のカスタマイズについてのご質問",
                "{buyer_name} 様\n\n"
                "ご注文 {order_number} をありがとうございます。「{product_name}」の製作を始める前"
                "に、ご希望のカスタマイズについてお伺いしたいことがございます。ご希望の文字、サイ"
                "ズ、色などを、このメッセージへの返信でお知らせください。ご希望どおりにお作りいた"
                "します。\n\n"
                "{business_name}",
            ),
        },
    ),
    "delivery_scheduling": (
        "Delivery scheduling",
        {
            "en": (
                "Scheduling the delivery of your order",
                "Hello {buyer_name},\n\n"
                "Your order {order_number} is delivered by appointment. Please reply to this "
                "message with the days and times that suit you and a phone number the driver "
                "can call on the day, so we can book your delivery.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Terminvereinbarung für die Lieferung Ihrer Bestellung",
                "Hallo {buyer_name},\n\n"
                "Ihre Bestellung {order_number} wird nach Terminvereinbarung geliefert. Bitte "
                "antworten Sie auf diese Nachricht mit den Tagen und Uhrzeiten, die Ihnen "
                "passen, sowie einer Telefonnummer, unter der Sie der Fahrer am Liefertag "
                "erreichen kann, damit wir Ihre Lieferung einplanen können.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "Planification de la livraison de votre commande",
                "Bonjour {buyer_name},\n\n"
                "Votre commande {order_number} est livrée sur rendez-vous. Merci de répondre à "
                "ce message en nous indiquant les jours et les horaires qui vous conviennent, "
                "ainsi qu'un numéro de téléphone auquel le livreur pourra vous joindre le jour "
                "de la livraison, afin que nous puissions la planifier.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Programación de la entrega de tu pedido",
                "Hola, {buyer_name}:\n\n"
                "Tu pedido {order_number} se entrega con cita previa. Responde a este mensaje "
                "indicando los días y horarios que te vienen bien y un número de teléfono al que "
                "el repartidor pueda llamarte el día de la entrega, para que podamos "
                "programarla.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "ご注文の配達日時の調整について",
                "{buyer_name} 様\n\n"
                "ご注文 {order_number} は日時指定でのお届けとなります。ご都合のよい日と時間帯、お"
                "よび配達当日にドライバーからご連絡できるお電話番号を、このメッセージへの返信でお"
                "知らせください。配達の手配をいたします。\n\n"
                "{business_name}",
            ),
        },
    ),
    "shipping_address": (
        "Shipping address issue",
        {
            "en": (
                "Please confirm your shipping address",
                "Hello {buyer_name},\n\n"
                "We are preparing your order {order_number}, but the carrier could not confirm "
                "the shipping address. Please reply to this message with your complete address, "
                "including any apartment or suite number, so we can ship your order without "
                "delay.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Bitte bestätigen Sie Ihre Lieferadresse",
                "Hallo {buyer_name},\n\n"
                "wir bereiten Ihre Bestellung {order_number} vor, doch der Versanddienstleister "
                "konnte die Lieferadresse nicht bestätigen. Bitte antworten Sie auf diese "
                "Nachricht mit Ihrer vollständigen Adresse, einschließlich Wohnungsnummer oder "
                "Adresszusatz, damit wir Ihre Bestellung ohne Verzögerung versenden können.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "Merci de confirmer votre adresse de livraison",
                "Bonjour {buyer_name},\n\n"
                "Nous préparons votre commande {order_number}, mais le transporteur n'a pas pu "
                "confirmer l'adresse de livraison. Merci de répondre à ce message en nous "
                "indiquant votre adresse complète, y compris le numéro d'appartement ou de "
                "bâtiment, afin que nous puissions expédier votre commande sans retard.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Confirma tu dirección de envío",
                "Hola, {buyer_name}:\n\n"
                "Estamos preparando tu pedido {order_number}, pero la empresa de transporte no "
                "ha podido confirmar la dirección de envío. Responde a este mensaje con tu "
                "dirección completa, incluido el piso o la puerta, para que podamos enviar tu "
                "pedido sin retrasos.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "お届け先住所のご確認のお願い",
                "{buyer_name} 様\n\n"
                "ご注文 {order_number} の発送準備を進めておりますが、配送業者がお届け先の住所を確"
                "認できませんでした。部屋番号などを含む正確なご住所を、このメッセージへの返信でお"
                "知らせください。確認でき次第、速やかに発送いたします。\n\n"
                "{business_name}",
            ),
        },
    ),
    "unexpected_problem": (
        "Unexpected problem with the order",
        {
            "en": (
                "An update about your order",
                "Hello {buyer_name},\n\n"
                "We are sorry to tell you that an unexpected problem has come up with your order "
                "{order_number}. We are working on it and will write again as soon as we know "
                "more. If you have any questions in the meantime, please reply to this "
                "message.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Neuigkeiten zu Ihrer Bestellung",
                "Hallo {buyer_name},\n\n"
                "leider ist bei Ihrer Bestellung {order_number} ein unerwartetes Problem "
                "aufgetreten. Wir kümmern uns darum und melden uns wieder, sobald wir mehr "
                "wissen. Wenn Sie in der Zwischenzeit Fragen haben, antworten Sie bitte auf "
                "diese Nachricht.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "Des nouvelles de votre commande",
                "Bonjour {buyer_name},\n\n"
                "Nous sommes désolés de vous informer qu'un problème inattendu est survenu avec "
                "votre commande {order_number}. Nous faisons le nécessaire et vous écrirons dès "
                "que nous en saurons plus. Si vous avez des questions d'ici là, répondez "
                "simplement à ce message.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Novedades sobre tu pedido",
                "Hola, {buyer_name}:\n\n"
                "Sentimos informarte de que ha surgido un problema inesperado con tu pedido "
                "{order_number}. Estamos trabajando en ello y te escribiremos en cuanto sepamos "
                "más. Si mientras tanto tienes alguna pregunta, responde a este mensaje.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "ご注文に関するお知らせ",
                "{buyer_name} 様\n\n"
                "誠に申し訳ございませんが、ご注文 {order_number} について予期しない問題が発生いた"
                "しました。現在対応しており、詳細がわかり次第あらためてご連絡いたします。ご不明な"
                "点がございましたら、このメッセージにご返信ください。\n\n"
                "{business_name}",
            ),
        },
    ),
    "additional_information": (
        "Additional information required",
        {
            "en": (
                "We need some information about your order",
                "Hello {buyer_name},\n\n"
                "To complete your order {order_number}, we need a little more information from "
                "you. Please reply to this message at your earliest convenience so we can "
                "continue.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Wir benötigen Angaben zu Ihrer Bestellung",
                "Hallo {buyer_name},\n\n"
                "um Ihre Bestellung {order_number} abschließen zu können, benötigen wir noch "
                "einige Angaben von Ihnen. Bitte antworten Sie möglichst bald auf diese "
                "Nachricht, damit wir fortfahren können.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "Nous avons besoin d'informations sur votre commande",
                "Bonjour {buyer_name},\n\n"
                "Pour finaliser votre commande {order_number}, nous avons besoin de quelques "
                "informations complémentaires. Merci de répondre à ce message dès que possible "
                "afin que nous puissions poursuivre.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Necesitamos información sobre tu pedido",
                "Hola, {buyer_name}:\n\n"
                "Para completar tu pedido {order_number}, necesitamos algo más de información. "
                "Responde a este mensaje lo antes posible para que podamos continuar.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "ご注文に関する情報のお願い",
                "{buyer_name} 様\n\n"
                "ご注文 {order_number} の手続きを完了するため、追加の情報が必要です。お手数です"
                "が、できるだけ早くこのメッセージにご返信ください。\n\n"
                "{business_name}",
            ),
        },
    ),
    "return_question": (
        "Return-related question",
        {
            "en": (
                "About the return of your order",
                "Hello {buyer_name},\n\n"
                "We received your return request for order {order_number} and have a question "
                "before we can process it. Please reply to this message and tell us why you are "
                "returning the item and whether it is unused and in its original packaging.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Zur Rücksendung Ihrer Bestellung",
                "Hallo {buyer_name},\n\n"
                "wir haben Ihre Rücksendeanfrage zur Bestellung {order_number} erhalten und "
                "haben eine Frage, bevor wir sie bearbeiten können. Bitte teilen Sie uns in "
                "Ihrer Antwort auf diese Nachricht mit, warum Sie den Artikel zurücksenden und "
                "ob er unbenutzt und originalverpackt ist.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "À propos du retour de votre commande",
                "Bonjour {buyer_name},\n\n"
                "Nous avons bien reçu votre demande de retour pour la commande {order_number} et "
                "nous avons une question avant de pouvoir la traiter. Merci de répondre à ce "
                "message en nous indiquant le motif du retour et si l'article est inutilisé et "
                "dans son emballage d'origine.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Sobre la devolución de tu pedido",
                "Hola, {buyer_name}:\n\n"
                "Hemos recibido tu solicitud de devolución del pedido {order_number} y tenemos "
                "una pregunta antes de poder tramitarla. Responde a este mensaje indicando el "
                "motivo de la devolución y si el artículo está sin usar y en su embalaje "
                "original.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "ご注文の返品について",
                "{buyer_name} 様\n\n"
                "ご注文 {order_number} の返品リクエストを承りました。手続きを進める前に確認させ"
                "ていただきたいことがございます。返品の理由と、商品が未使用で購入時の梱包のままか"
                "どうかを、このメッセージへの返信でお知らせください。\n\n"
                "{business_name}",
            ),
        },
    ),
    "warranty": (
        "Warranty information",
        {
            "en": (
                "Warranty information for your order",
                "Hello {buyer_name},\n\n"
                "Thank you for your order {order_number}. Your {product_name} comes with a "
                "manufacturer's warranty. Please keep your order confirmation as proof of "
                "purchase. If the product develops a fault, reply to this message and we will "
                "help you with the warranty claim.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Garantieinformationen zu Ihrer Bestellung",
                "Hallo {buyer_name},\n\n"
                "vielen Dank für Ihre Bestellung {order_number}. Für Ihren Artikel "
                "„{product_name}“ gilt eine Herstellergarantie. Bitte bewahren Sie Ihre "
                "Bestellbestätigung als Kaufnachweis auf. Sollte ein Defekt auftreten, antworten "
                "Sie auf diese Nachricht, und wir helfen Ihnen bei der Abwicklung der "
                "Garantie.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "Informations sur la garantie de votre commande",
                "Bonjour {buyer_name},\n\n"
                "Merci pour votre commande {order_number}. Votre article « {product_name} » "
                "bénéficie d'une garantie constructeur. Conservez votre confirmation de commande "
                "comme preuve d'achat. En cas de panne, répondez à ce message et nous vous "
                "aiderons dans vos démarches de garantie.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Información sobre la garantía de tu pedido",
                "Hola, {buyer_name}:\n\n"
                "Gracias por tu pedido {order_number}. Tu artículo «{product_name}» tiene "
                "garantía del fabricante. Conserva la confirmación del pedido como comprobante "
                "de compra. Si el producto presenta algún defecto, responde a este mensaje y te "
                "ayudaremos con la reclamación de la garantía.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "ご注文商品の保証について",
                "{buyer_name} 様\n\n"
                "ご注文 {order_number} をありがとうございます。「{product_name}」にはメーカー保証"
                "が付いています。ご注文確認を購入の証明として保管してください。万一故障した場合は"
                "、このメッセージにご返信いただければ、保証の手続きをお手伝いいたします。\n\n"
                "{business_name}",
            ),
        },
    ),
    "invoice": (
        "Invoice",
        {
            "en": (
                "Your invoice for order {order_number}",
                "Hello {buyer_name},\n\n"
                "Please find attached the invoice for your order {order_number}. If anything on "
                "it needs to change, such as a company name or a tax number, please reply to "
                "this message.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Ihre Rechnung zur Bestellung {order_number}",
                "Hallo {buyer_name},\n\n"
                "anbei erhalten Sie die Rechnung zu Ihrer Bestellung {order_number}. Wenn "
                "Angaben darauf geändert werden sollen, etwa ein Firmenname oder eine "
                "Steuernummer, antworten Sie bitte auf diese Nachricht.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "Votre facture pour la commande {order_number}",
                "Bonjour {buyer_name},\n\n"
                "Vous trouverez ci-joint la facture de votre commande {order_number}. Si "
                "certaines informations doivent y être modifiées, comme un nom de société ou un "
                "numéro de TVA, merci de répondre à ce message.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Tu factura del pedido {order_number}",
                "Hola, {buyer_name}:\n\n"
                "Te enviamos adjunta la factura de tu pedido {order_number}. Si necesitas "
                "cambiar algún dato, como el nombre de la empresa o el número de identificación "
                "fiscal, responde a este mensaje.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "ご注文 {order_number} の請求書",
                "{buyer_name} 様\n\n"
                "ご注文 {order_number} の請求書を添付いたします。会社名や登録番号など、記載内容の"
                "変更が必要な場合は、このメッセージにご返信ください。\n\n"
                "{business_name}",
            ),
        },
    ),
    "problem_with_order": (
        "Problem with Order",
        {
            "en": (
                "Your order {order_number} was canceled and refunded",
                "Hello {buyer_name},\n\n"
                "We are sorry: we had to cancel your order {order_number} and have refunded the "
                "full amount. Reason: {adjustment_reason}.\n\n"
                "The refund goes back to your original payment method; you can follow it under "
                "Your Account on AlphaDiscounters.\n\n"
                "Kind regards,\n{business_name}",
            ),
            "de": (
                "Ihre Bestellung {order_number} wurde storniert und erstattet",
                "Hallo {buyer_name},\n\n"
                "es tut uns leid: Wir mussten Ihre Bestellung {order_number} stornieren und haben "
                "den vollen Betrag erstattet. Grund: {adjustment_reason}.\n\n"
                "Die Erstattung erfolgt über Ihre ursprüngliche Zahlungsmethode; Sie können sie "
                "unter „Mein Konto“ bei AlphaDiscounters verfolgen.\n\n"
                "Mit freundlichen Grüßen\n{business_name}",
            ),
            "fr": (
                "Votre commande {order_number} a été annulée et remboursée",
                "Bonjour {buyer_name},\n\n"
                "Nous sommes désolés : nous avons dû annuler votre commande {order_number} et "
                "vous avons remboursé le montant total. Motif : {adjustment_reason}.\n\n"
                "Le remboursement est effectué sur votre moyen de paiement d'origine ; vous "
                "pouvez le suivre dans « Votre compte » sur AlphaDiscounters.\n\n"
                "Cordialement,\n{business_name}",
            ),
            "es": (
                "Tu pedido {order_number} se ha cancelado y reembolsado",
                "Hola, {buyer_name}:\n\n"
                "Lo sentimos: hemos tenido que cancelar tu pedido {order_number} y te hemos "
                "reembolsado el importe total. Motivo: {adjustment_reason}.\n\n"
                "El reembolso se hace en tu método de pago original; puedes seguirlo en «Tu "
                "cuenta» en AlphaDiscounters.\n\n"
                "Un saludo,\n{business_name}",
            ),
            "ja": (
                "ご注文 {order_number} のキャンセルと返金について",
                "{buyer_name} 様\n\n"
                "申し訳ございません。ご注文 {order_number} をキャンセルし、全額を返金いたしました。"
                "理由：{adjustment_reason}。\n\n"
                "返金は元のお支払い方法に戻されます。AlphaDiscounters の「アカウントサービス」で"
                "ご確認いただけます。\n\n"
                "{business_name}",
            ),
        },
    ),
    REVIEW_REQUEST_KEY: (
        "Request a Review",
        {
            "en": (
                "Please review your recent order {order_number}",
                "Hello,\n\n"
                "Thank you for your order {order_number} from {business_name}. "
                "How was your experience? Please take a moment to review the product and the "
                "seller on your order page at AlphaDiscounters. Your review helps other "
                "customers.\n\n"
                "This message was sent by {business_name} through AlphaDiscounters.",
            ),
            "de": (
                "Bitte bewerten Sie Ihre Bestellung {order_number}",
                "Hallo,\n\n"
                "vielen Dank für Ihre Bestellung {order_number} bei {business_name}. "
                "Wie zufrieden sind Sie? Bitte nehmen Sie sich einen Moment Zeit, um Produkt "
                "und Verkäufer auf Ihrer Bestellseite bei AlphaDiscounters zu bewerten. Ihre "
                "Bewertung hilft anderen Kunden.\n\n"
                "Diese Nachricht wurde von {business_name} über AlphaDiscounters gesendet.",
            ),
            "fr": (
                "Merci d'évaluer votre commande {order_number}",
                "Bonjour,\n\n"
                "Merci pour votre commande {order_number} auprès de {business_name}. "
                "Comment s'est passée votre expérience ? Prenez un instant pour évaluer le "
                "produit et le vendeur depuis la page de votre commande sur AlphaDiscounters. "
                "Votre avis aide les autres clients.\n\n"
                "Ce message vous a été envoyé par {business_name} via AlphaDiscounters.",
            ),
            "es": (
                "Valora tu pedido {order_number}",
                "Hola:\n\n"
                "Gracias por tu pedido {order_number} a {business_name}. "
                "¿Qué tal tu experiencia? Dedica un momento a valorar el producto y al vendedor "
                "desde la página de tu pedido en AlphaDiscounters. Tu opinión ayuda a otros "
                "clientes.\n\n"
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
        },
    ),
}


def platform_templates_install(template_model: Any, translation_model: Any) -> int:
    """Add the platform templates and translations that are missing (staff edits stay).

    Takes the two models so the data migration can pass its historical ones; returns how many
    translations it added."""
    added = 0
    for position, (key, (name, texts)) in enumerate(PLATFORM_TEMPLATES.items()):
        template, _ = template_model.objects.get_or_create(
            key=key, defaults={"name": name, "position": position}
        )
        existing = set(template.translations.values_list("language", flat=True))
        missing = [
            translation_model(template=template, language=language, subject=subject, body=body)
            for language, (subject, body) in texts.items()
            if language not in existing
        ]
        translation_model.objects.bulk_create(missing)
        added += len(missing)
    return added
