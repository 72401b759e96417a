"""The seller's Resolve, Close and Reopen buttons on the case page (SPEC section 3, R9) and the
inbox's case-state filters, over HTTP with the real services."""

import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case, CaseStatus, CaseTransition
from cases.policy import ALLOWED_TRANSITIONS
from cases.services import case_change_state_by_seller
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")
OPENED, RESOLVED, CLOSED = CaseStatus.OPENED, CaseStatus.RESOLVED, CaseStatus.CLOSED
ACTION_TO_STATUS = {"resolve": RESOLVED, "close": CLOSED, "reopen": OPENED}

# What cases/policy.py allows, written out: a closed case stays closed (R9: it takes no more
# messages; a new contact starts a new case), so Reopen works only on a Resolved case.
EXPECTED_ALLOWED = {
    (OPENED, "resolve"): True,
    (OPENED, "close"): True,
    (OPENED, "reopen"): False,
    (RESOLVED, "reopen"): True,
    (RESOLVED, "close"): True,
    (RESOLVED, "resolve"): False,
    (CLOSED, "reopen"): False,
    (CLOSED, "resolve"): False,
    (CLOSED, "close"): False,
}
EXPECTED_BUTTONS = {
    OPENED: ["resolve", "close"],
    RESOLVED: ["reopen", "close"],
    CLOSED: [],
}


def _state_url(case) -> str:
    return reverse("messaging:case_change_state", args=[case.pk])


def _case_url(case) -> str:
    return reverse("messaging:case_detail", args=[case.pk])


def _case_in(status: str, *, seller, actor) -> Case:
    """A buyer-started case brought to `status` through the seller's state service."""
    case = buyer_opens_case(seller=seller).case
    if status != OPENED:
        case = case_change_state_by_seller(case=case, actor=actor, to_status=status)
    return case


def _state_buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit" name="action" value="(\w+)"', html)


def _case_ids(response) -> set[int]:
    return {int(i) for i in re.findall(r'data-case-id="(\d+)"', response.text)}


def test_the_expected_table_is_the_policy():
    """The tests below follow this table; it must say what cases/policy.py says."""
    for (from_status, action), allowed in EXPECTED_ALLOWED.items():
        assert (ACTION_TO_STATUS[action] in ALLOWED_TRANSITIONS[from_status]) is allowed
    for from_status, buttons in EXPECTED_BUTTONS.items():
        assert sorted(ACTION_TO_STATUS[a] for a in buttons) == sorted(
            ALLOWED_TRANSITIONS[from_status]
        )


# ---- allowed transitions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_status", "action"),
    [key for key, allowed in EXPECTED_ALLOWED.items() if allowed],
)
def test_allowed_transition_changes_the_case_and_records_who_did_it(
    seller, seller_owner, seller_client, from_status, action
):
    case = _case_in(from_status, seller=seller, actor=seller_owner)
    transitions_before = list(CaseTransition.objects.filter(case=case).values_list("pk", flat=True))
    to_status = ACTION_TO_STATUS[action]

    response = seller_client.post(_state_url(case), {"action": action})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == _case_url(case)
    case.refresh_from_db()
    assert case.status == to_status
    new = CaseTransition.objects.filter(case=case).exclude(pk__in=transitions_before)
    assert [(t.from_status, t.to_status, t.actor_id, t.cause) for t in new] == [
        (from_status, to_status, seller_owner.pk, "seller")
    ]
    assert case.status_changed_at == new.get().created_at
    page = seller_client.get(_case_url(case)).text
    assert f'case-status-badge">{CaseStatus(to_status).label}</span>' in page
    assert _state_buttons(page) == EXPECTED_BUTTONS[to_status]


def test_resolve_reopen_close_in_a_row_leaves_the_full_log(seller, seller_client, seller_owner):
    case = buyer_opens_case(seller=seller).case
    member = seller_user(seller, role="member")
    for client, action in [
        (seller_client, "resolve"),
        (signed_in_client(member), "reopen"),
        (seller_client, "close"),
    ]:
        assert client.post(_state_url(case), {"action": action}).status_code == HTTPStatus.FOUND
    case.refresh_from_db()
    assert case.status == CLOSED
    log = [
        (t.from_status, t.to_status, t.actor_id)
        for t in CaseTransition.objects.filter(case=case).order_by("created_at", "id")
    ]
    buyer_id = case.buyer_id
    assert log == [
        ("", OPENED, buyer_id),  # opened by the buyer's first message
        (OPENED, RESOLVED, seller_owner.pk),
        (RESOLVED, OPENED, member.pk),
        (OPENED, CLOSED, seller_owner.pk),
    ]


def test_htmx_state_change_returns_the_conversation_with_the_new_buttons(
    seller, seller_owner, seller_client
):
    case = buyer_opens_case(seller=seller).case
    response = seller_client.post(_state_url(case), {"action": "resolve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == HTTPStatus.OK
    assert 'id="case-conversation"' in response.text
    assert "<html" not in response.text
    assert 'case-status-badge">Resolved</span>' in response.text
    assert _state_buttons(response.text) == ["reopen", "close"]


# ---- refused transitions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_status", "action"),
    [key for key, allowed in EXPECTED_ALLOWED.items() if not allowed],
)
def test_refused_transition_shows_an_error_and_changes_nothing(
    seller, seller_owner, seller_client, from_status, action
):
    case = _case_in(from_status, seller=seller, actor=seller_owner)
    status_changed_at = case.status_changed_at
    transitions = list(CaseTransition.objects.filter(case=case).values_list("pk", flat=True))

    response = seller_client.post(_state_url(case), {"action": action})

    assert response.status_code == HTTPStatus.OK
    expected = (
        f"A case cannot go from {CaseStatus(from_status).label} "
        f"to {CaseStatus(ACTION_TO_STATUS[action]).label}."
    )
    # In words, with its rule only in data-rule (issue 8: no rule ids in seller-facing text).
    error = re.search(
        r'<div class="alert alert-danger[^"]*" id="case-error"[^>]*>(.*?)</div>',
        response.text,
        re.S,
    )
    assert error
    assert expected in error.group(1)
    assert not re.search(r"\(R\d+\)", error.group(1))
    case.refresh_from_db()
    assert case.status == from_status
    assert case.status_changed_at == status_changed_at
    assert list(CaseTransition.objects.filter(case=case).values_list("pk", flat=True)) == (
        transitions
    )
    # The refused action is not offered as a button either.
    assert action not in _state_buttons(response.text)


def test_closed_case_cannot_be_reopened_and_still_refuses_replies(
    seller, seller_owner, seller_client
):
    case = _case_in(CLOSED, seller=seller, actor=seller_owner)
    seller_client.post(_state_url(case), {"action": "reopen"})
    response = seller_client.post(
        reverse("messaging:case_reply", args=[case.pk]), {"body": "Hello again"}
    )
    assert "closed" in response.text
    case.refresh_from_db()
    assert case.status == CLOSED
    assert case.messages.count() == 1


# ---- buttons on the case page ------------------------------------------------------------


@pytest.mark.parametrize("status", [OPENED, RESOLVED, CLOSED])
def test_case_page_offers_exactly_the_allowed_transitions(
    seller, seller_owner, seller_client, status
):
    case = _case_in(status, seller=seller, actor=seller_owner)
    page = seller_client.get(_case_url(case)).text
    assert _state_buttons(page) == EXPECTED_BUTTONS[status]
    assert sorted(ACTION_TO_STATUS[a] for a in _state_buttons(page)) == sorted(
        ALLOWED_TRANSITIONS[status]
    )
    if status == CLOSED:
        assert f'action="{_state_url(case)}"' not in page
    else:
        assert f'<form method="post" action="{_state_url(case)}"' in page


def test_buyer_case_page_has_no_state_buttons(seller, seller_owner):
    case = _case_in(RESOLVED, seller=seller, actor=seller_owner)
    page = (
        signed_in_client(case.buyer)
        .get(reverse("messaging:buyer_case_detail", args=[case.pk]))
        .text
    )
    assert 'case-status-badge">Resolved</span>' in page
    assert _state_buttons(page) == []
    assert _state_url(case) not in page


# ---- nobody else changes the state -------------------------------------------------------


@pytest.mark.parametrize("from_status", [OPENED, RESOLVED])
@pytest.mark.parametrize("action", ["resolve", "close", "reopen"])
@pytest.mark.parametrize(
    ("who", "expected_status"),
    [
        ("the case's buyer", HTTPStatus.FORBIDDEN),
        ("another buyer", HTTPStatus.FORBIDDEN),
        ("another seller's member", HTTPStatus.NOT_FOUND),
    ],
)
def test_others_cannot_change_the_state(
    seller, seller_owner, other_seller, from_status, action, who, expected_status
):
    case = _case_in(from_status, seller=seller, actor=seller_owner)
    transitions = CaseTransition.objects.filter(case=case).count()
    user = {
        "the case's buyer": case.buyer,
        "another buyer": BuyerFactory(),
        "another seller's member": seller_user(other_seller),
    }[who]
    response = signed_in_client(user).post(_state_url(case), {"action": action})
    assert response.status_code == expected_status
    case.refresh_from_db()
    assert case.status == from_status
    assert CaseTransition.objects.filter(case=case).count() == transitions


def test_another_sellers_member_does_not_see_the_case_page(seller, other_seller):
    case = buyer_opens_case(seller=seller).case
    response = signed_in_client(seller_user(other_seller)).get(_case_url(case))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_state_change_needs_post_and_a_login(seller):
    case = buyer_opens_case(seller=seller).case
    owner = seller_user(seller)
    assert (
        signed_in_client(owner).get(_state_url(case)).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    )
    anonymous = Client().post(_state_url(case), {"action": "close"})
    assert anonymous.status_code == HTTPStatus.FOUND
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    case.refresh_from_db()
    assert case.status == OPENED


# ---- inbox state filters -----------------------------------------------------------------


@pytest.fixture
def cases_by_state(seller, seller_owner, other_seller):
    """Cases of the seller in every state, reached in different ways, plus foreign ones."""
    waiting = buyer_opens_case(seller=seller).case
    answered = buyer_opens_case(seller=seller).case
    seller_replies(answered, seller_owner)
    reopened = _case_in(RESOLVED, seller=seller, actor=seller_owner)
    case_change_state_by_seller(case=reopened, actor=seller_owner, to_status=OPENED)
    buyer_reopened = _case_in(RESOLVED, seller=seller, actor=seller_owner)
    buyer_replies(buyer_reopened, "Not solved yet, sorry.")  # a buyer message reopens it
    resolved = _case_in(RESOLVED, seller=seller, actor=seller_owner)
    closed = _case_in(CLOSED, seller=seller, actor=seller_owner)
    closed_after_resolve = _case_in(RESOLVED, seller=seller, actor=seller_owner)
    case_change_state_by_seller(case=closed_after_resolve, actor=seller_owner, to_status=CLOSED)
    foreign_owner = seller_user(other_seller)
    foreign = {status: _case_in(status, seller=other_seller, actor=foreign_owner)
               for status in (OPENED, RESOLVED, CLOSED)}  # fmt: skip
    return {
        OPENED: {waiting.pk, answered.pk, reopened.pk, buyer_reopened.pk},
        RESOLVED: {resolved.pk},
        CLOSED: {closed.pk, closed_after_resolve.pk},
        "foreign": {c.pk for c in foreign.values()},
    }


@pytest.mark.parametrize(
    ("filter_key", "status", "label"),
    [
        ("opened", OPENED, "Opened"),
        ("resolved", RESOLVED, "Resolved"),
        ("closed", CLOSED, "Closed"),
    ],
)
def test_inbox_state_filter_lists_exactly_the_cases_in_that_state(
    seller, seller_client, cases_by_state, filter_key, status, label
):
    for pk in cases_by_state[status]:
        assert Case.objects.get(pk=pk).status == status
    response = seller_client.get(INBOX, {"filter": filter_key})
    assert response.status_code == HTTPStatus.OK
    assert f'id="case-list-title">{label}' in response.text
    assert _case_ids(response) == cases_by_state[status]


def test_inbox_all_filter_lists_every_state(seller, seller_client, cases_by_state):
    ids = _case_ids(seller_client.get(INBOX, {"filter": "all"}))
    assert ids == cases_by_state[OPENED] | cases_by_state[RESOLVED] | cases_by_state[CLOSED]


def test_a_case_moves_between_the_state_filters_with_the_buttons(seller, seller_client):
    case = buyer_opens_case(seller=seller).case

    def where() -> list[str]:
        return [
            key
            for key in ("opened", "resolved", "closed")
            if case.pk in _case_ids(seller_client.get(INBOX, {"filter": key}))
        ]

    assert where() == ["opened"]
    seller_client.post(_state_url(case), {"action": "resolve"})
    assert where() == ["resolved"]
    seller_client.post(_state_url(case), {"action": "reopen"})
    assert where() == ["opened"]
    seller_client.post(_state_url(case), {"action": "close"})
    assert where() == ["closed"]
    seller_client.post(_state_url(case), {"action": "reopen"})  # refused: closed stays closed
    assert where() == ["closed"]
