"""Issue 14, the team inbox: assignment (filters, history, auto-assign on reply, who may),
the live "what changed since" endpoints (204, counts, query counts, isolation), presence and
the collision notice."""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerMembership
from cases import presence
from cases.models import Case, CaseStatus, CaseTransition
from cases.selectors import change_token
from cases.services import (
    ASSIGNED_CAUSE,
    AUTO_ASSIGNED_CAUSE,
    UNASSIGNED_CAUSE,
    case_assign,
    case_change_state_by_seller,
    case_unassign,
)
from core.refusals import MessageRefused, NotAParty
from messaging.inbox.selectors import inbox_page_for_seller
from tests.clients import signed_in_client
from tests.factories import seller_user
from tests.messaging.helpers import buyer_opens_case, buyer_replies, seller_replies

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")
CHANGES = reverse("messaging:inbox_changes")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def alice(seller):
    return seller_user(seller, user__full_name="Alice Archer", user__email="alice@acme.example")


@pytest.fixture
def bob(seller):
    return seller_user(
        seller,
        user__full_name="Bob Baker",
        user__email="bob@acme.example",
        role=SellerMembership.Role.MEMBER,
    )


@pytest.fixture
def outsider(other_seller):
    return seller_user(other_seller, user__full_name="Olga Other", user__email="olga@other.example")


def _case_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-case-id="(\d+)"', response.text)]


def _history(case) -> list[tuple]:
    return list(
        CaseTransition.objects.filter(case=case)
        .exclude(kind=CaseTransition.Kind.STATUS)
        .order_by("created_at", "id")
        .values_list("kind", "actor_id", "assignee_id", "cause", "from_status", "to_status")
    )


def _live_url(case, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('messaging:case_live', args=[case.pk])}?{query}"


# ---- assignment: services and history


def test_assigning_and_unassigning_are_recorded_in_the_case_history(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    case_assign(case=case, member=bob, by=alice)
    case.refresh_from_db()
    assert case.assigned_to == bob
    case_assign(case=case, member=bob, by=alice)  # already Bob's: nothing new
    case_unassign(case=case, by=bob)
    case.refresh_from_db()
    assert case.assigned_to is None
    case_unassign(case=case, by=bob)  # nobody's already: nothing new
    assert _history(case) == [
        ("assigned", alice.pk, bob.pk, ASSIGNED_CAUSE, "opened", "opened"),
        ("unassigned", bob.pk, bob.pk, UNASSIGNED_CAUSE, "opened", "opened"),
    ]
    # The state is untouched; the state changes are still their own entries.
    assert case.status == CaseStatus.OPENED
    assert list(
        case.transitions.filter(kind=CaseTransition.Kind.STATUS).values_list("to_status", flat=True)
    ) == ["opened"]


def test_assignment_moves_the_change_stamp_the_live_inbox_reads(seller, alice):
    case = buyer_opens_case(seller=seller).case
    before = Case.objects.get(pk=case.pk).summary_changed_at
    case_assign(case=case, member=alice, by=alice)
    assert Case.objects.get(pk=case.pk).summary_changed_at > before


def test_another_sellers_member_cannot_be_assigned(seller, alice, outsider):
    case = buyer_opens_case(seller=seller).case
    with pytest.raises(MessageRefused) as refused:
        case_assign(case=case, member=outsider, by=alice)
    assert "is not a member of your seller account" in refused.value.refusal.message
    assert Case.objects.get(pk=case.pk).assigned_to is None
    assert _history(case) == []


def test_only_members_of_the_cases_seller_may_assign(seller, alice, outsider, buyer):
    case = buyer_opens_case(seller=seller).case
    for intruder in (outsider, case.buyer):
        with pytest.raises(NotAParty):
            case_assign(case=case, member=alice, by=intruder)
        with pytest.raises(NotAParty):
            case_unassign(case=case, by=intruder)
    assert _history(case) == []


# ---- auto-assign on reply


def test_a_members_reply_on_an_unassigned_case_assigns_it_to_them(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    seller_replies(case, bob)
    case.refresh_from_db()
    assert case.assigned_to == bob
    assert _history(case) == [
        ("assigned", bob.pk, bob.pk, AUTO_ASSIGNED_CAUSE, "opened", "opened"),
    ]
    # A second reply, by another member, does not take it from Bob.
    buyer_replies(case, "And the invoice?")
    seller_replies(case, alice)
    case.refresh_from_db()
    assert case.assigned_to == bob
    assert len(_history(case)) == 1


def test_buyer_messages_assign_nobody(seller, alice):
    case = buyer_opens_case(seller=seller).case
    buyer_replies(case, "Hello again")
    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_reply_page_says_the_case_is_now_assigned_because_of_the_reply(seller, bob):
    case = buyer_opens_case(seller=seller).case
    client = signed_in_client(bob)
    response = client.post(
        reverse("messaging:case_reply", args=[case.pk]), {"body": "On its way."}, follow=True
    )
    assert "The case is now assigned to you because you replied." in response.text
    page = client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert "Assigned to you because you replied." in page
    # The other members read whose case it is.
    other = signed_in_client(seller_user(seller, role=SellerMembership.Role.MEMBER))
    assert (
        "Assigned to Bob Baker." in other.get(reverse("messaging:case_detail", args=[case.pk])).text
    )


# ---- the assign control (view)


def test_assign_control_assigns_and_unassigns_with_and_without_htmx(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    url = reverse("messaging:case_assign", args=[case.pk])
    client = signed_in_client(alice)
    page = client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert 'id="assign-member"' in page
    assert "Bob Baker" in page
    assert "Alice Archer (you)" in page

    response = client.post(url, {"member": bob.pk})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assigned_to == bob
    assert "Case assigned to Bob Baker." in client.get(response["Location"]).text

    response = client.post(url, {"member": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="case-assignment"' in response.text
    assert "Nobody is assigned to this case." in response.text
    assert "Nobody is assigned to this case now." in response.text  # the live notice
    assert Case.objects.get(pk=case.pk).assigned_to is None

    response = client.post(url, {"member": alice.pk}, headers={"HX-Request": "true"})
    assert "Assigned to you." in response.text
    assert Case.objects.get(pk=case.pk).assigned_to == alice


def test_assign_control_refuses_someone_outside_the_team(seller, alice, outsider):
    case = buyer_opens_case(seller=seller).case
    url = reverse("messaging:case_assign", args=[case.pk])
    response = signed_in_client(alice).post(url, {"member": outsider.pk})
    assert response.status_code == 400
    assert "Choose a member of your team." in response.text
    response = signed_in_client(alice).post(
        url, {"member": outsider.pk}, headers={"HX-Request": "true"}
    )
    assert 'id="assign-error"' in response.text
    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_another_seller_gets_404_on_assign_and_live(seller, alice, outsider):
    case = buyer_opens_case(seller=seller).case
    client = signed_in_client(outsider)
    url = reverse("messaging:case_assign", args=[case.pk])
    assert client.post(url, {"member": outsider.pk}).status_code == 404
    assert client.get(_live_url(case)).status_code == 404
    assert Case.objects.get(pk=case.pk).assigned_to is None
    assert presence.presence_others(case_id=case.pk, user_id=alice.pk) == []


# ---- inbox filters


def test_assigned_to_me_and_unassigned_filters(seller, alice, bob, other_seller, outsider):
    mine = buyer_opens_case(seller=seller, subject="Mine").case
    bobs = buyer_opens_case(seller=seller, subject="Bob's").case
    nobodys = buyer_opens_case(seller=seller, subject="Nobody's").case
    elsewhere = buyer_opens_case(seller=other_seller, subject="Elsewhere").case
    case_assign(case=mine, member=alice, by=alice)
    case_assign(case=bobs, member=bob, by=alice)
    case_assign(case=elsewhere, member=outsider, by=outsider)
    client = signed_in_client(alice)

    response = client.get(INBOX, {"filter": "assigned-to-me"})
    assert _case_ids(response) == [mine.pk]
    assert 'id="case-list-title">Assigned to me<' in response.text
    assert _case_ids(client.get(INBOX, {"filter": "unassigned"})) == [nobodys.pk]
    assert _case_ids(signed_in_client(bob).get(INBOX, {"filter": "assigned-to-me"})) == [bobs.pk]
    # The row says whose case it is.
    listed = client.get(INBOX, {"filter": "all"}).text
    assert 'title="Assigned to">You<' in listed
    assert 'title="Assigned to">Bob Baker<' in listed
    # The existing filters keep their names and addresses.
    assert set(_case_ids(client.get(INBOX, {"filter": "response-needed"}))) == {
        mine.pk,
        bobs.pk,
        nobodys.pk,
    }
    options = re.findall(r'<option value="([a-z-]+)"', client.get(INBOX).text)
    assert options[:4] == ["response-needed", "assigned-to-me", "unassigned", "all"]


def test_empty_assignment_filters_say_so(seller, alice):
    client = signed_in_client(alice)
    assert "No case is assigned to you." in client.get(INBOX, {"filter": "assigned-to-me"}).text
    assert "Every case has an owner." in client.get(INBOX, {"filter": "unassigned"}).text


def test_assigned_to_me_is_empty_for_a_member_who_owns_no_case(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    case_assign(case=case, member=alice, by=alice)
    page = inbox_page_for_seller(
        seller=seller,
        filter_key="assigned-to-me",
        query="",
        member=bob,
        page_number=None,
        per_page=25,
        count_cap=1000,
    )
    assert (page.object_list, page.count) == ([], 0)


# ---- the live inbox: /messages/changes/


def test_changes_answers_204_until_something_changes_then_counts(seller, alice, bob):
    buyer_opens_case(seller=seller)
    client = signed_in_client(alice)
    page = client.get(INBOX).text
    since = re.search(r"/messages/changes/\?since=(\d+)", page).group(1)
    assert client.get(CHANGES, {"since": since, "n": 0}).status_code == 204

    first = buyer_opens_case(seller=seller, subject="Broken zip").case
    response = client.get(CHANGES, {"since": since, "n": 0, "filter": "unassigned", "q": "zip"})
    assert response.status_code == 200
    assert "1 new — Show" in response.text
    assert 'href="/messages/?filter=unassigned&amp;q=zip"' in response.text
    assert "n=1" in response.text  # the marker's poller now knows it shows one
    # Same count as shown: nothing new to say.
    assert client.get(CHANGES, {"since": since, "n": 1}).status_code == 204
    # A state change and an assignment count too; the same case counts once.
    case_change_state_by_seller(case=first, actor=bob, to_status=CaseStatus.RESOLVED)
    case_assign(case=first, member=bob, by=bob)
    assert client.get(CHANGES, {"since": since, "n": 1}).status_code == 204
    buyer_opens_case(seller=seller)
    assert "2 new — Show" in client.get(CHANGES, {"since": since, "n": 1}).text


@pytest.mark.parametrize("changed", [1, 12])
def test_changes_costs_one_query_however_many_cases_changed(
    seller, alice, django_assert_max_num_queries, changed
):
    since = change_token(timezone.now())
    for _ in range(changed):
        buyer_opens_case(seller=seller)
    client = signed_in_client(alice)
    client.get(CHANGES, {"since": since, "n": 0})  # session and the like warmed up
    # savepoint + release (ATOMIC_REQUESTS), session, user, membership with seller, and ONE
    # query on cases: the count over the (seller, summary_changed_at) index.
    with django_assert_max_num_queries(6):
        response = client.get(CHANGES, {"since": since, "n": 0})
    assert f"{changed} new — Show" in response.text
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGES, {"since": since, "n": changed}).status_code == 204
    on_cases = [q["sql"] for q in queries.captured_queries if '"cases_case"' in q["sql"]]
    assert len(on_cases) == 1
    assert '"cases_case"."seller_id" =' in on_cases[0]
    assert '"cases_case"."summary_changed_at" >' in on_cases[0]


def test_changes_never_counts_or_shows_another_sellers_cases(seller, alice, other_seller, outsider):
    since = change_token(timezone.now())
    client = signed_in_client(alice)
    other_case = buyer_opens_case(seller=other_seller, subject="Their secret").case
    seller_replies(other_case, outsider)
    case_assign(case=other_case, member=outsider, by=outsider)
    assert client.get(CHANGES, {"since": since, "n": 0}).status_code == 204
    mine = buyer_opens_case(seller=seller, subject="Ours").case
    response = client.get(CHANGES, {"since": since, "n": 0})
    assert "1 new — Show" in response.text
    assert "Their secret" not in response.text
    assert f"/messages/{other_case.pk}/" not in response.text
    # The other seller sees theirs only.
    theirs = signed_in_client(outsider).get(CHANGES, {"since": since, "n": 0})
    assert "2 new" not in theirs.text
    assert "1 new — Show" in theirs.text
    assert mine.subject not in theirs.text


# ---- the live case page: /messages/<id>/live/


def _page_live_url(client, case) -> str:
    page = client.get(reverse("messaging:case_detail", args=[case.pk])).text
    return re.search(r'id="case-live" hidden hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")


def test_case_live_answers_204_when_nothing_changed_and_shows_new_messages(seller, alice):
    case = buyer_opens_case(seller=seller, body="First question").case
    client = signed_in_client(alice)
    url = _page_live_url(client, case)
    assert client.get(url).status_code == 204

    buyer_replies(case, "Second question, while you look")
    response = client.get(url)
    assert response.status_code == 200
    assert "Second question, while you look" in response.text
    assert 'id="message-list" class="d-flex flex-column gap-3 mb-4" hx-swap-oob="true"' in (
        response.text
    )
    # The reply box is never part of a live answer: a draft in it stays as typed.
    assert 'id="reply-box"' not in response.text
    assert "<textarea" not in response.text
    new_url = re.search(r'id="case-live" hidden hx-get="([^"]+)"', response.text).group(1)
    assert client.get(new_url.replace("&amp;", "&")).status_code == 204


@pytest.mark.parametrize("messages", [1, 8])
def test_case_live_query_count_is_constant(seller, alice, django_assert_max_num_queries, messages):
    case = buyer_opens_case(seller=seller).case
    for index in range(messages - 1):
        buyer_replies(case, f"More {index}")
    client = signed_in_client(alice)
    url = _page_live_url(client, case)
    # savepoint + release, session, user, membership with seller, the case row by its key
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 204
    buyer_replies(case, "Newer")
    # + messages with senders, attachments, reports, the team's members
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_case_live_of_a_case_closed_meanwhile_redraws_the_conversation(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    client = signed_in_client(alice)
    url = _page_live_url(client, case)
    case_change_state_by_seller(case=case, actor=bob, to_status=CaseStatus.CLOSED)
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Retarget"] == "#case-conversation"
    assert "This case is closed." in response.text


# ---- presence


def test_members_see_each_other_viewing_and_replying(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    alice_client, bob_client = signed_in_client(alice), signed_in_client(bob)
    alice_url = _page_live_url(alice_client, case)
    bob_page = bob_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    assert "Alice Archer is viewing this case" in bob_page
    # Alice's next poll hears of Bob, then Bob starts typing.
    response = alice_client.get(alice_url)
    assert "Bob Baker is viewing this case" in response.text
    bob_url = re.search(r'id="case-live" hidden hx-get="([^"]+)"', bob_page).group(1)
    bob_client.get(bob_url.replace("&amp;", "&") + "&typing=1")
    assert "Bob Baker is replying" in alice_client.get(alice_url).text
    # Nobody sees themselves.
    assert "Alice Archer is" not in alice_client.get(alice_url).text


def test_presence_expires_by_itself_and_never_touches_the_database(
    seller, alice, bob, django_assert_max_num_queries
):
    case = buyer_opens_case(seller=seller).case
    with django_assert_max_num_queries(0):
        presence.presence_touch(
            case_id=case.pk, user_id=bob.pk, name="Bob Baker", mode=presence.REPLYING
        )
        others = presence.presence_others(case_id=case.pk, user_id=alice.pk)
    assert [(p.name, p.mode) for p in others] == [("Bob Baker", "replying")]
    later = presence.time.time() + 31
    with mock.patch.object(presence.time, "time", return_value=later):
        assert presence.presence_others(case_id=case.pk, user_id=alice.pk) == []


def test_presence_touch_answers_who_else_is_on_the_case_from_the_same_read(seller, alice, bob):
    """The case page and its poll read the cache once for both: the touch returns the others
    (not the member touching), as presence_others would."""
    case = buyer_opens_case(seller=seller).case
    assert (
        presence.presence_touch(case_id=case.pk, user_id=bob.pk, name="Bob", mode="replying") == []
    )
    others = presence.presence_touch(
        case_id=case.pk, user_id=alice.pk, name="Alice", mode=presence.VIEWING
    )
    assert [(p.name, p.mode) for p in others] == [("Bob", "replying")]
    assert others == presence.presence_others(case_id=case.pk, user_id=alice.pk)
    assert [p.name for p in presence.presence_others(case_id=case.pk, user_id=bob.pk)] == ["Alice"]


def test_presence_is_kept_per_case(seller, alice, bob):
    one = buyer_opens_case(seller=seller).case
    two = buyer_opens_case(seller=seller).case
    presence.presence_touch(case_id=one.pk, user_id=bob.pk, name="Bob", mode=presence.VIEWING)
    assert presence.presence_others(case_id=two.pk, user_id=alice.pk) == []


# ---- the collision notice


def test_a_reply_sent_meanwhile_by_another_member_holds_the_late_one_back(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    bob_client = signed_in_client(bob)
    page = bob_client.get(reverse("messaging:case_detail", args=[case.pk])).text
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
    # Alice answers first while Bob is still writing.
    seller_replies(case, alice, body="Alice's answer")
    url = reverse("messaging:case_reply", args=[case.pk])
    response = bob_client.post(url, {"body": "Bob's answer", "seen": seen})
    assert response.status_code == 200
    assert "A reply was just sent by Alice Archer at" in response.text
    assert "Your reply was not sent" in response.text
    assert "Bob&#x27;s answer" in response.text or "Bob's answer" in response.text  # draft kept
    assert not case.messages.filter(body_text="Bob's answer").exists()
    # The page now shows Alice's reply; sending again sends.
    seen_now = re.search(r'name="seen" value="(\d+)"', response.text).group(1)
    assert int(seen_now) > int(seen)
    bob_client.post(url, {"body": "Bob's answer", "seen": seen_now})
    assert case.messages.filter(body_text="Bob's answer").exists()


def test_a_held_back_reply_with_attachments_says_to_choose_them_again(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    seen = case.messages.order_by("-id").first().pk
    seller_replies(case, alice, body="Alice's answer")
    upload = SimpleUploadedFile("label.txt", b"return label", content_type="text/plain")
    response = signed_in_client(bob).post(
        reverse("messaging:case_reply", args=[case.pk]),
        {"body": "Here is the label", "seen": seen, "attachments": upload},
    )
    assert "Your reply was not sent" in response.text
    assert "Choose your attachments again" in response.text
    assert not case.messages.filter(body_text="Here is the label").exists()


def test_own_replies_and_buyer_messages_do_not_hold_a_reply_back(seller, alice):
    case = buyer_opens_case(seller=seller).case
    client = signed_in_client(alice)
    page = client.get(reverse("messaging:case_detail", args=[case.pk])).text
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
    seller_replies(case, alice, body="My first")
    buyer_replies(case, "Buyer again")
    url = reverse("messaging:case_reply", args=[case.pk])
    client.post(url, {"body": "My second", "seen": seen})
    assert case.messages.filter(body_text="My second").exists()


def test_live_poll_warns_a_typing_member_of_another_members_reply(seller, alice, bob):
    case = buyer_opens_case(seller=seller).case
    bob_client = signed_in_client(bob)
    url = _page_live_url(bob_client, case)
    seller_replies(case, alice, body="Alice was quicker")
    response = bob_client.get(url + "&typing=1")
    assert "A reply was just sent by Alice Archer" in response.text
    assert "Read it above before you send yours." in response.text
    # The page has now shown it: the reply form's `seen` moves on.
    newest = case.messages.order_by("-id").first().pk
    assert f'name="seen" value="{newest}" id="reply-seen" hx-swap-oob="true"' in response.text
    # Not typing: the message list is updated, no warning.
    url = _page_live_url(bob_client, case)
    seller_replies(case, alice, body="And more")
    assert "A reply was just sent" not in bob_client.get(url).text


# ---- admin


def test_admin_lists_and_filters_cases_by_assignee(seller, alice, staff):
    case = buyer_opens_case(seller=seller).case
    case_assign(case=case, member=alice, by=alice)
    client = signed_in_client(staff)
    changelist = client.get(reverse("admin:cases_case_changelist")).text
    assert "column-assigned_to" in changelist
    assert "By assigned to" in changelist or "assigned to" in changelist.lower()
    filtered = client.get(
        reverse("admin:cases_case_changelist"), {"assigned_to__id__exact": alice.pk}
    )
    assert filtered.status_code == 200
    assert f"/admin/cases/case/{case.pk}/change/" in filtered.text
    history = client.get(reverse("admin:cases_case_change", args=[case.pk])).text
    assert AUTO_ASSIGNED_CAUSE not in history
    assert ASSIGNED_CAUSE in history


def test_seller_members_are_the_active_members_of_that_seller_by_name(
    seller, alice, bob, other_seller, django_assert_num_queries
):
    """seller_members reads plain rows: the seller's active members by name (then email), each
    a user whose name and email are there and whose other fields load when asked."""
    from cases.selectors import seller_members

    nameless = seller_user(seller, user__full_name="", user__email="zed@acme.example")
    gone = seller_user(seller, user__full_name="Aaron Gone")
    gone.is_active = False
    gone.save()
    seller_user(other_seller, user__full_name="Aaron Other")
    with django_assert_num_queries(1):
        members = seller_members(seller_id=seller.pk)
        assert [(m.pk, m.full_name, m.email) for m in members] == [
            (nameless.pk, "", "zed@acme.example"),
            (alice.pk, "Alice Archer", "alice@acme.example"),
            (bob.pk, "Bob Baker", "bob@acme.example"),
        ]
    assert [m.get_full_name() for m in members] == ["zed", "Alice Archer", "Bob Baker"]
    assert all(m.is_active for m in members)  # deferred, read when asked
