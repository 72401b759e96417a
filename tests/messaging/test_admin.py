"""Staff in the Django admin: read every conversation (R25), moderate reports (R16), list
`[Important]` messages (R3); nothing there deletes a message, an attachment or a case."""

import io
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from cases.models import Case
from messaging.attachments import IncomingAttachment
from messaging.models import Attachment, Message, MessageReport
from messaging.moderation.services.decisions import STAFF_ONLY_MSG, report_dismiss
from messaging.moderation.services.flags import message_report
from messaging.sending import services
from tests.factories import OrderFactory, StaffFactory, seller_user
from tests.messaging.helpers import buyer_replies, seller_replies

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _conversation(seller, member, *, subject="Delivery question") -> Case:
    """A buyer asks with a photo, the seller answers with a PDF, the buyer writes again and the
    seller reports that message: every kind of row the admin shows, made by the services."""
    order = OrderFactory(seller=seller)
    opening = services.message_send(
        sender=order.buyer,
        seller=seller,
        order=order,
        draft=services.Draft(
            subject=subject,
            body_text="Where is my parcel? The box in the photo arrived empty.",
            contact_reason="shipping_or_delivery",
            attachments=[IncomingAttachment("photo.png", _png())],
        ),
    )
    case = opening.case
    services.message_send(
        sender=member,
        case=case,
        draft=services.Draft(
            body_text="Sorry about that. The invoice is attached; a new one ships today.",
            attachments=[IncomingAttachment("invoice.pdf", PDF_BYTES)],
        ),
    )
    follow_up = buyer_replies(case, "Buy cheap watches now")
    message_report(message=follow_up, reporter=member, reason="spam")
    case.refresh_from_db()
    return case


@pytest.fixture
def member(seller):
    return seller_user(seller)


@pytest.fixture
def case(seller, member) -> Case:
    return _conversation(seller, member)


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _change(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _listed(response) -> list:
    return list(response.context["cl"].result_list)


# ---- staff read everything (R25)


@pytest.mark.parametrize("model", [Case, Message, Attachment, MessageReport])
def test_r25_staff_open_every_changelist(staff_client, case, model):
    response = staff_client.get(_changelist(model))
    assert response.status_code == HTTPStatus.OK
    assert len(_listed(response)) >= 1


def test_r25_case_page_shows_every_message_its_attachments_and_transitions(staff_client, case):
    response = staff_client.get(_change(case))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    for message in case.messages.all():
        assert message.body_text in content
    for attachment in Attachment.objects.filter(message__case=case):
        assert reverse("messaging:attachment_download", args=[attachment.pk]) in content
    messages_inline, transitions_inline = response.context["inline_admin_formsets"]
    assert len(messages_inline.formset.forms) == case.messages.count()
    assert len(transitions_inline.formset.forms) == case.transitions.count()


def test_r25_message_page_is_read_only_with_a_checked_download_link(staff_client, case):
    message = case.messages.filter(attachments__isnull=False).first()
    attachment = message.attachments.get()
    response = staff_client.get(_change(message))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert message.body_text in content
    assert reverse("messaging:attachment_download", args=[attachment.pk]) in content
    assert 'name="body_text"' not in content  # shown, not editable
    assert attachment.file.url not in content  # never the media URL (R13)


def test_r25_attachment_and_report_pages_open(staff_client, case):
    attachment = Attachment.objects.filter(message__case=case).first()
    report = MessageReport.objects.get(message__case=case)
    response = staff_client.get(_change(attachment))
    assert response.status_code == HTTPStatus.OK
    assert reverse("messaging:attachment_download", args=[attachment.pk]) in response.text
    assert attachment.file.url not in response.text
    response = staff_client.get(_change(report))
    assert response.status_code == HTTPStatus.OK
    assert report.message.body_text in response.text


def test_staff_download_an_attachment_from_the_admin_link(staff_client, case):
    attachment = Attachment.objects.filter(message__case=case, extension=".pdf").get()
    response = staff_client.get(reverse("messaging:attachment_download", args=[attachment.pk]))
    assert response.status_code == HTTPStatus.OK
    assert b"".join(response.streaming_content) == PDF_BYTES


# ---- search


@pytest.fixture
def two_cases(seller, member, case):
    return case, _conversation(seller, member, subject="Size question")


def test_staff_find_a_case_by_order_id(staff_client, two_cases):
    case, other = two_cases
    response = staff_client.get(_changelist(Case), {"q": case.order_number})
    assert _listed(response) == [case]


def test_staff_find_a_case_by_buyer_alias(staff_client, two_cases):
    case, other = two_cases
    response = staff_client.get(_changelist(Case), {"q": other.buyer_alias})
    assert _listed(response) == [other]


def test_staff_find_a_case_by_seller_alias(staff_client, two_cases):
    case, other = two_cases
    response = staff_client.get(_changelist(Case), {"q": case.relationship.seller_alias})
    assert _listed(response) == [case]


def test_case_search_across_messages_lists_each_case_once(staff_client, two_cases):
    """Three messages of the case have "Delivery question" in their subject ("Re: …")."""
    case, _ = two_cases
    response = staff_client.get(_changelist(Case), {"q": "Delivery question"})
    assert _listed(response) == [case]


def test_staff_find_messages_by_order_id_and_by_text(staff_client, two_cases):
    case, other = two_cases
    response = staff_client.get(_changelist(Message), {"q": other.order_number})
    assert {m.case_id for m in _listed(response)} == {other.pk}
    response = staff_client.get(_changelist(Message), {"q": "cheap watches"})
    assert len(_listed(response)) == 2


def test_r3_staff_list_messages_marked_important(staff_client, case):
    important = buyer_replies(case, "Please call before delivery")
    Message.objects.filter(pk=important.pk).update(subject="Re: [IMPORTANT] delivery window")
    response = staff_client.get(_changelist(Message), {"important": "yes"})
    assert _listed(response) == [important]
    response = staff_client.get(_changelist(Message), {"important": "no"})
    assert important not in _listed(response)
    assert len(_listed(response)) == case.messages.count() - 1


# ---- nothing deletes (R25)


@pytest.mark.parametrize("model", [Case, Message, Attachment, MessageReport])
def test_r25_admin_refuses_deletion(staff_client, case, model):
    obj = model.objects.first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])
    assert staff_client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert staff_client.post(url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", [Case, Message, Attachment, MessageReport])
def test_r25_admin_offers_no_delete_selected_action(staff_client, case, model):
    response = staff_client.get(_changelist(model))
    assert b'value="delete_selected"' not in response.content


@pytest.mark.parametrize("model", [Case, Message, Attachment])
def test_r25_admin_offers_no_add_or_change(staff_client, case, model):
    response = staff_client.get(_changelist(model))
    assert not response.context["has_add_permission"]
    obj = model.objects.first()
    response = staff_client.post(_change(obj), {})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_r25_messages_and_attachments_cannot_be_deleted_in_code(case):
    message = case.messages.first()
    attachment = Attachment.objects.filter(message__case=case).first()
    with pytest.raises(PermissionError):
        Message.objects.filter(pk=message.pk).delete()
    with pytest.raises(PermissionError):
        message.delete()
    with pytest.raises(PermissionError):
        Attachment.objects.filter(pk=attachment.pk).delete()
    with pytest.raises(PermissionError):
        attachment.delete()
    assert Message.objects.filter(pk=message.pk).exists()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# ---- moderation queue (R16)


def test_r16_dismiss_action_records_who_and_when(staff_client, staff, case):
    report = MessageReport.objects.get(message__case=case)
    response = staff_client.post(
        _changelist(MessageReport),
        {"action": "dismiss", "_selected_action": [report.pk]},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    report.refresh_from_db()
    assert report.status == MessageReport.Status.DISMISSED
    assert report.reviewed_by == staff
    assert report.reviewed_at is not None
    assert "1 report(s) dismissed." in response.text


def test_r16_dismissing_again_keeps_the_first_decision(staff, case):
    report = MessageReport.objects.get(message__case=case)
    first = report_dismiss(report=report, staff_user=staff)
    again = report_dismiss(report=report, staff_user=StaffFactory())
    assert again.reviewed_by == staff
    assert again.reviewed_at == first.reviewed_at


def test_r16_only_staff_review_reports(member, case):
    report = MessageReport.objects.get(message__case=case)
    with pytest.raises(PermissionError, match=STAFF_ONLY_MSG):
        report_dismiss(report=report, staff_user=member)
    report.refresh_from_db()
    assert report.status == MessageReport.Status.OPEN


def test_r16_queue_lists_open_reports_first_then_newest(staff_client, staff, seller, member):
    older_open = MessageReport.objects.get(message__case=_conversation(seller, member))
    reviewed = MessageReport.objects.get(message__case=_conversation(seller, member))
    newer_open = MessageReport.objects.get(message__case=_conversation(seller, member))
    report_dismiss(report=reviewed, staff_user=staff)
    response = staff_client.get(_changelist(MessageReport))
    assert _listed(response) == [newer_open, older_open, reviewed]


def test_r16_staff_notes_are_the_only_editable_field(staff_client, case):
    report = MessageReport.objects.get(message__case=case)
    response = staff_client.post(_change(report), {"staff_notes": "Known spammer."})
    assert response.status_code == HTTPStatus.FOUND
    report.refresh_from_db()
    assert report.staff_notes == "Known spammer."
    assert report.status == MessageReport.Status.OPEN


# ---- query counts do not grow with rows


def _rows(seller, member, count: int) -> list[Case]:
    return [_conversation(seller, member) for _ in range(count)]


# Every changelist: savepoint + release (ATOMIC_REQUESTS), session, user, the navigation's seller
# membership, the count and one query for the rows (related rows joined). On top of that each
# list filter over a table costs one query: the seller filter's choices (Case, Message), the
# members cases are assigned to (Case, issue 14), the date hierarchy's range and days (Message),
# the content type and extension values
# (Attachment), and the total count shown by the action bar and the warnings of the listed
# reports, one query for the page (MessageReport). The bound is the same for 2 and 12 rows, so a
# query per row (N+1) breaks it.
CHANGELIST_MAX_QUERIES = {Case: 9, Message: 10, Attachment: 9, MessageReport: 9}


@pytest.mark.parametrize("rows", [2, 12])
@pytest.mark.parametrize("model", [Case, Message, Attachment, MessageReport])
def test_changelist_queries_do_not_grow_with_rows(
    staff_client, seller, member, django_assert_max_num_queries, rows, model
):
    _rows(seller, member, rows)
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES[model]):
        response = staff_client.get(_changelist(model))
    assert response.status_code == HTTPStatus.OK
    assert len(_listed(response)) >= rows


# The case page: savepoint + release, session, user, the case, its messages with their senders,
# one prefetch for all attachments, the transitions with their actors, the case's seller, buyer,
# relationship and order (shown as links), the navigation's membership, and the content type
# (cached after the first request). The same bound for 1 and 11 messages.
CASE_PAGE_MAX_QUERIES = 14


@pytest.mark.parametrize("replies", [0, 10])
def test_case_page_queries_do_not_grow_with_messages(
    staff_client, case, member, django_assert_max_num_queries, replies
):
    for number in range(replies):
        seller_replies(case, member, body=f"Update {number}: the parcel is on its way.")
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES):
        response = staff_client.get(_change(case))
    assert response.status_code == HTTPStatus.OK
