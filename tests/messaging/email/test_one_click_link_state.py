"""Finding 9 of issue 22 (one-click links): the "Mark as no response needed" link of a copy
email still acted after the seller had undone the mark on the web. A link follows the message
as it is now: its token carries the message's response-state version, and a link whose
message changed since the email went out (marked and undone, answered, reported in Seller
Central) says so in words, offers no button, and changes nothing."""

import re
from http import HTTPStatus

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils.html import escape

from accounts.services import notification_preferences_update
from messaging.email.services import outbound
from messaging.models import Message, ResponseState
from messaging.moderation.services import flags
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

COPIES = "inbox@acme-outfitters.example"


@pytest.fixture
def buyer_message(seller, django_capture_on_commit_callbacks) -> Message:
    """A buyer message whose copy email went out to the seller's copies address."""
    notification_preferences_update(
        seller=seller,
        buyer_message_copies=True,
        buyer_message_copies_email=COPIES,
        opt_out_bounces=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        return buyer_opens_case(seller=seller, body="Where is my parcel?")


def _emailed_link() -> str:
    """The "Mark as no response needed" link as the copy email carries it (the first action
    link in the text body)."""
    (copy,) = [e for e in mail.outbox if e.to == [COPIES]]
    links = re.findall(r"http://\S+/email/action/\S+/", copy.body)
    token_links = [link.removeprefix("http://127.0.0.1:8000") for link in links]
    nrn = [link for link in token_links if _action(link) == "nrn"]
    return nrn[0]


def _action(path: str) -> str:
    token = path.rstrip("/").rsplit("/", 1)[1]
    return outbound.action_token_read(token)[1]


def _undo_on_the_web(seller_client, message: Message):
    return seller_client.post(
        reverse("messaging:message_no_response_needed_undo", args=[message.pk])
    )


def _mark_on_the_web(seller_client, message: Message):
    return seller_client.post(reverse("messaging:message_no_response_needed", args=[message.pk]))


def _state(message: Message) -> str:
    message.refresh_from_db()
    return message.response_state


def test_finding9_a_link_used_then_undone_on_the_web_no_longer_acts(
    buyer_message, client, seller_client
):
    link = _emailed_link()
    assert client.post(link).status_code == HTTPStatus.OK
    assert _state(buyer_message) == ResponseState.NO_RESPONSE_NEEDED
    _undo_on_the_web(seller_client, buyer_message)
    assert _state(buyer_message) == ResponseState.NEEDED

    page = client.get(link)
    assert page.status_code == HTTPStatus.OK
    assert escape(flags.LINK_UNDONE_MSG) in page.text
    assert 'id="email-action-confirm"' not in page.text
    again = client.post(link)
    assert again.status_code == HTTPStatus.CONFLICT
    assert escape(flags.LINK_UNDONE_MSG) in again.text
    assert _state(buyer_message) == ResponseState.NEEDED
    buyer_message.case.refresh_from_db()
    assert buyer_message.case.needs_response


def test_finding9_a_link_never_used_acts_not_after_a_mark_and_undo_on_the_web(
    buyer_message, client, seller_client
):
    link = _emailed_link()
    _mark_on_the_web(seller_client, buyer_message)
    _undo_on_the_web(seller_client, buyer_message)
    response = client.post(link)
    assert response.status_code == HTTPStatus.CONFLICT
    assert escape(flags.LINK_UNDONE_MSG) in response.text
    assert _state(buyer_message) == ResponseState.NEEDED


def test_r15_a_link_that_no_longer_acts_leads_to_the_case(buyer_message, client, seller_client):
    link = _emailed_link()
    assert 'id="email-action-open-case"' not in client.get(link).text  # the button comes first
    _mark_on_the_web(seller_client, buyer_message)
    _undo_on_the_web(seller_client, buyer_message)
    case_url = reverse("messaging:case_detail", args=[buyer_message.case_id])
    assert f'href="{case_url}" id="email-action-open-case"' in client.get(link).text


def test_finding9_a_link_to_a_message_answered_since_changes_nothing(
    buyer_message, client, seller_owner
):
    link = _emailed_link()
    seller_replies(buyer_message.case, seller_owner)
    assert _state(buyer_message) == ResponseState.RESPONDED
    assert escape(flags.LINK_ANSWERED_MSG) in client.get(link).text
    response = client.post(link)
    assert response.status_code == HTTPStatus.CONFLICT
    assert escape(flags.LINK_ANSWERED_MSG) in response.text
    assert _state(buyer_message) == ResponseState.RESPONDED


def test_finding9_a_link_to_a_message_reported_since_changes_nothing(
    buyer_message, client, seller_owner
):
    link = _emailed_link()
    flags.message_report(message=buyer_message, reporter=seller_owner, reason="spam")
    response = client.post(link)
    assert response.status_code == HTTPStatus.CONFLICT
    assert escape(flags.LINK_REPORTED_MSG) in response.text
    assert _state(buyer_message) == ResponseState.REPORTED


def test_finding9_a_link_to_a_message_marked_on_the_web_says_it_is_done_already(
    buyer_message, client, seller_client, seller_owner
):
    link = _emailed_link()
    _mark_on_the_web(seller_client, buyer_message)
    page = client.get(link)
    assert page.status_code == HTTPStatus.OK
    assert "already marked “No Response Needed”" in page.text
    assert 'id="email-action-confirm"' not in page.text
    assert client.post(link).status_code == HTTPStatus.OK
    buyer_message.refresh_from_db()
    assert buyer_message.no_response_needed_by == seller_owner  # the web's mark stands
    assert buyer_message.no_response_needed_via == ""


def test_r15_the_link_still_works_on_a_message_as_it_was_sent(buyer_message, client):
    link = _emailed_link()
    page = client.get(link)
    assert 'id="email-action-confirm"' in page.text
    assert client.post(link).status_code == HTTPStatus.OK
    assert _state(buyer_message) == ResponseState.NO_RESPONSE_NEEDED
    assert client.post(link).status_code == HTTPStatus.OK  # twice is safe


def test_finding9_a_link_made_before_tokens_carried_the_state_follows_the_state_alone(
    buyer_message, client, seller_owner
):
    old_token = signing.dumps(
        {"m": buyer_message.pk, "a": "nrn"}, salt=outbound.ACTION_SALT, compress=True
    )
    assert outbound.action_token_version(old_token) is None
    url = reverse("messaging:email_action", args=[old_token])
    seller_replies(buyer_message.case, seller_owner)
    assert client.post(url).status_code == HTTPStatus.CONFLICT
    assert _state(buyer_message) == ResponseState.RESPONDED


def test_finding9_every_mark_undo_and_report_moves_the_version(buyer_message, seller_owner):
    versions = [buyer_message.response_state_version]
    for change in (
        flags.message_mark_no_response_needed,
        flags.message_undo_no_response_needed,
    ):
        change(message=buyer_message, actor=seller_owner)
        buyer_message.refresh_from_db()
        versions.append(buyer_message.response_state_version)
    flags.message_report(message=buyer_message, reporter=seller_owner, reason="spam")
    buyer_message.refresh_from_db()
    versions.append(buyer_message.response_state_version)
    assert versions[0] == 0
    assert len(set(versions)) == len(versions)
