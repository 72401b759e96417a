"""Staff oversight in the admin (issue 11): the dispute file of an order, alias or case (R25),
the reports queue with warnings to the seller or the buyer (R16), the `[Important]` list for
misuse review (R3), and the "Dispute Resolution" group. Everything is made by the services."""

import io
from email.message import EmailMessage
from email.utils import make_msgid
from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from accounts.models import BuyerProfile, Relationship
from cases.models import Case, CaseStatus
from cases.services import case_change_state_by_seller
from messaging.attachments import IncomingAttachment
from messaging.email.authentication import sender_check
from messaging.email.services.inbound import inbound_mail_process, inbound_mail_receive
from messaging.inbox.selectors import inbox_notices_for_seller
from messaging.models import (
    Attachment,
    Channel,
    Direction,
    InboundMail,
    Message,
    MessageReport,
    OutboundEmail,
    Outcome,
    StaffWarning,
)
from messaging.moderation.selectors import STAFF_WARNINGS_SHOWN, staff_warnings_for_seller
from messaging.moderation.services.decisions import (
    STAFF_ONLY_MSG,
    report_dismiss,
    report_warn,
    staff_warning_dismiss,
)
from messaging.moderation.services.flags import message_report, message_report_by_link
from messaging.moderation.staff_groups import DISPUTE_RESOLUTION_GROUP, OUR_APPS
from messaging.sending import services
from orders.models import Order
from tests.clients import signed_in_client
from tests.factories import (
    BuyerFactory,
    MessageFactory,
    OrderFactory,
    StaffFactory,
    StaffWarningFactory,
    UserFactory,
    seller_user,
)
from tests.messaging.helpers import buyer_replies, seller_replies

pytestmark = pytest.mark.django_db

DISPUTE_FILE = reverse("admin:dispute_file")
REPORTS = reverse("admin:messaging_messagereport_changelist")
MESSAGES = reverse("admin:messaging_message_changelist")
INBOX = reverse("messaging:inbox")
BUYER_CENTER = reverse("messaging:buyer_message_center")
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

GROUP = DISPUTE_RESOLUTION_GROUP


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _mail(*, sender: str, to: str, subject: str, body: str, in_reply_to: str = "") -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Message-ID"] = make_msgid(domain="mail.example.com")
    if in_reply_to:
        mail["In-Reply-To"] = mail["References"] = in_reply_to
    mail.set_content(body)
    return mail.as_bytes()


def _email_in(*, sender: str, to: str, subject: str, body: str, in_reply_to: str = ""):
    """A mail through the inbound pipeline: stored as the relay stores it, then processed as
    the task does (a message, or a refusal with a bounce)."""
    raw = _mail(sender=sender, to=to, subject=subject, body=body, in_reply_to=in_reply_to)
    check = sender_check(raw, envelope_from=sender, client_ip="127.0.0.1")  # as over loopback
    (mail,) = inbound_mail_receive(
        raw=raw, recipients=[to], envelope_from=sender, source="smtp", check=check
    )
    return inbound_mail_process(mail.pk)


def _opt_out(buyer) -> None:
    BuyerProfile.objects.filter(user=buyer).update(opted_out_of_unsolicited=True)


class Story:
    """One buyer and one seller, every kind of row the dispute file shows:

    - case A on the order: the buyer asks with a photo, the seller answers with a PDF (an email
      to the buyer), the buyer writes again (reported by the seller), the buyer replies by email
      (an inbound mail threaded into the case), the seller resolves the case;
    - case B on the same order: a proactive seller message blocked by the buyer's opt-out (R2)
      with its inbox notice (R4);
    - a mail to the buyer alias from an address the seller never approved: refused (R11) and
      bounced, so it became no message.
    """

    def __init__(self, seller, member):
        self.seller, self.member = seller, member
        self.buyer = BuyerFactory()
        self.order = OrderFactory(seller=seller, buyer=self.buyer, status="unshipped")
        self.relationship = self.order.relationship
        opening = services.message_send(
            sender=self.buyer,
            seller=seller,
            order=self.order,
            draft=services.Draft(
                subject="Parcel arrived empty",
                body_text="The box in the photo arrived empty.\nPlease help.",
                contact_reason="shipping_or_delivery",
                attachments=[IncomingAttachment("photo.png", _png())],
            ),
        )
        self.case = opening.case
        self.reply = services.message_send(
            sender=member,
            case=self.case,
            draft=services.Draft(
                body_text="Sorry about that. The invoice is attached.",
                attachments=[IncomingAttachment("invoice.pdf", PDF_BYTES)],
            ),
        )
        self.reply.refresh_from_db()
        self.rude = buyer_replies(self.case, "You are all crooks")
        self.report = message_report(message=self.rude, reporter=member, reason="abusive")
        self.by_email = _email_in(
            sender=self.buyer.email,
            to=self.relationship.seller_alias,
            subject="Re: Parcel arrived empty",
            body="Replying from my mail client.",
            in_reply_to=self.reply.email_message_id,
        )
        case_change_state_by_seller(case=self.case, actor=member, to_status=CaseStatus.RESOLVED)
        _opt_out(self.buyer)
        self.blocked = services.message_send(
            sender=member,
            order=self.order,
            draft=services.Draft(
                subject="Your order update",
                body_text="We restocked the blue one.",
                contact_reason="additional_information",
            ),
        )
        self.refused_mail = _email_in(
            sender="someone@elsewhere.example",
            to=self.relationship.buyer_alias,
            subject=f"Order {self.order.number}",
            body="Written from an address nobody approved.",
        )


@pytest.fixture
def member(seller):
    return seller_user(seller)


@pytest.fixture
def story(seller, member) -> Story:
    return Story(seller, member)


@pytest.fixture
def staff_client(staff) -> Client:
    return signed_in_client(staff)


def _file(client: Client, query: str):
    response = client.get(DISPUTE_FILE, {"q": query})
    assert response.status_code == HTTPStatus.OK
    return response


# ---- the dispute file (R25)


def test_r25_the_story_has_every_kind_of_row(story):
    assert story.by_email.status == InboundMail.Status.ACCEPTED
    assert story.by_email.message.case_id == story.case.pk
    assert story.blocked.outcome == Outcome.BLOCKED
    assert story.blocked.notice is not None
    assert story.refused_mail.status == InboundMail.Status.REFUSED
    assert story.refused_mail.message is None
    assert OutboundEmail.objects.filter(message=story.reply).exists()
    assert OutboundEmail.objects.filter(inbound_mail=story.refused_mail).exists()


def test_r25_dispute_file_of_an_order_shows_everything_about_it(staff_client, story):
    response = _file(staff_client, story.order.number)
    file = response.context["file"]
    text = response.text
    assert file.kind == "order"
    assert [case.pk for case in file.cases] == [story.case.pk, story.blocked.case_id]

    # every message both ways, the blocked one with its rule and reason
    for message in Message.objects.filter(order=story.order):
        assert f'id="message-{message.pk}"' in text
        assert escape(message.subject) in text
    assert "The box in the photo arrived empty.\nPlease help." in text  # as written
    assert "Replying from my mail client." in text
    assert 'data-rule="R2"' in text
    assert escape(story.blocked.outcome_reason) in text
    assert "Inbox notice to the seller (R4)" in text
    # attachments through the checked download view, never their media URL (R13)
    for attachment in Attachment.objects.filter(message__case=story.case):
        assert reverse("messaging:attachment_download", args=[attachment.pk]) in text
        assert attachment.file.url not in text
    # state changes with who and why
    assert "Resolved" in text
    assert story.member.email in text
    # the report, the inbound mail and the email sent to the buyer
    assert "Abusive" in text
    assert reverse("admin:messaging_messagereport_change", args=[story.report.pk]) in text
    assert reverse("admin:messaging_inboundmail_change", args=[story.by_email.pk]) in text
    email = OutboundEmail.objects.filter(message=story.reply).first()
    assert reverse("admin:messaging_outboundemail_change", args=[email.pk]) in text
    # the parties and their aliases
    assert story.relationship.buyer_alias in text
    assert story.relationship.seller_alias in text
    assert story.buyer.email in text
    assert "Acme Outfitters" in text
    assert f"{file.message_count} messages" in text
    assert file.message_count == Message.objects.filter(order=story.order).count()


def test_r25_dispute_file_of_an_order_id_typed_without_dashes(staff_client, story):
    digits = story.order.number.replace("-", "")
    assert _file(staff_client, f" {digits} ").context["file"].key == story.order.number


@pytest.mark.parametrize("side", ["buyer_alias", "seller_alias"])
def test_r25_dispute_file_of_an_alias_includes_mail_that_became_no_message(
    staff_client, story, side
):
    alias = getattr(story.relationship, side)
    response = _file(staff_client, alias.upper())
    file = response.context["file"]
    assert file.kind == "alias"
    assert file.relationship == story.relationship
    assert {case.pk for case in file.cases} == {story.case.pk, story.blocked.case_id}
    assert file.unthreaded_mails == [story.refused_mail]
    assert "Mail to these aliases that became no message" in response.text
    assert escape(story.refused_mail.reason) in response.text
    assert "someone@elsewhere.example" in response.text  # the sender and the bounce to it
    assert file.orders == [story.order]


def test_r25_dispute_file_of_a_case_shows_that_case_only(staff_client, story):
    response = _file(staff_client, f"case {story.blocked.case_id}")
    file = response.context["file"]
    assert file.kind == "case"
    assert [case.pk for case in file.cases] == [story.blocked.case_id]
    assert story.rude.body_text not in response.text
    assert file.relationship == story.relationship


def test_r25_dispute_file_says_when_nothing_matches(staff_client, story):
    for query in ["999-9999999-9999999", "nobody@m.alphadiscounters.com", "987654321", "blue"]:
        response = _file(staff_client, query)
        assert response.context["file"] is None
        assert 'id="dispute-not-found"' in response.text
    empty = staff_client.get(DISPUTE_FILE)
    assert empty.status_code == HTTPStatus.OK
    assert 'id="dispute-search"' in empty.text
    assert 'id="dispute-not-found"' not in empty.text


def test_r25_dispute_file_is_read_only(staff_client, story):
    assert staff_client.post(DISPUTE_FILE, {"q": story.order.number}).status_code == 405
    text = _file(staff_client, story.order.number).text
    content = text[text.index('id="content-main"') :]
    assert 'method="post"' not in content


@pytest.mark.parametrize(
    ("model", "key"),
    [
        (Order, lambda story: story.order.number),
        (Relationship, lambda story: story.relationship.buyer_alias),
        (Case, lambda story: str(story.case.pk)),
    ],
    ids=["order", "relationship", "case"],
)
def test_r25_order_relationship_and_case_pages_link_to_their_dispute_file(
    staff_client, story, model, key
):
    obj = {Order: story.order, Relationship: story.relationship, Case: story.case}[model]
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = staff_client.get(url)
    assert response.status_code == HTTPStatus.OK
    link = response.context["dispute_file_url"]
    assert link in response.text.replace("&amp;", "&")
    assert staff_client.get(link).context["file"].key == key(story).lower()


def test_r25_cases_list_and_reports_queue_link_to_the_dispute_file(staff_client, story):
    cases = staff_client.get(reverse("admin:cases_case_changelist"))
    assert f'href="{DISPUTE_FILE}"' in cases.text
    reports = staff_client.get(REPORTS)
    assert f"{DISPUTE_FILE}?q={story.case.pk}" in reports.text


# The dispute file reads each kind of row once: savepoint + release, session, user, the
# navigation's membership, the order or the relationship, then the cases (with order, product,
# relationship, buyer, seller joined) and one query each for their transitions, messages,
# attachments, reports, warnings, inbound mails, the bounces of those and the emails sent; for an
# alias also its orders, the mail to it that became no message and the bounces of that. The
# same bound for a few and for many messages (each extra seller reply adds an attachment, an
# email, a report and a warning).
DISPUTE_FILE_MAX_QUERIES = 18


@pytest.mark.parametrize("more", [0, 12])
def test_r25_dispute_file_queries_do_not_grow_with_messages(
    staff_client, story, django_assert_max_num_queries, more
):
    for number in range(more):
        reply = seller_replies(
            story.case,
            story.member,
            body=f"Update {number}",
            attachments=[IncomingAttachment(f"note{number}.pdf", PDF_BYTES)],
        )
        report_warn(
            report=message_report(message=reply, reporter=story.buyer, reason="spam"),
            party="seller",
            staff_user=StaffFactory(),
        )
    staff_client.get(DISPUTE_FILE, {"q": story.order.number})  # content types cached
    with django_assert_max_num_queries(DISPUTE_FILE_MAX_QUERIES):
        response = staff_client.get(DISPUTE_FILE, {"q": story.order.number})
    assert response.context["file"].message_count == 5 + more
    with django_assert_max_num_queries(DISPUTE_FILE_MAX_QUERIES):
        staff_client.get(DISPUTE_FILE, {"q": story.relationship.seller_alias})


def test_r25_dispute_file_needs_staff_with_view_permissions(story):
    anonymous = Client().get(DISPUTE_FILE, {"q": story.order.number})
    assert anonymous.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in anonymous["Location"]
    seller_member = signed_in_client(story.member)
    assert seller_member.get(DISPUTE_FILE).status_code == HTTPStatus.FOUND
    bare_staff = signed_in_client(UserFactory(is_staff=True))
    assert bare_staff.get(DISPUTE_FILE).status_code == HTTPStatus.FORBIDDEN


# ---- the reports queue (R16)


def _act(client: Client, action: str, *reports: MessageReport):
    return client.post(
        REPORTS, {"action": action, "_selected_action": [r.pk for r in reports]}, follow=True
    )


def test_r16_report_statuses_are_open_dismissed_and_action_taken():
    assert MessageReport.Status.values == ["open", "dismissed", "action_taken"]


def test_r16_warn_the_seller_lands_in_the_seller_inbox_until_dismissed(
    staff_client, staff, seller, seller_owner, member
):
    """The buyer reports the seller's message; staff warn the seller."""
    case = Story(seller, member).case
    message = seller_replies(case, member, body="Stop writing to us or else.")
    report = message_report(message=message, reporter=case.buyer, reason="abusive")

    response = _act(staff_client, "warn_seller", report)
    assert "The seller was warned on 1 report(s)" in response.text
    report.refresh_from_db()
    assert report.status == MessageReport.Status.ACTION_TAKEN
    assert (report.reviewed_by, report.reviewed_at is not None) == (staff, True)
    warning = StaffWarning.objects.get(report=report)
    assert (warning.party, warning.seller, warning.issued_by) == ("seller", seller, staff)

    owner = signed_in_client(seller_owner)
    inbox = owner.get(INBOX).text
    assert f'data-warning-id="{warning.pk}"' in inbox
    assert "Warning from AlphaDiscounters staff" in inbox
    assert f"A message you sent on case {case.pk}" in inbox
    assert "Repeated misuse can cost your selling privileges." in inbox
    # every member of the account sees it; the buyer does not
    assert f'data-warning-id="{warning.pk}"' in signed_in_client(member).get(INBOX).text
    assert "data-warning-id" not in signed_in_client(case.buyer).get(BUYER_CENTER).text

    dismiss = reverse("messaging:staff_warning_dismiss", args=[warning.pk])
    assert owner.post(dismiss).status_code == HTTPStatus.FOUND
    assert "data-warning-id" not in owner.get(INBOX).text
    warning.refresh_from_db()
    assert warning.dismissed_by == seller_owner
    assert warning.dismissed_at is not None
    # kept for staff: the dispute file still shows it
    assert "(dismissed " in staff_client.get(DISPUTE_FILE, {"q": str(case.pk)}).text


def test_r16_warn_the_buyer_lands_in_the_buyer_message_center_until_dismissed(
    staff_client, staff, story
):
    response = _act(staff_client, "warn_buyer", story.report)
    assert "The buyer was warned on 1 report(s)" in response.text
    warning = StaffWarning.objects.get(report=story.report)
    assert (warning.party, warning.buyer) == ("buyer", story.buyer)

    buyer = signed_in_client(story.buyer)
    center = buyer.get(BUYER_CENTER).text
    assert f'data-warning-id="{warning.pk}"' in center
    assert "A warning from our staff" in center
    assert "A message you sent to Acme Outfitters" in center
    assert "(Abusive)" in center
    assert "data-warning-id" not in signed_in_client(story.member).get(INBOX).text

    buyer.post(reverse("messaging:buyer_staff_warning_dismiss", args=[warning.pk]))
    assert "data-warning-id" not in buyer.get(BUYER_CENTER).text
    warning.refresh_from_db()
    assert warning.dismissed_by == story.buyer


def test_r16_a_warning_reads_in_the_buyers_language(staff, story):
    BuyerProfile.objects.filter(user=story.buyer).update(preferred_language="de")
    report_warn(report=story.report, party="buyer", staff_user=staff)
    center = signed_in_client(story.buyer).get(BUYER_CENTER).text
    with translation.override("de"):
        title, dismiss = gettext("A warning from our staff"), gettext("Dismiss")
    assert title != "A warning from our staff"
    assert title in center
    assert dismiss in center
    assert "A warning from our staff" not in center


def test_r16_only_the_warned_party_dismisses_a_warning(staff, story, other_seller):
    seller_warning = report_warn(report=story.report, party="seller", staff_user=staff)[1]
    buyer_warning = report_warn(report=story.report, party="buyer", staff_user=staff)[1]
    outsider = signed_in_client(seller_user(other_seller))
    stranger = signed_in_client(BuyerFactory())
    buyer = signed_in_client(story.buyer)
    for client, url in [
        (outsider, reverse("messaging:staff_warning_dismiss", args=[seller_warning.pk])),
        (buyer, reverse("messaging:staff_warning_dismiss", args=[seller_warning.pk])),
        (stranger, reverse("messaging:buyer_staff_warning_dismiss", args=[buyer_warning.pk])),
        (buyer, reverse("messaging:buyer_staff_warning_dismiss", args=[seller_warning.pk])),
    ]:
        assert client.post(url).status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    assert not StaffWarning.objects.filter(dismissed_at__isnull=False).exists()
    with pytest.raises(PermissionError):
        staff_warning_dismiss(warning=seller_warning, actor=story.buyer)


def test_r16_dismiss_then_warn_leaves_a_dismissed_report_alone(staff_client, staff, story):
    _act(staff_client, "dismiss", story.report)
    response = _act(staff_client, "warn_seller", story.report)
    assert "1 already decided report(s) were left as they were." in response.text
    story.report.refresh_from_db()
    assert story.report.status == MessageReport.Status.DISMISSED
    assert not StaffWarning.objects.exists()


def test_r16_each_party_is_warned_once_per_report_and_the_first_decider_is_kept(staff, story):
    other_staff = StaffFactory()
    report, first = report_warn(report=story.report, party="seller", staff_user=staff)
    again = report_warn(report=story.report, party="seller", staff_user=other_staff)[1]
    buyer_warning = report_warn(report=story.report, party="buyer", staff_user=other_staff)[1]
    assert again == first
    assert buyer_warning.issued_by == other_staff
    assert StaffWarning.objects.filter(report=story.report).count() == 2
    story.report.refresh_from_db()
    assert story.report.reviewed_by == staff
    assert report_dismiss(report=story.report, staff_user=other_staff).status == "action_taken"


def test_r16_only_staff_with_the_queue_permission_decide(story, member):
    bare_staff = UserFactory(is_staff=True)
    for user in (member, story.buyer, bare_staff):
        with pytest.raises(PermissionError, match=STAFF_ONLY_MSG):
            report_dismiss(report=story.report, staff_user=user)
        with pytest.raises(PermissionError, match=STAFF_ONLY_MSG):
            report_warn(report=story.report, party="buyer", staff_user=user)
    story.report.refresh_from_db()
    assert story.report.status == MessageReport.Status.OPEN


def test_r16_queue_shows_who_reported_including_email_link_reports(staff_client, story):
    by_link = message_report_by_link(
        message=buyer_replies(story.case, "Cheap watches here"),
        reason="spam",
        address="copies@acme.example",
    )
    response = staff_client.get(REPORTS)
    listed = list(response.context["cl"].result_list)
    assert set(listed) == {story.report, by_link}
    assert story.member.email in response.text
    assert "email link: copies@acme.example" in response.text
    detail = staff_client.get(
        reverse("admin:messaging_messagereport_change", args=[by_link.pk])
    ).text
    assert "email link: copies@acme.example" in detail


def test_r16_queue_lists_open_first_then_the_decided_ones_newest_first(staff, story, seller):
    staff_client = signed_in_client(staff)
    dismissed = story.report
    warned = message_report(
        message=buyer_replies(story.case, "Second"), reporter=story.member, reason="spam"
    )
    still_open = message_report(
        message=buyer_replies(story.case, "Third"), reporter=story.member, reason="other"
    )
    report_dismiss(report=dismissed, staff_user=staff)
    report_warn(report=warned, party="buyer", staff_user=staff)
    listed = list(staff_client.get(REPORTS).context["cl"].result_list)
    assert listed == [still_open, warned, dismissed]
    only_taken = staff_client.get(REPORTS, {"status__exact": "action_taken"})
    assert list(only_taken.context["cl"].result_list) == [warned]


# Savepoint + release, session, user, the navigation's membership, the count, the total count
# of the action bar, the rows (reporter, decider, message and its seller joined), and one query
# for the warnings of the page. The same for 2 and 12 reports, warned or not.
REPORTS_MAX_QUERIES = 9


@pytest.mark.parametrize("reports", [2, 12])
def test_r16_reports_queue_queries_do_not_grow_with_reports(
    staff_client, staff, story, django_assert_max_num_queries, reports
):
    for number in range(reports - 1):
        report = message_report(
            message=buyer_replies(story.case, f"Spam {number}"),
            reporter=story.member,
            reason="spam",
        )
        if number % 2:
            report_warn(report=report, party="buyer", staff_user=staff)
    with django_assert_max_num_queries(REPORTS_MAX_QUERIES):
        response = staff_client.get(REPORTS)
    assert len(response.context["cl"].result_list) == reports


# ---- the [Important] list (R3)


def test_r3_important_list_shows_reason_label_seller_date_and_whether_the_reason_is_critical(
    staff_client, seller, member, other_seller
):
    """A critical web message (Contact Buyer adds the mark) and the buyer's reply to it, a
    seller email with the mark and no reason (the likely misuse), and an unmarked message."""
    critical = services.message_send(
        sender=member,
        order=OrderFactory(seller=seller, status="unshipped"),
        draft=services.Draft(
            subject="Which address?", body_text="Please confirm.", contact_reason="shipping_address"
        ),
    )
    assert "[Important]" in critical.subject
    by_email = MessageFactory(
        case=_case_for(other_seller),
        direction=Direction.SELLER_TO_BUYER,
        channel=Channel.EMAIL,
        contact_reason="",
        subject="[IMPORTANT] Leave us a review",
        is_critical=True,
    )
    answer = buyer_replies(critical.case, "Thanks")
    plain = _case_for(seller).messages.get()

    response = staff_client.get(MESSAGES, {"important": "yes"})
    listed = list(response.context["cl"].result_list)
    assert set(listed) == {critical, answer, by_email}
    assert plain not in listed
    header = [column["text"] for column in response.context["result_headers"]]
    for column in ["contact reason", "reason critical", "seller", "Created at", "Is critical"]:
        assert column.lower() in [h.lower() for h in header], header
    assert "Shipping address issue" in response.text
    assert ">shipping_address<" not in response.text
    assert other_seller.business_name in response.text

    misuse = staff_client.get(MESSAGES, {"important": "misuse"})
    assert list(misuse.context["cl"].result_list) == [by_email]


def _case_for(seller) -> Case:
    order = OrderFactory(seller=seller, status="unshipped")
    message = services.message_send(
        sender=order.buyer,
        seller=seller,
        order=order,
        draft=services.Draft(subject="Hello", body_text="Hi", contact_reason="other"),
    )
    return message.case


# ---- the "Dispute Resolution" group


@pytest.fixture
def resolver() -> Client:
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=GROUP))
    return signed_in_client(user)


def test_dispute_resolution_group_may_view_everything_and_change_only_reports():
    group = Group.objects.get(name=GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("messaging", "change_messagereport") in codenames
    changes = {(app, code) for app, code in codenames if not code.startswith("view_")}
    assert changes == {("messaging", "change_messagereport")}
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            view = (model._meta.app_label, f"view_{model._meta.model_name}")
            assert view in codenames, f"give the {GROUP} group {view} in a migration"


OUR_ADMIN_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
    key=lambda model: model._meta.label_lower,
)


@pytest.mark.parametrize("model", OUR_ADMIN_MODELS, ids=lambda model: model._meta.label_lower)
def test_dispute_resolution_member_opens_every_changelist_of_our_apps(resolver, story, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = resolver.get(url)
    assert response.status_code == HTTPStatus.OK, (
        f"{model._meta.label}: give the {GROUP} group its view permission in a migration "
        "(see messaging/migrations/0013_dispute_resolution_group.py)"
    )
    assert not response.context["has_add_permission"]


def test_dispute_resolution_member_reads_the_dispute_file(resolver, story):
    response = _file(resolver, story.order.number)
    assert (
        response.context["file"].message_count == Message.objects.filter(order=story.order).count()
    )


def test_dispute_resolution_member_works_the_reports_queue(resolver, story):
    second = message_report(
        message=buyer_replies(story.case, "More"), reporter=story.member, reason="spam"
    )
    third = message_report(
        message=buyer_replies(story.case, "Even more"), reporter=story.member, reason="spam"
    )
    actions = [
        value
        for value, _ in resolver.get(REPORTS).context["action_form"].fields["action"].choices
        if value
    ]
    assert actions == ["dismiss", "warn_seller", "warn_buyer"]
    _act(resolver, "dismiss", story.report)
    _act(resolver, "warn_seller", second)
    _act(resolver, "warn_buyer", third)
    statuses = dict(MessageReport.objects.values_list("pk", "status"))
    assert statuses == {
        story.report.pk: "dismissed",
        second.pk: "action_taken",
        third.pk: "action_taken",
    }
    # staff notes are the one field of a report to edit
    url = reverse("admin:messaging_messagereport_change", args=[story.report.pk])
    assert resolver.post(url, {"staff_notes": "Known."}).status_code == HTTPStatus.FOUND
    story.report.refresh_from_db()
    assert (story.report.staff_notes, story.report.status) == ("Known.", "dismissed")


@pytest.mark.parametrize("model", [Case, Message, Order, Relationship])
def test_dispute_resolution_member_gets_403_changing_anything_else(resolver, story, model):
    obj = {Case: story.case, Message: story.rude, Order: story.order, Relationship: None}[model]
    obj = obj or story.relationship
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    page = resolver.get(url)
    assert page.status_code == HTTPStatus.OK  # they read it
    assert not page.context["has_change_permission"]
    assert resolver.post(url, {}).status_code == HTTPStatus.FORBIDDEN
    delete = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    assert resolver.post(delete, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_staff_warnings_selector_shows_the_latest_few(staff, story):
    for _ in range(STAFF_WARNINGS_SHOWN + 2):
        StaffWarningFactory(
            report=message_report(
                message=seller_replies(story.case, story.member, body="Hm"),
                reporter=story.buyer,
                reason="spam",
            ),
            party="seller",
        )
    shown = staff_warnings_for_seller(seller=story.seller)
    assert len(shown) == STAFF_WARNINGS_SHOWN
    assert shown == sorted(shown, key=lambda w: (w.created_at, w.pk), reverse=True)


def test_r16_the_inbox_asks_for_warnings_only_when_there_are_some(
    staff, story, django_assert_num_queries
):
    """The inbox line counts R4 notices and checks for R16 warnings in one query; the warnings
    themselves are read only when there are some (issue 13), and another seller's never count."""
    count, warnings = inbox_notices_for_seller(seller=story.seller)
    assert (count, warnings) == (1, [])  # case B's blocked message (R4), no warning yet
    with django_assert_num_queries(1):
        inbox_notices_for_seller(seller=story.seller)
    warning = StaffWarningFactory(
        report=message_report(
            message=seller_replies(story.case, story.member, body="Hm"),
            reporter=story.buyer,
            reason="spam",
        ),
        party="seller",
    )
    with django_assert_num_queries(2):
        count, warnings = inbox_notices_for_seller(seller=story.seller)
    assert warnings == [warning]
    # Dismissed, it is no longer shown, nor asked for.
    StaffWarning.objects.filter(pk=warning.pk).update(dismissed_at=timezone.now())
    with django_assert_num_queries(1):
        assert inbox_notices_for_seller(seller=story.seller) == (1, [])
