"""R23 seller templates and tags through the services: names, tags created on the fly, renamed
and merged, the R12 and placeholder checks on save, and the use the send funnel records."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from core.refusals import MessageRefused
from messaging.sending import services
from templates_app.content_rules import EMOJI_MSG, LINK_MSG, MARKETING_MSG
from templates_app.models import SellerTemplate, TemplateTag
from templates_app.services import (
    NAME_TAKEN_MSG,
    TAG_TAKEN_MSG,
    seller_template_create,
    seller_template_delete,
    seller_template_duplicate,
    seller_template_update,
    seller_template_use_record,
    tag_names_parse,
    template_tag_delete,
    template_tag_merge,
    template_tag_rename,
)
from tests.factories import MarketingPhraseFactory, SellerTemplateFactory, seller_user
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def _tags(template: SellerTemplate) -> list[str]:
    return sorted(tag.name for tag in template.tags.all())


# ---- names


def test_r23_template_names_are_unique_per_seller_ignoring_case(seller):
    seller_template_create(seller=seller, name="Shipping delay", text="It ships Monday.")
    with pytest.raises(ValidationError) as refused:
        seller_template_create(seller=seller, name="shipping  DELAY", text="Other text.")
    assert _errors(refused.value) == {"name": [NAME_TAKEN_MSG.format(name="shipping DELAY")]}
    assert SellerTemplate.objects.filter(seller=seller).count() == 1


def test_r23_two_sellers_may_share_a_template_name(seller, other_seller):
    seller_template_create(seller=seller, name="Shipping delay", text="It ships Monday.")
    seller_template_create(seller=other_seller, name="Shipping delay", text="Ours too.")
    assert SellerTemplate.objects.filter(name="Shipping delay").count() == 2


def test_r23_a_template_keeps_its_name_when_edited_and_may_not_take_another(seller):
    first = SellerTemplateFactory(seller=seller, name="Thanks")
    SellerTemplateFactory(seller=seller, name="Refund")
    seller_template_update(template=first, name="Thanks", text="Thank you!", tag_names=[])
    with pytest.raises(ValidationError) as refused:
        seller_template_update(template=first, name="refund", text="x", tag_names=[])
    assert "name" in _errors(refused.value)


# ---- the text: R12 with the words of sending, placeholders


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Track it at shop.example.com today", LINK_MSG.format(excerpt="shop.example.com")),
        ("Thanks 😀", EMOJI_MSG.format(excerpt="😀")),
        ("Use coupon code SAVE10", MARKETING_MSG.format(excerpt="coupon code")),
    ],
)
def test_r12_template_save_is_refused_with_the_words_of_send(seller, seller_owner, text, words):
    with pytest.raises(MessageRefused) as refused:
        seller_template_create(seller=seller, name="Offer", text=text)
    case = buyer_opens_case(order=None, seller=seller).case
    with pytest.raises(MessageRefused) as sending:
        services.message_send(sender=seller_owner, case=case, draft=services.Draft(body_text=text))
    assert refused.value.refusal == sending.value.refusal
    assert refused.value.refusal.rule == "R12"
    assert sending.value.refusal.message.startswith(words)
    assert not SellerTemplate.objects.exists()


def test_r12_template_save_reads_the_marketing_phrases_staff_keep(seller):
    MarketingPhraseFactory(phrase="mega bonanza")
    with pytest.raises(MessageRefused) as refused:
        seller_template_create(seller=seller, name="Sale", text="Our MEGA bonanza starts now.")
    assert refused.value.refusal.message.startswith(MARKETING_MSG.format(excerpt="MEGA bonanza"))


def test_r12_an_edit_is_checked_like_a_new_template(seller):
    template = SellerTemplateFactory(seller=seller)
    with pytest.raises(MessageRefused):
        seller_template_update(template=template, name=template.name, text="www.x.de", tag_names=[])
    template.refresh_from_db()
    assert "www.x.de" not in template.text


def test_r23_an_unknown_placeholder_is_refused_on_save(seller):
    with pytest.raises(MessageRefused) as refused:
        seller_template_create(seller=seller, name="Hi", text="Hello {buyer}, thanks!")
    assert refused.value.refusal.rule == "R23"
    assert refused.value.refusal.message.startswith("“{buyer}” is not a placeholder.")


# ---- tags


def test_tag_names_are_trimmed_and_deduplicated_ignoring_case():
    assert tag_names_parse(" Shipping,returns , shipping,,  Late   orders ") == [
        "Shipping",
        "returns",
        "Late orders",
    ]


def test_r23_tags_are_created_on_the_fly_per_seller_and_reused(seller, other_seller):
    first = seller_template_create(
        seller=seller, name="A", text="a", tag_names=["Shipping", "Delays"]
    )
    second = seller_template_create(seller=seller, name="B", text="b", tag_names=["shipping"])
    seller_template_create(seller=other_seller, name="A", text="a", tag_names=["Shipping"])
    assert _tags(first) == ["Delays", "Shipping"]
    assert _tags(second) == ["Shipping"]  # the existing tag, its own spelling
    assert TemplateTag.objects.filter(seller=seller).count() == 2
    assert TemplateTag.objects.filter(seller=other_seller).count() == 1


def test_r23_a_tag_is_renamed_on_every_template(seller):
    template = SellerTemplateFactory(seller=seller, tag_names=["Shiping"])
    tag = TemplateTag.objects.get(seller=seller, name="Shiping")
    template_tag_rename(tag=tag, name="  Shipping ")
    assert _tags(template) == ["Shipping"]


def test_r23_a_rename_onto_another_tags_name_is_refused(seller):
    SellerTemplateFactory(seller=seller, tag_names=["Shipping", "Delivery"])
    tag = TemplateTag.objects.get(seller=seller, name="Delivery")
    with pytest.raises(ValidationError) as refused:
        template_tag_rename(tag=tag, name="SHIPPING")
    assert _errors(refused.value) == {"name": [TAG_TAKEN_MSG.format(name="SHIPPING")]}


def test_r23_merging_tags_moves_every_template_once(seller):
    both = SellerTemplateFactory(seller=seller, name="Both", tag_names=["Delivery", "Shipping"])
    delivery = SellerTemplateFactory(seller=seller, name="Delivery only", tag_names=["Delivery"])
    shipping = SellerTemplateFactory(seller=seller, name="Shipping only", tag_names=["Shipping"])
    source = TemplateTag.objects.get(seller=seller, name="Delivery")
    target = TemplateTag.objects.get(seller=seller, name="Shipping")
    template_tag_merge(source=source, target=target)
    assert not TemplateTag.objects.filter(pk=source.pk).exists()
    assert [_tags(t) for t in (both, delivery, shipping)] == [["Shipping"]] * 3
    assert TemplateTag.objects.annotate(n=Count("templates")).get(pk=target.pk).n == 3


def test_r23_a_tag_merges_only_into_another_tag_of_the_same_seller(seller, other_seller):
    SellerTemplateFactory(seller=seller, tag_names=["Shipping"])
    SellerTemplateFactory(seller=other_seller, tag_names=["Shipping"])
    mine, theirs = TemplateTag.objects.order_by("seller_id")
    with pytest.raises(ValidationError):
        template_tag_merge(source=mine, target=mine)
    with pytest.raises(ValidationError):
        template_tag_merge(source=mine, target=theirs)


def test_r23_deleting_a_tag_keeps_its_templates(seller):
    template = SellerTemplateFactory(seller=seller, tag_names=["Old"])
    template_tag_delete(tag=TemplateTag.objects.get(name="Old"))
    assert SellerTemplate.objects.filter(pk=template.pk).exists()
    assert _tags(template) == []


# ---- duplicate, delete


def test_r23_a_duplicate_copies_text_and_tags_and_starts_unused(seller):
    template = SellerTemplateFactory(seller=seller, name="Thanks", tag_names=["Polite"])
    SellerTemplate.objects.filter(pk=template.pk).update(use_count=7, last_used_at=timezone.now())
    first = seller_template_duplicate(template=template)
    second = seller_template_duplicate(template=template)
    assert (first.name, second.name) == ("Thanks (copy)", "Thanks (copy 2)")
    assert first.text == template.text
    assert _tags(first) == ["Polite"]
    assert (first.use_count, first.last_used_at) == (0, None)


def test_r25_deleting_a_template_keeps_the_messages_sent_with_it(seller, seller_owner):
    template = SellerTemplateFactory(seller=seller)
    case = buyer_opens_case(order=None, seller=seller).case
    message = services.message_send(
        sender=seller_owner,
        case=case,
        draft=services.Draft(body_text="Thanks, it ships today.", template_id=template.pk),
    )
    seller_template_delete(template=template)
    message.refresh_from_db()
    assert message.template_id is None
    assert message.body_text == "Thanks, it ships today."


# ---- the use the funnel records


def test_r23_sending_with_a_template_counts_a_use_and_links_it(seller, seller_owner):
    template = SellerTemplateFactory(seller=seller)
    case = buyer_opens_case(order=None, seller=seller).case
    at = timezone.now() - timedelta(hours=2)
    draft = services.Draft(body_text="It ships today.", template_id=template.pk)
    message = services.message_send(sender=seller_owner, case=case, draft=draft, now=at)
    template.refresh_from_db()
    assert (template.use_count, template.last_used_at) == (1, at)
    assert message.template_id == template.pk


def test_r23_a_refused_message_counts_no_use(seller, seller_owner):
    template = SellerTemplateFactory(seller=seller)
    case = buyer_opens_case(order=None, seller=seller).case
    draft = services.Draft(body_text="See www.example.com", template_id=template.pk)
    with pytest.raises(MessageRefused):
        services.message_send(sender=seller_owner, case=case, draft=draft)
    template.refresh_from_db()
    assert (template.use_count, template.last_used_at) == (0, None)


def test_r23_another_sellers_template_id_is_neither_counted_nor_linked(seller, other_seller):
    theirs = SellerTemplateFactory(seller=other_seller)
    case = buyer_opens_case(order=None, seller=seller).case
    draft = services.Draft(body_text="It ships today.", template_id=theirs.pk)
    message = services.message_send(sender=seller_user(seller), case=case, draft=draft)
    theirs.refresh_from_db()
    assert theirs.use_count == 0
    assert message.template_id is None


def test_r23_a_backdated_use_never_moves_last_used_back(seller):
    template = SellerTemplateFactory(seller=seller)
    now = timezone.now()
    seller_template_use_record(seller_id=seller.pk, template_id=template.pk, at=now)
    seller_template_use_record(
        seller_id=seller.pk, template_id=template.pk, at=now - timedelta(days=3)
    )
    template.refresh_from_db()
    assert (template.use_count, template.last_used_at) == (2, now)


def test_r23_a_buyer_message_with_a_template_id_records_nothing(seller):
    template = SellerTemplateFactory(seller=seller)
    opening = buyer_opens_case(order=None, seller=seller)
    message = services.message_send(
        sender=opening.case.buyer,
        case=opening.case,
        draft=services.Draft(body_text="Hello?", template_id=template.pk),
    )
    template.refresh_from_db()
    assert template.use_count == 0
    assert message.template_id is None


def test_r23_template_text_is_stored_with_plain_line_breaks(seller):
    template = seller_template_create(
        seller=seller, name="Thanks", text="Hello {buyer_name},  \r\n\r\nThank you!\r\n"
    )
    assert template.text == "Hello {buyer_name},\n\nThank you!"
