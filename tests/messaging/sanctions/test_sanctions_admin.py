"""Staff sanctions in the staff admin (R30): staff add one with a reason and an optional end date
(who set it is filled in), lift it, release or reject a held message; sellers cannot reach it;
the dispute file lists the seller's sanctions."""

from datetime import timedelta
from html import unescape
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import Message, OutboundEmail, Outcome, Sanction, SanctionKind
from messaging.sanctions.services import ENDS_BEFORE_START_MSG, REASON_MISSING_MSG
from tests.clients import signed_in_client
from tests.factories import OrderFactory, SanctionFactory, StaffFactory, UserFactory
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:messaging_sanction_changelist")
ADD = reverse("admin:messaging_sanction_add")


def _form(seller, **overrides):
    now = timezone.now()
    data = {
        "seller": seller.pk,
        "kind": SanctionKind.LIMIT_PROACTIVE,
        "reason": "Unsolicited offers to buyers.",
        "starts_at_0": now.strftime("%Y-%m-%d"),
        "starts_at_1": (now - timedelta(minutes=1)).strftime("%H:%M:%S"),
        "ends_at_0": (now + timedelta(days=7)).strftime("%Y-%m-%d"),
        "ends_at_1": "12:00:00",
    }
    data.update(overrides)
    return data


def test_r30_staff_add_a_sanction_and_set_by_is_filled_in(seller, seller_owner):
    staff = StaffFactory()
    response = signed_in_client(staff).post(ADD, _form(seller))
    assert response.status_code == HTTPStatus.FOUND, response.content[:3000]
    sanction = Sanction.objects.get()
    assert sanction.set_by == staff
    assert sanction.kind == SanctionKind.LIMIT_PROACTIVE
    assert sanction.ends_at is not None
    assert OutboundEmail.objects.filter(
        kind=OutboundEmail.Kind.SANCTION, recipient=seller_owner.email
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"reason": "  "}, REASON_MISSING_MSG),
        ({"ends_at_0": "2000-01-01", "ends_at_1": "00:00:00"}, ENDS_BEFORE_START_MSG),
    ],
)
def test_r30_bad_input_is_said_in_words_and_nothing_is_set(seller, overrides, error):
    response = signed_in_client(StaffFactory()).post(ADD, _form(seller, **overrides))
    assert response.status_code == HTTPStatus.OK
    assert error in unescape(response.text) or "This field is required." in response.text
    assert not Sanction.objects.exists()


def test_r30_sellers_and_non_staff_cannot_reach_the_sanctions_admin(seller, seller_owner):
    for user in (seller_owner, UserFactory()):
        response = signed_in_client(user).get(CHANGELIST)
        assert response.status_code == HTTPStatus.FOUND
        assert reverse("admin:login") in response["Location"]
        response = signed_in_client(user).post(ADD, _form(seller))
        assert response.status_code == HTTPStatus.FOUND
    assert not Sanction.objects.exists()


def test_r30_staff_without_the_permission_get_403(seller):
    staff = UserFactory(is_staff=True)
    assert signed_in_client(staff).get(ADD).status_code == HTTPStatus.FORBIDDEN


def test_r30_the_lift_action_lifts_and_records_who(seller, seller_owner):
    staff = StaffFactory()
    sanction = SanctionFactory(seller=seller)
    response = signed_in_client(staff).post(
        CHANGELIST, {"action": "lift", "_selected_action": [sanction.pk]}
    )
    assert response.status_code == HTTPStatus.FOUND
    sanction.refresh_from_db()
    assert sanction.lifted_by == staff
    assert sanction.lifted_at is not None


def test_r37_release_and_reject_actions(seller, seller_owner):
    staff_client = signed_in_client(StaffFactory())
    first = buyer_opens_case(seller=seller).case
    second = buyer_opens_case(order=OrderFactory(seller=seller)).case
    release = SanctionFactory(seller=seller, kind=SanctionKind.HOLD_MESSAGE)
    held = seller_replies(first, seller_owner, body="It ships on Monday.")
    staff_client.post(CHANGELIST, {"action": "release_held", "_selected_action": [release.pk]})
    reject = SanctionFactory(seller=seller, kind=SanctionKind.HOLD_MESSAGE)
    other = seller_replies(second, seller_owner, body="Please wait.")
    staff_client.post(CHANGELIST, {"action": "reject_held", "_selected_action": [reject.pk]})
    assert Message.objects.get(pk=held.pk).outcome == Outcome.DELIVERED
    assert Message.objects.get(pk=other.pk).outcome == Outcome.REJECTED


def test_r37_release_without_a_held_message_says_so(seller):
    sanction = SanctionFactory(seller=seller, kind=SanctionKind.HOLD_MESSAGE)
    response = signed_in_client(StaffFactory()).post(
        CHANGELIST, {"action": "release_held", "_selected_action": [sanction.pk]}, follow=True
    )
    assert "No message is held under this sanction." in response.text


def test_r30_a_set_sanction_is_not_edited_nor_deleted(seller):
    sanction = SanctionFactory(seller=seller, reason="First reason.")
    client = signed_in_client(StaffFactory())
    url = reverse("admin:messaging_sanction_change", args=[sanction.pk])
    assert client.post(url, {"reason": "Changed"}).status_code == HTTPStatus.FOUND
    sanction.refresh_from_db()
    assert sanction.reason == "First reason."
    delete = reverse("admin:messaging_sanction_delete", args=[sanction.pk])
    assert client.get(delete).status_code == HTTPStatus.FORBIDDEN


def test_r25_the_dispute_file_lists_the_sellers_sanctions(seller, seller_owner):
    case = buyer_opens_case(seller=seller).case
    SanctionFactory(seller=seller, kind=SanctionKind.SUSPEND, reason="Threats to a buyer.")
    url = reverse("admin:dispute_file") + f"?q={case.order.number}"
    text = signed_in_client(StaffFactory()).get(url).text
    assert 'id="dispute-sanctions"' in text
    assert "Suspend messaging" in text
    assert "Threats to a buyer." in text
