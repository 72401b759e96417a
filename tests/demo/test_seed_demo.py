"""`seed_demo`: demo logins one per line, demo cases in every state, safe to run again, and the
bulk top-up used by the benchmark (SPEC section 2, "Management commands")."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.test import override_settings
from django.utils import timezone

from accounts.models import SellerAccount, User
from cases.models import INBOX_SUMMARY_FIELDS, Case, CaseStatus, CaseTransition
from cases.services import case_summaries_refresh
from messaging.models import (
    Attachment,
    BlockedMessageNotice,
    Direction,
    Message,
    MessageReport,
    ResponseState,
)
from orders.models import Order
from tests.factories import migration_data_install

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(r"^(seller|buyer|staff) (\S+@\S+) (\S+)$")


def _seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "sellers": SellerAccount.objects.count(),
        "orders": Order.objects.count(),
        "cases": Case.objects.count(),
        "messages": Message.objects.count(),
        "attachments": Attachment.objects.count(),
        "reports": MessageReport.objects.count(),
        "transitions": CaseTransition.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeding takes seconds, so the module's tests share one seeded database (and one media
    directory for its attachments)."""
    media = tmp_path_factory.mktemp("seed-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        first = _seed()
        counts = _counts()
        second = _seed()
        yield {"first": first, "second": second, "counts": counts}
        call_command("flush", interactive=False, verbosity=0)
        migration_data_install()  # flush empties what the data migrations put in, too


def test_seed_demo_is_idempotent(seeded):
    assert _counts() == seeded["counts"]
    assert seeded["counts"]["cases"] > 0
    assert seeded["first"] == seeded["second"]


def test_seed_demo_prints_a_login_per_role(seeded):
    logins = [LOGIN_LINE.match(line) for line in seeded["first"].splitlines()]
    logins = [match.groups() for match in logins if match]
    assert {role for role, _, _ in logins} == {"seller", "buyer", "staff"}
    assert ("seller", "owner@acme-outfitters.example", "demo-pass-2026") in logins
    for role, email, password in logins:
        user = User.objects.get(email=email)
        assert user.check_password(password)
        assert user.is_staff == (role == "staff")


def test_demo_cases_cover_every_state_for_acme(seeded):
    cases = Case.objects.filter(seller__slug="acme-outfitters")
    assert 35 <= cases.count() <= 45
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values)
    now = timezone.now()
    waiting = cases.filter(needs_response=True)
    assert waiting.filter(waiting_since__gt=now - timedelta(hours=24)).exists()
    assert waiting.filter(waiting_since__lt=now - timedelta(hours=24)).exists()
    assert cases.filter(has_no_response_needed=True).exists()
    assert cases.filter(reported=True).exists()
    assert cases.filter(order__isnull=True).exists()  # Ask a question (R24)
    assert Attachment.objects.filter(message__case__in=cases, extension=".png").exists()
    assert Attachment.objects.filter(message__case__in=cases, extension=".pdf").exists()


def test_demo_sellers_sent_messages_one_of_them_blocked(seeded):
    sent = Message.objects.filter(
        seller__slug="acme-outfitters", case__started_by=Case.StartedBy.SELLER
    )
    assert sent.filter(outcome="blocked", outcome_rule="R2", notice__isnull=False).exists()
    assert sent.filter(outcome="delivered", subject__startswith="[Important]").exists()
    assert sent.filter(outcome="delivered", contact_reason="review_request").exists()
    assert Case.objects.filter(product__isnull=False, order__isnull=True).exists()  # R24


def test_other_demo_sellers_have_cases_too(seeded):
    per_seller = dict(
        Case.objects.values_list("seller__slug")
        .annotate(n=Count("id"))
        .values_list("seller__slug", "n")
    )
    assert set(per_seller) == {"acme-outfitters", "nordic-home", "kyoto-handmade"}
    assert all(count >= 5 for count in per_seller.values())


def test_demo_case_summaries_match_their_messages(seeded):
    """The backdated history is what the inbox reads (SPEC 3, "Response needed")."""
    for case in Case.objects.all():
        messages = list(case.messages.order_by("created_at", "id"))
        waiting = [m.created_at for m in messages if m.response_state == ResponseState.NEEDED]
        assert case.message_count == len(messages)
        assert case.needs_response == bool(waiting)
        assert case.waiting_since == (min(waiting) if waiting else None)
        assert case.latest_message_at == messages[-1].created_at
        assert case.created_at <= messages[0].created_at
        assert case.created_at < timezone.now() - timedelta(minutes=30)


def test_demo_summaries_are_what_the_services_compute(seeded):
    """Every demo case's inbox summary was left by the services: computing it again from the
    messages changes nothing."""
    before = list(Case.objects.order_by("pk").values("pk", *INBOX_SUMMARY_FIELDS))
    assert case_summaries_refresh(Case.objects.values_list("pk", flat=True)) == len(before)
    assert list(Case.objects.order_by("pk").values("pk", *INBOX_SUMMARY_FIELDS)) == before


def test_demo_history_is_in_story_order(seeded):
    """Everything is backdated to its moment of the story, flags and reports included (the
    services that stamp the wall clock are restamped), and in order."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    flagged = Message.objects.exclude(no_response_needed_at=None)
    assert flagged.exists()
    assert not flagged.filter(no_response_needed_at__gt=an_hour_ago).exists()
    assert not flagged.filter(no_response_needed_at__lt=F("created_at")).exists()
    reports = MessageReport.objects.all()
    assert reports.exists()
    assert not reports.filter(created_at__gt=an_hour_ago).exists()
    assert not reports.filter(created_at__lt=F("message__created_at")).exists()
    notices = BlockedMessageNotice.objects.all()
    assert notices.exists()
    assert not notices.exclude(created_at=F("message__created_at")).exists()
    assert not CaseTransition.objects.filter(created_at__lt=F("case__created_at")).exists()
    assert not CaseTransition.objects.filter(created_at__gt=an_hour_ago).exists()
    for case in Case.objects.all():
        # (the latest state change: assignments are history entries of their own kind)
        latest = case.transitions.filter(kind=CaseTransition.Kind.STATUS).latest("created_at", "id")
        assert case.status_changed_at == latest.created_at


def test_demo_state_changes_come_from_their_causes(seeded):
    transitions = CaseTransition.objects.filter(case__seller__slug="acme-outfitters")
    causes = set(transitions.values_list("from_status", "to_status", "cause"))
    assert ("opened", "resolved", "seller") in causes
    assert ("opened", "closed", "seller") in causes
    assert ("resolved", "opened", "buyer message") in causes  # a buyer wrote again
    assert any(
        (old, new) == ("resolved", "closed") and cause.startswith("auto-close")
        for old, new, cause in causes
    )


def test_each_demo_seller_contacted_buyers(seeded):
    """Contact Buyer per seller: one delivered, one blocked by the buyer's opt-out (R2) with its
    notice (R4), a critical one (R3) the same buyer received, and a review request (R17)."""
    for seller in SellerAccount.objects.all():
        sent = Message.objects.filter(seller=seller, case__started_by=Case.StartedBy.SELLER)
        blocked = sent.get(outcome="blocked")
        assert blocked.outcome_rule == "R2"
        assert blocked.notice.seller == seller
        critical = sent.get(is_critical=True)
        assert critical.outcome == "delivered"
        assert critical.case.buyer == blocked.case.buyer
        assert critical.subject.startswith("[Important]")
        assert sent.filter(outcome="delivered", contact_reason="review_request").count() == 1
        assert sent.filter(outcome="delivered", is_critical=False).count() == 2


def test_demo_code_leaves_the_inbox_summary_to_cases_services():
    """demo/ never names a summary column: cases.services.case_summaries_refresh computes
    them, for the demo stories (through the services) and the bulk top-up alike."""
    demo = Path(settings.BASE_DIR) / "demo"
    words = re.compile(rf"\b({'|'.join(INBOX_SUMMARY_FIELDS)})\b")
    for path in demo.rglob("*.py"):
        assert not words.search(path.read_text()), path


def test_demo_seller_messages_follow_the_content_rules(seeded):
    """R12 in spirit: no links, no runs of more than two line breaks."""
    seller_texts = Message.objects.filter(direction=Direction.SELLER_TO_BUYER)
    assert seller_texts.exists()
    for body in seller_texts.values_list("body_text", flat=True):
        assert "http" not in body
        assert "www." not in body
        assert "\n\n\n" not in body


def test_some_buyers_write_in_their_own_language(seeded):
    assert Message.objects.filter(
        Q(body_text__startswith="Hallo")
        | Q(body_text__startswith="Bonjour")
        | Q(body_text__startswith="Hola")
        | Q(body_text__startswith="こんにちは")
    ).exists()


def test_bulk_top_up_adds_orders_and_cases_once(seeded):
    acme = SellerAccount.objects.get(slug="acme-outfitters")
    demo_cases = Case.objects.filter(seller=acme).count()
    _seed("--orders", "300", "--cases", "50", "--messages-per-case", "4")
    assert Order.objects.filter(seller=acme).count() == 300
    cases = Case.objects.filter(seller=acme)
    assert cases.count() == 50
    after_first = _counts()
    _seed("--orders", "300", "--cases", "50")
    assert _counts() == after_first

    # Demo cases have at most three messages, so these are the bulk ones.
    bulk = cases.annotate(n=Count("messages")).filter(n=4)
    assert bulk.count() == 50 - demo_cases
    assert set(bulk.values_list("message_count", flat=True)) == {4}
    for case in bulk:
        messages = list(case.messages.order_by("created_at", "id"))
        needed = [m for m in messages if m.response_state == ResponseState.NEEDED]
        assert case.needs_response == bool(needed)
        assert case.waiting_since == (needed[0].created_at if needed else None)
        assert case.latest_message_at == messages[-1].created_at
        assert case.latest_direction == messages[-1].direction
        assert case.buyer_alias == case.relationship.buyer_alias
        assert case.order_number == (case.order.number if case.order_id else "")
        assert case.transitions.exists()
    assert MessageReport.objects.filter(message__case__in=bulk).count() == (
        bulk.filter(reported=True).count()
    )


def test_r23_each_demo_seller_has_templates_with_tags_some_used_in_replies(seeded):
    from templates_app.models import SellerTemplate

    for seller in SellerAccount.objects.all():
        templates = SellerTemplate.objects.filter(seller=seller).prefetch_related("tags")
        assert templates.count() >= 5, seller
        assert all(template.tags.all() for template in templates), seller
    used = Message.objects.filter(template__isnull=False).select_related("template")
    assert used.exists()
    assert all(message.template.seller_id == message.seller_id for message in used)
    assert "{" not in "".join(used.values_list("body_text", flat=True))
    acme = SellerTemplate.objects.filter(seller__slug="acme-outfitters")
    assert (
        sum(acme.values_list("use_count", flat=True))
        == used.filter(seller__slug="acme-outfitters").count()
    )
