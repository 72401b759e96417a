"""The case rows of the seller's inbox and of the buyer's message center, built in Python
(messaging.inbox.presentation, messaging.buyer.presentation), the case status badge they and the
case pages print, and the search by a buyer alias with its domain (the trigram index asked only
for the alias's own part)."""

import re

import pytest
from django.urls import reverse

from accounts.models import BuyerProfile, Relationship
from cases.models import Case, CaseSearchText
from messaging.inbox.presentation import inbox_row_html
from messaging.presentation import case_status_badge_html
from messaging.sending import services
from tests.clients import signed_in_client
from tests.factories import BuyerFactory
from tests.messaging.helpers import buyer_opens_case, seller_replies

pytestmark = pytest.mark.django_db

INBOX = reverse("messaging:inbox")


def _case_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-case-id="(\d+)"', response.text)]


def _set_alias(case: Case, alias: str) -> None:
    Relationship.objects.filter(pk=case.relationship_id).update(buyer_alias=alias)
    Case.objects.filter(pk=case.pk).update(buyer_alias=alias)
    CaseSearchText.objects.filter(case=case).update(buyer_alias=alias)


class TestAliasSearch:
    def test_a_whole_alias_finds_its_case_only(self, seller, seller_client):
        wanted = buyer_opens_case(seller=seller).case
        other = buyer_opens_case(seller=seller).case
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": wanted.buyer_alias}))
        assert ids == [wanted.pk]
        assert other.pk not in ids

    def test_any_case_and_any_part_with_the_domain_still_match(self, seller, seller_client):
        wanted = buyer_opens_case(seller=seller).case
        other = buyer_opens_case(seller=seller).case
        _set_alias(wanted, "k3v9x2q7w1zz@m.example.com")
        _set_alias(other, "aaaaaaaaaaaa@m.example.com")
        for query in (
            "K3V9X2Q7W1ZZ@M.EXAMPLE.COM",  # upper case
            "x2q7w1zz@m.example",  # the end of the local part and part of the domain
            "w1zz@",
        ):
            ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": query}))
            assert ids == [wanted.pk], query

    def test_the_alias_part_must_be_followed_by_the_rest_of_the_query(self, seller, seller_client):
        wanted = buyer_opens_case(seller=seller).case
        _set_alias(wanted, "k3v9x2q7w1zz@m.example.com")
        # Its local part and "@" match, the domain typed does not: no case.
        query = "k3v9x2q7w1zz@other.example"
        assert _case_ids(seller_client.get(INBOX, {"filter": "all", "q": query})) == []

    def test_a_query_that_is_only_the_domain_matches_every_case(self, seller, seller_client):
        cases = [buyer_opens_case(seller=seller).case for _ in range(2)]
        domain = cases[0].buyer_alias.partition("@")[2]
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": f"@{domain}"}))
        assert sorted(ids) == sorted(c.pk for c in cases)

    def test_an_alias_in_a_message_text_is_found_too(self, seller, seller_client):
        wanted = buyer_opens_case(seller=seller, body="Write to zq81kd0pl2mm@m.example.com").case
        ids = _case_ids(
            seller_client.get(INBOX, {"filter": "all", "q": "zq81kd0pl2mm@m.example.com"})
        )
        assert ids == [wanted.pk]

    def test_an_alias_in_a_subject_is_found_too(self, seller, seller_client):
        wanted = buyer_opens_case(seller=seller, subject="From zq81kd0pl2mm@m.example.com").case
        buyer_opens_case(seller=seller, subject="From zq81kd0pl2mm@elsewhere.example")
        ids = _case_ids(seller_client.get(INBOX, {"filter": "all", "q": "ZQ81KD0PL2MM@m.example"}))
        assert ids == [wanted.pk]

    def test_another_sellers_alias_finds_nothing(self, seller, other_seller, seller_client):
        theirs = buyer_opens_case(seller=other_seller).case
        assert _case_ids(seller_client.get(INBOX, {"filter": "all", "q": theirs.buyer_alias})) == []


class TestInboxRows:
    def test_values_are_escaped(self, seller, seller_client):
        case = buyer_opens_case(seller=seller, subject="<b>Help</b> & co", body="<i>x</i>").case
        text = seller_client.get(INBOX).text
        assert "&lt;b&gt;Help&lt;/b&gt; &amp; co" in text
        assert "&lt;i&gt;x&lt;/i&gt;" in text
        assert "<b>Help</b>" not in text
        assert f'data-case-id="{case.pk}"' in text

    def test_row_parts(self, seller, seller_owner, seller_client):
        case = buyer_opens_case(seller=seller, subject="Late parcel").case
        seller_replies(case, seller_owner, body="On its way")  # assigns the case to the owner
        services.message_send(
            sender=case.buyer, case=case, draft=services.Draft(body_text="Still waiting")
        )
        html = seller_client.get(INBOX).text
        row = re.search(
            rf'<a href="[^"]*/{case.pk}/"[^>]*data-case-id="{case.pk}">.*?</a>', html, re.S
        )
        assert row is not None
        row_html = row.group(0)
        assert "case-row py-3 needs-response" in row_html
        assert f"Order {case.order_number}" in row_html
        assert (
            'class="badge text-bg-light border assignee" title="Assigned to">You</span>' in row_html
        )
        assert 'text-bg-primary case-status-badge">Opened</span>' in row_html
        assert "left</span>" in row_html  # the deadline
        assert "Late parcel" in row_html
        assert "Still waiting" in row_html
        assert "You:</span>" not in row_html  # the buyer wrote last

    def test_a_question_without_order_and_a_seller_last_message(self, seller):
        case = buyer_opens_case(seller=seller).case
        row = Case.objects.get(pk=case.pk)
        row.order_number = ""
        row.latest_direction = "s2b"
        row.needs_response = False
        row.url, row.age, row.latest_at, row.deadline = "/messages/1/", "1 min ago", "x", None
        html = inbox_row_html(row, status_label="Opened", target_hours=24)
        assert "No order (question)" in html
        assert '<span class="text-body-tertiary">You:</span> ' in html
        assert "needs-response" not in html
        assert "assignee" not in html

    def test_the_response_target_is_the_setting(self, seller, seller_client, settings):
        settings.MESSAGING_RESPONSE_TARGET_HOURS = 12
        buyer_opens_case(seller=seller)
        html = seller_client.get(INBOX).text
        assert "Target: respond to every buyer message within 12 hours." in html
        assert re.search(
            r'<span class="badge rounded-pill text-bg-success deadline" '
            r'title="Target: respond within 12 hours">11 h left</span>',
            html,
        )
        assert "24 hours" not in html


class TestCaseStatusBadge:
    @pytest.mark.parametrize(
        ("status", "colour"),
        [
            ("opened", "text-bg-primary"),
            ("resolved", "text-bg-info"),
            ("closed", "text-bg-secondary"),
        ],
    )
    def test_each_status_has_its_colour(self, status, colour):
        assert case_status_badge_html(status, "<Label>") == (
            f'<span class="badge {colour} case-status-badge">&lt;Label&gt;</span>'
        )

    def test_the_case_pages_and_rows_print_the_same_badge(self, seller, seller_client):
        case = buyer_opens_case(seller=seller).case
        badge = '<span class="badge text-bg-primary case-status-badge">Opened</span>'
        assert badge in seller_client.get(INBOX).text
        assert badge in seller_client.get(reverse("messaging:case_detail", args=[case.pk])).text
        buyer = signed_in_client(case.buyer)
        assert badge in buyer.get(reverse("messaging:buyer_message_center")).text
        assert badge in buyer.get(reverse("messaging:buyer_case_detail", args=[case.pk])).text


class TestBuyerRows:
    def test_row_parts(self, seller, seller_owner):
        case = buyer_opens_case(seller=seller, subject="Late <parcel>").case
        seller_replies(case, seller_owner, body="On its way & soon")
        html = signed_in_client(case.buyer).get(reverse("messaging:buyer_message_center")).text
        row = re.search(
            rf'<a href="([^"]+)" class="([^"]+)" data-case-id="{case.pk}">(.*?)</a>', html, re.S
        )
        assert row is not None
        url, classes, inner = row.groups()
        assert url == reverse("messaging:buyer_case_detail", args=[case.pk])
        assert classes == "list-group-item list-group-item-action buyer-case-row py-3"
        assert '<strong class="text-body seller-name">Acme Outfitters</strong>' in inner
        assert f'<span class="order-id text-secondary">Order {case.order_number}</span>' in inner
        assert 'case-status-badge">Opened</span>' in inner
        assert re.search(r'title="\w{3} \d{1,2}, \d{4} \d\d:\d\d UTC">\d+\xa0minutes? ago<', inner)
        assert '<div class="fw-semibold mt-1 text-truncate">Late &lt;parcel&gt;</div>' in inner
        assert "On its way &amp; soon" in inner
        for seller_only in ("needs-response", "deadline", "assignee", "You:"):
            assert seller_only not in inner

    def test_a_question_in_the_buyers_language(self, seller):
        buyer = BuyerFactory()
        BuyerProfile.objects.filter(user=buyer).update(preferred_language="de")
        client = signed_in_client(buyer)
        ask = reverse("messaging:store_ask", args=[seller.slug])
        client.post(ask, {"subject": "Farben?", "body": "Rot?"})
        html = client.get(reverse("messaging:buyer_message_center")).text
        assert '<span class="text-secondary">Frage (ohne Bestellung)</span>' in html
        assert 'case-status-badge">Offen</span>' in html
        assert re.search(r">vor \d+\xa0Minuten?</span>", html)


@pytest.mark.parametrize(
    "params",
    [{}, {"filter": "closed"}, {"filter": "all", "q": 'a"b<c & d'}, {"filter": "nonsense"}],
)
def test_the_filter_fields_are_what_the_form_would_render(params, seller_client):
    """The inbox writes its Show select and search box out in the template (issue 13: the
    widgets' templates cost a tenth of the page); they must stay what the form renders."""
    from messaging.inbox.forms import InboxFilterForm

    def tidy(html: str) -> str:
        return re.sub(r">\s+<", "><", html.strip())

    page = seller_client.get(INBOX, params).text
    form = InboxFilterForm(params)
    filter_key, _ = form.selection()
    expected_select = str(form["filter"].as_widget())
    if params.get("filter") not in dict(form.fields["filter"].choices):
        # An unknown filter shows the default one, which is the one selected; the page shows
        # no error for it, so it does not point to one either (the widget said aria-invalid).
        expected_select = expected_select.replace(
            f'value="{filter_key}"', f'value="{filter_key}" selected'
        ).replace(' aria-invalid="true" aria-describedby="id_filter_error"', "")
    select = re.search(r'<select name="filter".*?</select>', page, re.S).group(0)
    search = re.search(r'<input type="search" name="q"[^>]*>', page).group(0)
    assert tidy(select) == tidy(expected_select)
    assert search == str(form["q"].as_widget())
