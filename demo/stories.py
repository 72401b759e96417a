"""The demo stories, played through the real services.

Every demo message, case, state change, No Response Needed, report, blocked message and review
request is made by the service the app itself uses for it, at its own moment of the story:
`message_send(now=...)` and `review_request_send(now=...)` backdate the message, the case it
opens and its R4 notice, and the rules (R2-R9, R17) judge it at that moment; the flag and state
services take `at=`. The inbox summary of each case is therefore what the services computed,
never written here.

Each demo seller also gets a handful of templates with tags (R23), saved by the service Manage
Templates uses; members answer most buyer topics that have a template with it, filled in as
Insert Template fills it, so the template analytics on Manage Templates have uses to show.
"""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from accounts.models import BuyerProfile, SellerAccount, User
from cases.models import Case, CaseStatus, Direction
from cases.services import case_change_state_by_seller, case_transition
from demo.content import (
    ABUSIVE_TEXT,
    ASK_SHARE,
    DEMO_CASE_PLAN,
    DEMO_TEMPLATES,
    PROACTIVE_BLOCKED,
    PROACTIVE_CRITICAL,
    PROACTIVE_DELIVERED,
    SELLER_LETTER,
    SIZE_CHART_LINES,
    SPAM_TOPIC,
    TEMPLATE_REPLY_SHARE,
    THANKS,
    TOPICS,
    TRANSLATED_SHARE,
    CaseScript,
    Topic,
    case_steps,
    demo_pdf,
    demo_png,
    invoice_pdf,
)
from demo.reference import order_place
from messaging.attachments import IncomingAttachment
from messaging.contact_buyer.services import review_request_send
from messaging.models import Message, ReportReason
from messaging.moderation.services.flags import message_mark_no_response_needed, message_report
from messaging.policy import REVIEW_REQUEST_REASON
from messaging.sending.services import Draft, message_send
from orders.models import Order, OrderStatus, Product
from templates_app.models import PlatformTemplate, PlatformTemplateTranslation, SellerTemplate
from templates_app.platform_defaults import platform_templates_install
from templates_app.selectors import placeholder_values, template_fill
from templates_app.services import seller_template_create

# The seller's Contact Buyer messages (reason, subject, body) and how many hours ago each was
# sent: one delivered, one blocked by the buyer's opt-out (R2) with its inbox notice (R4), and a
# critical one (R3) the same opted-out buyer did receive.
CONTACTS = [(PROACTIVE_DELIVERED, 30)]
OPTED_OUT_CONTACTS = [(PROACTIVE_BLOCKED, 28), (PROACTIVE_CRITICAL, 27)]
REVIEW_REQUEST_HOURS_AGO = 24


def demo_stories_play(
    *, sellers: list[SellerAccount], buyers: list[User], now: datetime, seed: int
) -> None:
    """For each demo seller that has none yet: buyer cases in every state (DEMO_CASE_PLAN),
    then the seller's own Contact Buyer messages and a review request. One transaction per
    seller, so an interrupted run leaves a seller with all of its story or none of it."""
    rng = random.Random(seed)
    demo_templates_ensure(sellers=sellers)
    for seller in sellers:
        with transaction.atomic():
            if not Case.objects.filter(seller=seller).exists():
                _buyer_cases_play(rng, now, seller=seller, buyers=buyers)
            if not Case.objects.filter(seller=seller, started_by=Case.StartedBy.SELLER).exists():
                _seller_contacts_play(rng, now, seller=seller, buyers=buyers)


def demo_templates_ensure(*, sellers: list[SellerAccount]) -> None:
    """A handful of templates with tags for each demo seller (R23), through the service Manage
    Templates saves with (R12 and placeholders checked); only the ones missing by name. The
    platform templates come with the migrations; a database emptied since (flush) gets them
    back here, without touching what staff edited."""
    platform_templates_install(PlatformTemplate, PlatformTemplateTranslation)
    for seller in sellers:
        existing = set(SellerTemplate.objects.filter(seller=seller).values_list("name", flat=True))
        for demo in DEMO_TEMPLATES:
            if demo.seller_slug in ("", seller.slug) and demo.name not in existing:
                seller_template_create(
                    seller=seller, name=demo.name, text=demo.text, tag_names=demo.tags
                )


def _template_reply(script: CaseScript, case: Case) -> tuple[str, int] | None:
    """The seller's template for the case's topic, filled in for the case, as Insert Template
    fills it, most of the time (the members sometimes write their own)."""
    demo = next(
        (
            t
            for t in DEMO_TEMPLATES
            if t.topic == script.topic.subject and t.seller_slug in ("", script.seller.slug)
        ),
        None,
    )
    if demo is None or random.Random(f"template-{case.pk}").random() > TEMPLATE_REPLY_SHARE:
        return None
    template = SellerTemplate.objects.filter(seller=script.seller, name=demo.name).first()
    if template is None:
        return None
    filled = template_fill(template, placeholder_values(seller=script.seller, case=case))
    return None if filled.refusal is not None else (filled.text, template.pk)


def _members(seller: SellerAccount) -> list[User]:
    return list(User.objects.filter(seller_membership__seller=seller).order_by("email"))


# ---- buyer cases


def _buyer_cases_play(
    rng: random.Random, now: datetime, *, seller: SellerAccount, buyers: list[User]
) -> None:
    members = _members(seller)
    orders = list(
        seller.orders.filter(placed_at__gte=now - timedelta(days=120))
        .select_related("buyer")
        .prefetch_related("items__product__category")
        .order_by("-placed_at")[:400]
    )
    shapes = [shape for shape, count in DEMO_CASE_PLAN[seller.slug].items() for _ in range(count)]
    rng.shuffle(shapes)
    used: set[int] = set()
    for shape in shapes:
        _case_play(
            rng,
            now,
            shape,
            seller=seller,
            members=members,
            orders=orders,
            used=used,
            buyers=buyers,
        )


def _pick_topic(
    rng: random.Random,
    seller: SellerAccount,
    orders: list[Order],
    used: set[int],
    start: datetime,
    *,
    ask: bool,
) -> tuple[Topic, Order | None]:
    """A topic for the seller and, unless it is an Ask-a-question, an order it fits (its
    status and categories, and last changed before the case starts)."""
    topics = [t for t in TOPICS if t.seller_slug in ("", seller.slug)]
    questions = [t for t in topics if not t.statuses]
    if ask:
        return rng.choice(questions), None
    fitting = []
    for topic in topics:
        if not topic.statuses:
            continue
        candidates = [
            order
            for order in orders
            if order.pk not in used
            and order.status in topic.statuses
            and order.status_changed_at < start - timedelta(hours=1)
            and (
                not topic.category
                or any(i.product.category.name == topic.category for i in order.items.all())
            )
        ]
        if candidates:
            fitting.append((topic, candidates))
    if not fitting:
        return rng.choice(questions), None
    topic, candidates = rng.choice(fitting)
    order = rng.choice(candidates)
    used.add(order.pk)
    return topic, order


def _script(
    rng: random.Random,
    shape: str,
    *,
    seller: SellerAccount,
    topic: Topic,
    order: Order | None,
    buyers: list[User],
) -> CaseScript:
    """Who says what on one case, in the buyer's own language some of the time."""
    buyer = order.buyer if order is not None else rng.choice(buyers)
    language = (
        BuyerProfile.objects.filter(user=buyer).values_list("preferred_language", flat=True).first()
    )
    opening, follow_up = topic.buyer, topic.follow_up
    if language in topic.translations and rng.random() < TRANSLATED_SHARE:
        opening, follow_up = topic.translations[language]
    else:
        language = "en"
    product = topic.product
    if order is not None:
        items = list(order.items.all())
        matching = [i for i in items if i.product.category.name == topic.category]
        product = (matching or items)[0].product.title
    fill = {
        "order": order.number if order else "",
        "product": product,
        "first_name": buyer.get_short_name(),
    }
    return CaseScript(
        shape=shape,
        seller=seller,
        buyer=buyer,
        order=order,
        topic=topic,
        opening=opening.format(**fill),
        follow_up=follow_up.format(**fill),
        seller_text=topic.seller.format(**fill),
        language=language,
        product=(
            Product.objects.filter(seller=seller, title=topic.product).first()
            if order is None
            else None
        ),
    )


def _case_play(
    rng: random.Random,
    now: datetime,
    shape: str,
    *,
    seller: SellerAccount,
    members: list[User],
    orders: list[Order],
    used: set[int],
    buyers: list[User],
) -> Case:
    """Play one case's steps (demo.content.case_steps), each at its moment of the story."""
    steps = case_steps(shape, rng)
    start = now - timedelta(hours=steps[0][1])
    if shape == "spam":
        topic, order = SPAM_TOPIC, None
    else:
        topic, order = _pick_topic(rng, seller, orders, used, start, ask=rng.random() < ASK_SHARE)
    script = _script(rng, shape, seller=seller, topic=topic, order=order, buyers=buyers)
    case = None
    for action, hours_ago in steps:
        at = now - timedelta(hours=hours_ago)
        case = _step(rng, action, script, case=case, member=rng.choice(members), at=at)
    assert case is not None
    return case


def _latest_buyer_message(case: Case) -> Message:
    message = (
        Message.objects.filter(case=case, direction=Direction.BUYER_TO_SELLER)
        .order_by("-created_at", "-id")
        .first()
    )
    assert message is not None, f"{case} has no buyer message"
    return message


def _step(
    rng: random.Random,
    action: str,
    script: CaseScript,
    *,
    case: Case | None,
    member: User,
    at: datetime,
) -> Case:
    """One step of a case, through the service the web page of that action calls."""
    if action == "open":
        files = []
        if script.topic.buyer_file == "photo":
            files.append(IncomingAttachment(f"IMG_{rng.randint(1000, 9999)}.png", demo_png(rng)))
        draft = Draft(
            subject=script.topic.subject,
            body_text=script.opening,
            contact_reason=script.topic.reason,
            attachments=files,
        )
        if script.order is not None:  # the buyer contacts the seller about an order
            message = message_send(sender=script.buyer, order=script.order, draft=draft, now=at)
        else:  # Ask a question (R24), optionally about a product
            message = message_send(
                sender=script.buyer,
                seller=script.seller,
                product=script.product,
                draft=draft,
                now=at,
            )
        return message.case
    assert case is not None, f"{action!r} before the case was opened"
    if action == "reply":
        _seller_reply(script, case=case, member=member, at=at)
    elif action in ("follow_up", "thanks", "abuse"):
        body = {
            "follow_up": script.follow_up,
            "thanks": rng.choice(THANKS[script.language]),
            "abuse": ABUSIVE_TEXT,
        }[action]
        message_send(sender=script.buyer, case=case, draft=Draft(body_text=body), now=at)
    elif action == "nrn":
        latest = _latest_buyer_message(case)
        message_mark_no_response_needed(message=latest, actor=member, at=at)
    elif action == "report":
        latest = _latest_buyer_message(case)
        reason = ReportReason.SPAM if script.shape == "spam" else ReportReason.ABUSIVE
        message_report(message=latest, reporter=member, reason=reason, at=at)
    elif action in ("resolve", "close"):
        to_status = CaseStatus.RESOLVED if action == "resolve" else CaseStatus.CLOSED
        case = case_change_state_by_seller(case=case, actor=member, to_status=to_status, at=at)
    elif action == "auto_close":  # what the R10 task does to a case left Resolved
        days = settings.CASE_RESOLVED_CLOSE_DAYS
        cause = f"auto-close after {days} days resolved"
        case = case_transition(
            case=case, to_status=CaseStatus.CLOSED, actor=None, cause=cause, at=at
        )
    else:
        raise ValueError(f"Unknown demo step {action!r}")
    return case


def _seller_reply(script: CaseScript, *, case: Case, member: User, at: datetime) -> Message:
    body = SELLER_LETTER.format(
        first_name=script.buyer.get_short_name(),
        body=script.seller_text,
        signer=member.get_short_name(),
        business=script.seller.business_name,
    )
    template_id = None
    from_template = _template_reply(script, case)
    if from_template is not None:
        body, template_id = from_template
    files = []
    if script.topic.seller_file == "invoice":
        assert script.order is not None
        pdf = invoice_pdf(script.order, script.seller.business_name)
        files.append(IncomingAttachment(f"invoice-{script.order.number}.pdf", pdf))
    elif script.topic.seller_file == "size-chart":
        files.append(IncomingAttachment("size-chart.pdf", demo_pdf(SIZE_CHART_LINES)))
    draft = Draft(body_text=body, attachments=files, template_id=template_id)
    return message_send(sender=member, case=case, draft=draft, now=at)


# ---- the seller's own messages: Contact Buyer and Request a Review


def _opted_out(buyer: User) -> bool:
    return BuyerProfile.objects.filter(user=buyer, opted_out_of_unsolicited=True).exists()


def _contactable_order(
    rng: random.Random, now: datetime, *, seller: SellerAccount, buyers: list[User], opted_out: bool
) -> Order | None:
    """An Unshipped order of a buyer who has (or has not) opted out (R2), unshipped for two
    days by the time of the story; placed for the story when the random orders have none."""
    unshipped = seller.orders.filter(
        status=OrderStatus.UNSHIPPED,
        status_changed_at__lt=now - timedelta(days=2),
        buyer__buyer_profile__opted_out_of_unsolicited=opted_out,
    ).order_by("-placed_at")
    order = unshipped.first()
    if order is not None:
        return order
    buyer = next((b for b in buyers if _opted_out(b) == opted_out), None)
    if buyer is None:
        return None
    return order_place(
        rng,
        seller=seller,
        buyer=buyer,
        status=OrderStatus.UNSHIPPED,
        placed_at=now - timedelta(days=6),
        until=now - timedelta(days=3),
    )


def _reviewable_order(
    rng: random.Random, now: datetime, *, seller: SellerAccount, buyers: list[User], at: datetime
) -> Order | None:
    """A delivered order inside the R17 window at `at`, of a buyer who receives it (R2), with
    no review requested yet; placed for the story when the random orders have none."""
    order = (
        seller.orders.filter(
            status=OrderStatus.DELIVERED,
            delivered_at__range=(at - timedelta(days=24), at - timedelta(days=6)),
            buyer__buyer_profile__opted_out_of_unsolicited=False,
        )
        .exclude(messages__contact_reason=REVIEW_REQUEST_REASON)
        .order_by("-placed_at")
        .first()
    )
    if order is not None:
        return order
    buyer = next((b for b in buyers if not _opted_out(b)), None)
    if buyer is None:
        return None
    return order_place(
        rng,
        seller=seller,
        buyer=buyer,
        status=OrderStatus.DELIVERED,
        placed_at=now - timedelta(days=20),
        until=now - timedelta(days=8),
    )


def _seller_contacts_play(
    rng: random.Random, now: datetime, *, seller: SellerAccount, buyers: list[User]
) -> None:
    """Contact Buyer messages as the seller's owner sends them from the order page, and a
    Request a Review (R17) a day ago."""
    member = _members(seller)[0]
    sends = []
    order = _contactable_order(rng, now, seller=seller, buyers=buyers, opted_out=False)
    if order is not None:
        sends += [(order, contact) for contact in CONTACTS]
    order = _contactable_order(rng, now, seller=seller, buyers=buyers, opted_out=True)
    if order is not None:
        sends += [(order, contact) for contact in OPTED_OUT_CONTACTS]
    for order, ((reason, subject, body), hours_ago) in sends:
        at = now - timedelta(hours=hours_ago)
        draft = Draft(
            subject=subject,
            body_text=body.format(first_name=order.buyer.get_short_name()),
            contact_reason=reason,
        )
        message_send(sender=member, order=order, draft=draft, now=at)
    at = now - timedelta(hours=REVIEW_REQUEST_HOURS_AGO)
    reviewable = _reviewable_order(rng, now, seller=seller, buyers=buyers, at=at)
    if reviewable is not None:
        review_request_send(sender=member, order=reviewable, now=at)
