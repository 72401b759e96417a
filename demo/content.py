"""What the demo buyers ask and how the demo sellers answer (seed_demo), and the texts of the
bulk benchmark cases. Data and small generators only: `demo.stories` plays them through the
services, `demo.bulk` inserts the benchmark rows."""

import io
import random
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from accounts.models import SellerAccount, User
from messaging.models import BuyerContactReason
from orders.models import Order, OrderStatus, Product

# ---- demo cases: what buyers ask and how the sellers answer

PRE_SHIPMENT = frozenset({OrderStatus.PENDING, OrderStatus.UNSHIPPED})
SHIPPED = frozenset({OrderStatus.SHIPPED})
DELIVERED = frozenset({OrderStatus.DELIVERED})
SHIPPED_OR_DELIVERED = frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED})

Reason = BuyerContactReason


@dataclass(frozen=True)
class Topic:
    """One kind of buyer question. `statuses` are the order statuses it fits; none means an
    "Ask a question" without an order (R24). Texts take {order}, {product}, {first_name}."""

    subject: str
    reason: str
    buyer: str
    seller: str
    follow_up: str
    statuses: frozenset[str] = frozenset()
    category: str = ""  # the order must have an item of this category
    seller_slug: str = ""  # only this seller sells it
    product: str = ""  # Ask-a-question topics name their product
    buyer_file: str = ""  # "photo": the buyer attaches a PNG
    seller_file: str = ""  # "invoice" or "size-chart": the seller attaches a PDF
    # language -> (opening, follow-up), for buyers who write in their own language
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)


TOPICS = [
    Topic(
        subject="Change of shipping address",
        reason=Reason.SHIPPING_OR_DELIVERY,
        statuses=PRE_SHIPMENT,
        buyer="Hello, I just noticed that order {order} still has my old address. Could you "
        "please send it to 48 Harbor Rd, Springfield 62704 instead? Sorry for the trouble.",
        seller="Thank you for telling us before the parcel left. We have changed the shipping "
        "address on order {order} to 48 Harbor Rd, Springfield 62704, and you will get a "
        "confirmation as soon as it ships.",
        follow_up="Thank you so much, that was quick!",
    ),
    Topic(
        subject="When will my order ship?",
        reason=Reason.SHIPPING_OR_DELIVERY,
        statuses=PRE_SHIPMENT,
        buyer="Hi, I ordered the {product} a few days ago and it still shows as not shipped. "
        "I need it before the weekend. Do you know when it will go out?",
        seller="Thank you for your patience. The {product} is packed and goes out with "
        "tomorrow morning's pickup, so it should arrive within two to three business days.",
        follow_up="Great, thanks. Will I get a tracking number?",
    ),
    Topic(
        subject="Where is my parcel?",
        reason=Reason.SHIPPING_OR_DELIVERY,
        statuses=SHIPPED,
        buyer="Hello, the tracking for order {order} has not changed for four days. "
        "Is the parcel lost?",
        seller="Sorry for the wait. We checked with the carrier: the parcel was held at their "
        "regional depot because of high volume and is moving again. It should reach you within "
        "two days. If it does not, let us know and we will send a replacement.",
        follow_up="It still hasn't arrived. Can you send a replacement, please?",
        translations={
            "de": (
                "Hallo, die Sendungsverfolgung für Bestellung {order} hat sich seit vier Tagen "
                "nicht geändert. Ist das Paket verloren gegangen?",
                "Das Paket ist immer noch nicht da. Können Sie bitte Ersatz schicken?",
            ),
            "fr": (
                "Bonjour, le suivi de la commande {order} n'a pas bougé depuis quatre jours. "
                "Le colis est-il perdu ?",
                "Le colis n'est toujours pas arrivé. Pouvez-vous envoyer un remplacement ?",
            ),
            "es": (
                "Hola, el seguimiento del pedido {order} no ha cambiado en cuatro días. "
                "¿Se ha perdido el paquete?",
                "El paquete todavía no ha llegado. ¿Pueden enviar un reemplazo?",
            ),
            "ja": (
                "こんにちは。注文番号 {order} の配送状況が4日間更新されていません。"
                "荷物は紛失したのでしょうか？",
                "まだ荷物が届いていません。代わりの商品を送っていただけますか？",
            ),
        },
    ),
    Topic(
        subject="Delivery while I am away",
        reason=Reason.SHIPPING_OR_DELIVERY,
        statuses=SHIPPED,
        buyer="Hi, I will be away from Thursday to Sunday. If the parcel comes then, could the "
        "driver leave it with my neighbour at number 12?",
        seller="We have added a note for the carrier to leave the parcel with your neighbour at "
        "number 12 if nobody answers the door. Enjoy your trip.",
        follow_up="Thank you!",
    ),
    Topic(
        subject="Wrong size",
        reason=Reason.RETURN_OR_REFUND,
        statuses=DELIVERED,
        category="Clothing",
        buyer="Hello, the {product} fits well in the shoulders but the sleeves are too short. "
        "Can I exchange it for a size L?",
        seller="Of course. Please send the item back unworn with the return label from your "
        "order page, and we will ship a size L as soon as the carrier scans your parcel. The "
        "exchange is free of charge.",
        follow_up="I sent it back today. Could you tell me when the new one ships?",
    ),
    Topic(
        subject="Item arrived damaged",
        reason=Reason.RETURN_OR_REFUND,
        statuses=DELIVERED,
        buyer="Hello, the {product} arrived today with a dent on one side and the box was "
        "crushed. I attached a photo. What can we do?",
        seller="We are sorry the {product} arrived damaged, and thank you for the photo. We are "
        "sending a replacement today at no cost. You can keep or recycle the damaged one.",
        follow_up="The replacement arrived in perfect condition. Thanks again.",
        buyer_file="photo",
    ),
    Topic(
        subject="Return request",
        reason=Reason.RETURN_OR_REFUND,
        statuses=DELIVERED,
        buyer="Hi, I changed my mind about the {product}. It is unused and still in the original "
        "packaging. How do I return it?",
        seller="No problem. Open order {order} in Your Orders and choose Return items; the "
        "prepaid label is created there. Your refund is issued as soon as the carrier scans the "
        "parcel.",
        follow_up="Done, I dropped it off this morning.",
        translations={
            "de": (
                "Hallo, ich möchte „{product}“ zurückgeben. Der Artikel ist unbenutzt und "
                "originalverpackt. Wie funktioniert die Rücksendung?",
                "Erledigt, ich habe das Paket heute Morgen abgegeben.",
            ),
            "fr": (
                "Bonjour, j'ai changé d'avis pour « {product} ». L'article n'a pas servi et il est "
                "dans son emballage d'origine. Comment puis-je le retourner ?",
                "C'est fait, j'ai déposé le colis ce matin.",
            ),
            "es": (
                "Hola, he cambiado de opinión sobre «{product}». No lo he usado y está en su "
                "embalaje original. ¿Cómo puedo devolverlo?",
                "Listo, dejé el paquete esta mañana.",
            ),
            "ja": (
                "こんにちは。「{product}」の返品を希望します。未使用で元の箱に入っています。"
                "返品方法を教えてください。",
                "今朝、荷物を発送しました。",
            ),
        },
    ),
    Topic(
        subject="Invoice for my order",
        reason=Reason.OTHER,
        statuses=SHIPPED_OR_DELIVERED,
        buyer="Hello, could you send me an invoice with VAT for order {order}? I need it for my "
        "company's expenses.",
        seller="Please find the invoice for order {order} attached. Let us know if the company "
        "name or address on it needs to be changed.",
        follow_up="Received, thank you.",
        seller_file="invoice",
    ),
    Topic(
        subject="How do I charge it?",
        reason=Reason.PRODUCT_QUESTION,
        statuses=DELIVERED,
        category="Electronics",
        buyer="Hi, the {product} came without charging instructions. How long should it charge "
        "the first time?",
        seller="The first charge takes about five hours with the included USB cable, and the "
        "light turns green when it is full. After that, two to three hours are enough.",
        follow_up="It works now, thanks!",
    ),
    Topic(
        subject="Shipping to Canada",
        reason=Reason.SHIPPING_OR_DELIVERY,
        buyer="Hello, do you ship to Canada, and how long does delivery usually take?",
        seller="Thank you for asking. We ship to Canada with tracked delivery. It usually takes "
        "seven to ten business days, and any import fees are shown at checkout.",
        follow_up="Thanks, good to know.",
    ),
    # ---- Acme Outfitters
    Topic(
        subject="Sizing for the rain jacket",
        reason=Reason.PRODUCT_QUESTION,
        seller_slug="acme-outfitters",
        product="Trail Runner Rain Jacket",
        buyer="Hello, I am 180 cm tall and usually wear a size M. Would you recommend M or L for "
        "the {product} if I want to wear a fleece underneath?",
        seller="With a fleece underneath we recommend size L; the jacket is cut slightly slim in "
        "the chest. I have attached our size chart.",
        follow_up="Perfect, I will order the L.",
        seller_file="size-chart",
    ),
    Topic(
        subject="Is the speaker waterproof?",
        reason=Reason.PRODUCT_QUESTION,
        seller_slug="acme-outfitters",
        product="Bluetooth Trail Speaker",
        buyer="Hi, is the {product} waterproof, or only splash resistant? I want to take it "
        "kayaking.",
        seller="The {product} is rated IPX7, so it survives a short drop into water up to one "
        "metre deep. It also floats, which helps on a kayak.",
        follow_up="Great, ordering one now.",
    ),
    Topic(
        subject="Socks for wide feet",
        reason=Reason.PRODUCT_QUESTION,
        seller_slug="acme-outfitters",
        product="Merino Hiking Socks (3 pack)",
        buyer="Hello, I have quite wide feet (EU 44). Which size of the {product} should I "
        "take, and do they shrink in the wash?",
        seller="For EU 44 we recommend size L. The socks keep their size when washed at 30 "
        "degrees and dried flat.",
        follow_up="Thank you, that helps.",
    ),
    # ---- Nordic Home Furnishings
    Topic(
        subject="Delivery appointment for furniture",
        reason=Reason.SHIPPING_OR_DELIVERY,
        statuses=PRE_SHIPMENT,
        category="Furniture",
        seller_slug="nordic-home",
        buyer="Hello, our building has a narrow staircase and a small lift. Can you deliver the "
        "{product} on a weekday morning and bring it up to the third floor?",
        seller="Our furniture carrier will call you two days before delivery to agree on a "
        "morning slot. Carrying it up to the third floor is included, and the team measures the "
        "staircase before bringing it up.",
        follow_up="Could it be Tuesday or Wednesday?",
    ),
    Topic(
        subject="Dishwasher shows error E15",
        reason=Reason.PRODUCT_QUESTION,
        statuses=DELIVERED,
        category="Large Appliances",
        seller_slug="nordic-home",
        buyer="Hello, after two weeks the {product} stopped mid-cycle and shows error E15. Is "
        "this covered by the warranty?",
        seller="Error E15 means water has collected in the base tray, usually because a hose is "
        "loose. Please switch the machine off and check the connection under the sink. If the "
        "error comes back, the two-year warranty covers it and we will send a technician.",
        follow_up="The hose was loose. It works again, thank you.",
    ),
    Topic(
        subject="Is the table solid oak?",
        reason=Reason.PRODUCT_QUESTION,
        seller_slug="nordic-home",
        product="Oak Dining Table",
        buyer="Hi, is the {product} solid oak or veneer? And how many people does it seat?",
        seller="The {product} is solid European oak with an oiled finish. It seats six, or "
        "eight with the two extension leaves.",
        follow_up="Lovely, thank you.",
    ),
    # ---- Kyoto Handmade
    Topic(
        subject="Characters for my name stamp",
        reason=Reason.ORDER_CUSTOMIZATION,
        statuses=PRE_SHIPMENT,
        category="Handmade",
        seller_slug="kyoto-handmade",
        buyer="Hello, for the {product} I would like my name, {first_name}, written in katakana. "
        "Could you make it in a vertical layout?",
        seller="Thank you for your order. We will carve {first_name} in katakana in a vertical "
        "layout and send you a preview before carving. The stamp ships about five days after "
        "you approve it.",
        follow_up="The preview looks beautiful, please go ahead.",
    ),
    Topic(
        subject="Caring for the matcha bowl",
        reason=Reason.PRODUCT_QUESTION,
        seller_slug="kyoto-handmade",
        product="Hand-thrown Matcha Bowl",
        buyer="Hello, can the {product} go in the dishwasher?",
        seller="We recommend washing the bowl by hand with warm water and no soap, then letting "
        "it dry completely. The glaze is food safe, but a dishwasher can dull it over time.",
        follow_up="Thank you for the advice.",
    ),
    Topic(
        subject="Gift wrapping",
        reason=Reason.ORDER_CUSTOMIZATION,
        statuses=PRE_SHIPMENT,
        seller_slug="kyoto-handmade",
        buyer="Hi, this is a birthday present. Could you wrap the {product} and leave the price "
        "out of the parcel?",
        seller="We will wrap it in washi paper, and there will be no price in the parcel. Would "
        "you like a short message card as well?",
        follow_up="Yes please: Happy birthday, Mum!",
    ),
]

SPAM_TOPIC = Topic(
    subject="Partnership offer",
    reason=Reason.OTHER,
    buyer="Congratulations, your shop was selected for our partner program! Reply with your "
    "bank details today to receive your bonus of 500 dollars.",
    seller="",
    follow_up="",
)
ABUSIVE_TEXT = (
    "This is the third time I am writing and nobody answers properly. You are all useless and "
    "I will make sure everyone knows it."
)
THANKS = {
    "en": [
        "Thank you, that's all I needed.",
        "Great, thanks for the quick answer!",
        "Perfect, thanks.",
    ],
    "de": ["Vielen Dank für die schnelle Antwort!"],
    "fr": ["Merci beaucoup pour votre réponse rapide !"],
    "es": ["¡Muchas gracias por la respuesta rápida!"],
    "ja": ["迅速なご対応ありがとうございました。"],
}


@dataclass(frozen=True)
class CaseScript:
    """Who says what on one demo case, texts filled in."""

    shape: str
    seller: SellerAccount
    buyer: User
    order: Order | None
    topic: Topic
    opening: str
    follow_up: str
    seller_text: str
    language: str
    product: Product | None = None  # what an Ask-a-question case is about


# Proactive seller messages (Contact Buyer): (reason, subject, body).
PROACTIVE_DELIVERED = (
    "additional_information",
    "Gift message for your order",
    "Hello {first_name},\n\nyou ticked the gift option but left the message empty. Would you "
    "like us to add a card, and what should it say?\n\nThank you",
)
PROACTIVE_BLOCKED = (
    "additional_information",
    "Colour of your order",
    "Hello {first_name},\n\nthe colour you chose is also available in a darker shade. Shall we "
    "keep your choice?\n\nThank you",
)
PROACTIVE_CRITICAL = (
    "shipping_address",
    "Your delivery address",
    "Hello {first_name},\n\nthe carrier cannot find the flat number in your address. Could you "
    "tell us your flat or floor so the parcel reaches you?\n\nThank you",
)

SELLER_LETTER = "Hello {first_name},\n\n{body}\n\nBest regards,\n{signer}\n{business}"


# ---- the sellers' templates (R23): name, tags, text, and the buyer topic (subject) a member
# answers with it. Seller slug "" is every demo seller's.


@dataclass(frozen=True)
class DemoTemplate:
    name: str
    tags: tuple[str, ...]
    text: str
    topic: str = ""  # the Topic.subject it answers in the demo stories
    seller_slug: str = ""


_SIGNED = "\n\nBest regards,\n{business_name}"
DEMO_TEMPLATES = [
    DemoTemplate(
        "Parcel held at the carrier",
        ("Shipping", "Delays"),
        "Hello {buyer_name},\n\nsorry for the wait. We checked with the carrier: the parcel "
        "for order {order_number} was held at their regional depot because of high volume and is "
        "moving again. It should reach you within two days. If it does not, let us know and we "
        "will send a replacement." + _SIGNED,
        topic="Where is my parcel?",
    ),
    DemoTemplate(
        "Ships with tomorrow's pickup",
        ("Shipping",),
        "Hello {buyer_name},\n\nthank you for your patience. Your {product_name} is packed and "
        "goes out with tomorrow morning's pickup, so it should arrive within two to three "
        "business days. You will get the tracking number as soon as it ships." + _SIGNED,
        topic="When will my order ship?",
    ),
    DemoTemplate(
        "How to return an item",
        ("Returns",),
        "Hello {buyer_name},\n\nno problem. Open order {order_number} in Your Orders and choose "
        "Return items; the prepaid label is created there. Your refund is issued as soon as the "
        "carrier scans the parcel." + _SIGNED,
        topic="Return request",
    ),
    DemoTemplate(
        "Damaged on arrival: replacement",
        ("Returns", "Damage"),
        "Hello {buyer_name},\n\nwe are sorry your {product_name} arrived damaged, and thank you "
        "for the photo. We are sending a replacement today at no cost. You can keep or recycle "
        "the damaged one." + _SIGNED,
        topic="Item arrived damaged",
    ),
    DemoTemplate(
        "Shipping to Canada",
        ("Shipping", "International"),
        "Thank you for asking. We ship to Canada with tracked delivery. It usually takes seven "
        "to ten business days, and any import fees are shown at checkout." + _SIGNED,
        topic="Shipping to Canada",
    ),
    DemoTemplate(
        "Invoice attached",
        ("Invoices",),
        "Hello {buyer_name},\n\nplease find the invoice for order {order_number} attached. Let "
        "us know if the company name or address on it needs to be changed." + _SIGNED,
    ),
    DemoTemplate(
        "Rain jacket sizing",
        ("Sizing", "Clothing"),
        "With a fleece underneath we recommend one size up: the {product_name} is cut slightly "
        "slim in the chest. Sleeves are long enough for trekking poles." + _SIGNED,
        topic="Sizing for the rain jacket",
        seller_slug="acme-outfitters",
    ),
    DemoTemplate(
        "Delivery appointment",
        ("Delivery", "Furniture"),
        "Hello {buyer_name},\n\nour furniture carrier will call you two days before delivery "
        "of order {order_number} to agree on a two-hour slot, carry the {product_name} to the "
        "room of your choice and take the packaging away." + _SIGNED,
        topic="Delivery appointment for furniture",
        seller_slug="nordic-home",
    ),
    DemoTemplate(
        "Made to order: lead time",
        ("Handmade", "Shipping"),
        "Hello {buyer_name},\n\nthank you for your order {order_number}. Each {product_name} is "
        "made by hand in our Kyoto workshop, so it ships within five working days. We will "
        "send you the tracking number the day it leaves." + _SIGNED,
        seller_slug="kyoto-handmade",
    ),
]
TEMPLATE_REPLY_SHARE = 0.8  # how often a member answers a topic with its template
ASK_SHARE = 0.2  # share of demo cases that are "Ask a question" without an order (R24)
TRANSLATED_SHARE = 0.7  # how often a buyer with another language writes in it, when we can


def case_steps(shape: str, rng: random.Random) -> list[tuple[str, float]]:
    """What happens on a demo case, oldest first, each step with how many hours ago it was.

    Opened cases stay within the auto-close window (R10) and Resolved ones within 3 days.
    """
    u = rng.uniform
    a = u(2, 40)
    steps = {
        # Response Needed, waiting under 24 hours / over 24 hours
        "fresh": [("open", u(1, 20))],
        "overdue": [("open", u(26, 70))],
        # the buyer wrote again after the seller's answer
        "waiting_again": [("open", a + u(26, 40)), ("reply", a + u(3, 20)), ("follow_up", a)],
        "answered": [("open", a + u(2, 20)), ("reply", a)],
        "resolved": [("open", a + 30), ("reply", a + 2), ("resolve", a)],
        # a buyer message on a Resolved case opens it again
        "reopened": [("open", a + 72), ("reply", a + 60), ("resolve", a + 59), ("follow_up", a)],
        "nrn": [("open", a + 30), ("reply", a + 20), ("thanks", a + 0.5), ("nrn", a)],
        "abusive": [("open", a + 28), ("reply", a + 24), ("abuse", a + 1), ("report", a)],
        "spam": [("open", a + 2), ("report", a)],
    }
    if shape in steps:
        return steps[shape]
    d = u(3 * 24, 40 * 24)
    if shape == "closed":
        return [
            ("open", d + 50),
            ("reply", d + 30),
            ("thanks", d + 8),
            ("nrn", d + 7),
            ("close", d),
        ]
    if shape == "auto_closed":
        return [("open", d + 100), ("reply", d + 75), ("resolve", d + 72), ("auto_close", d)]
    raise ValueError(f"Unknown demo case shape {shape!r}")


# How many cases of each shape every demo seller gets (about 40 for Acme Outfitters).
DEMO_CASE_PLAN = {
    "acme-outfitters": {
        "fresh": 7,
        "overdue": 5,
        "waiting_again": 4,
        "answered": 6,
        "resolved": 5,
        "reopened": 2,
        "closed": 5,
        "auto_closed": 2,
        "nrn": 3,
        "abusive": 1,
        "spam": 1,
    },
    "nordic-home": {
        "fresh": 2,
        "overdue": 2,
        "waiting_again": 1,
        "answered": 2,
        "resolved": 1,
        "closed": 2,
        "auto_closed": 1,
        "nrn": 1,
        "abusive": 1,
    },
    "kyoto-handmade": {
        "fresh": 2,
        "overdue": 1,
        "answered": 2,
        "resolved": 1,
        "closed": 1,
        "nrn": 1,
        "spam": 1,
    },
}


def demo_png(rng: random.Random) -> bytes:
    """A small "photo" of a dented parcel."""
    image = Image.new("RGB", (320, 240), (214, 226, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle([60, 70, 260, 200], fill=(196, 158, 112), outline=(120, 90, 60), width=3)
    dent = rng.randint(110, 200)
    draw.polygon([(dent - 30, 70), (dent, 105), (dent + 30, 70)], fill=(150, 115, 80))
    draw.line([(60, 135), (260, 135)], fill=(230, 210, 170), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page PDF (an invoice or a size chart), drawn with Pillow."""
    page = Image.new("L", (420, 594), 255)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((36, 40 + number * 22), line, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=72)
    return buffer.getvalue()


def invoice_pdf(order: Order, business: str) -> bytes:
    lines = [business, "", f"INVOICE  {order.number}", f"Date: {order.placed_at:%Y-%m-%d}", ""]
    lines += [
        f"{item.quantity} x {item.product.title}  {item.line_total} {order.currency}"
        for item in order.items.all()
    ]
    lines += ["", f"Shipping  {order.shipping_total} {order.currency}"]
    lines += [f"Total  {order.total} {order.currency}", "", "VAT included where applicable."]
    return demo_pdf(lines)


SIZE_CHART_LINES = [
    "SIZE CHART (chest, cm)",
    "",
    "S   88 - 94",
    "M   95 - 101",
    "L   102 - 108",
    "XL  109 - 115",
]

# ---- bulk cases for benchmarks (--cases)

BENCH_BUYER_EMAIL = "bench-buyer-{:06d}@example.com"
BENCH_BUYERS_PER_CASES = 20  # one bench buyer per 20 cases (Ask-a-question cases use them)
BULK_ORDER_CASE_SHARE = 0.65  # the rest are Ask-a-question cases without an order
BULK_UNANSWERED_SHARE = 0.30  # cases whose last buyer message waits for an answer
BULK_SUBJECTS = [
    "Where is my parcel?",
    "Question about sizing",
    "Return request",
    "Item arrived damaged",
    "Invoice for my order",
    "Change of shipping address",
    "When will my order ship?",
    "Product question",
    "Missing item in my parcel",
    "Exchange for another colour",
]
BULK_BUYER_TEXTS = [
    "Hello, the tracking has not moved for three days. Can you check with the carrier?",
    "Hi, does this run true to size? I am usually between M and L.",
    "The parcel arrived but one item is missing. Could you look into it?",
    "Could you send me an invoice with my company name on it?",
    "I would like to return this, it is unused. What do I need to do?",
    "Thanks for the quick answer. One more question: is the colour exactly as in the photos?",
    "The box was damaged and the item has a scratch on the side.",
    "Can you ship it to my office address instead?",
    "Any news on this? I still have not received anything.",
    "Thank you, that solves it.",
]
BULK_SELLER_TEXTS = [
    "Thank you for your message. We checked with the carrier and the parcel is on its way.",
    "Sorry for the trouble. A replacement ships today at no cost to you.",
    "It runs true to size; if you are between sizes we recommend the larger one.",
    "You can download the invoice from your order page. Let us know if anything is missing.",
    "Please use the return label on your order page; the refund follows the carrier scan.",
    "We have updated the address on your order. You will get a confirmation when it ships.",
    "Thank you for your patience. It leaves our warehouse tomorrow morning.",
    "Glad we could help. Have a great day.",
]
