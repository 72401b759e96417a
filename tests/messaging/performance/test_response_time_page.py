"""The response-time dashboard (R21): every member of the seller reads its own figures."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerMembership
from messaging.performance.services import response_metrics_compute
from messaging.sending import services
from tests.clients import signed_in_client
from tests.factories import OrderFactory, seller_user

URL = reverse("messaging:response_time")


def _answered_after(seller, member, hours: float) -> None:
    at = timezone.now() - timedelta(days=2)
    order = OrderFactory(seller=seller, placed_at=at - timedelta(days=1))
    draft = services.Draft(body_text="Where?", subject="Q", contact_reason="other")
    case = services.message_send(sender=order.buyer, order=order, draft=draft, now=at).case
    services.message_send(
        sender=member,
        case=case,
        draft=services.Draft(body_text="Here."),
        now=at + timedelta(hours=hours),
    )


def test_r21_the_dashboard_shows_the_computed_figures_to_every_member(
    seller, seller_owner, other_seller, django_assert_max_num_queries
):
    _answered_after(seller, seller_owner, 2)
    _answered_after(seller, seller_owner, 30)
    _answered_after(other_seller, seller_user(other_seller), 50)
    response_metrics_compute()
    member = seller_user(seller, role=SellerMembership.Role.MEMBER)
    client = signed_in_client(member)
    with django_assert_max_num_queries(10):
        page = client.get(URL)
    assert page.status_code == 200
    assert 'data-figure="within-7">50%' in page.text
    assert 'data-figure="later-7">50%' in page.text
    assert "<polyline" in page.text
    assert "Figures computed" in page.text
    late = page.context["late"].object_list
    assert len(late) == 1  # the 30-hour one; the other seller's 50-hour one is not here
    assert reverse("messaging:case_detail", args=[late[0].case_id]) in page.text


def test_r21_before_the_first_run_the_page_says_so(seller_client):
    page = seller_client.get(URL)
    assert "have not been computed yet" in page.text


def test_r21_csv_export_has_one_row_per_day(seller, seller_owner):
    _answered_after(seller, seller_owner, 1)
    response_metrics_compute()
    response = signed_in_client(seller_owner).get(reverse("messaging:response_time_csv"))
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("day,counted,within_24h")
    assert len(lines) == 91
    assert any(line.endswith(",1,1,0,0,1.0") for line in lines)


def test_the_dashboard_is_for_sellers(buyer_client):
    assert buyer_client.get(URL).status_code == 403


def test_r21_the_case_page_says_a_waiting_message_counts_and_how_long_is_left(seller, seller_owner):
    at = timezone.now() - timedelta(hours=5)
    order = OrderFactory(seller=seller, placed_at=at - timedelta(days=1))
    draft = services.Draft(body_text="Where?", subject="Q", contact_reason="other")
    case = services.message_send(sender=order.buyer, order=order, draft=draft, now=at).case
    page = signed_in_client(seller_owner).get(reverse("messaging:case_detail", args=[case.pk]))
    assert "Counts for your response time: 18 h left" in page.text
