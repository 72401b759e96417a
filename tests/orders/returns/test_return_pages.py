"""R29 pages: Request a return on Your Orders, Manage Returns (list, filters, search like Manage
Orders, pagination, queries), the return page's actions, 404 for another seller, the photo only to
the two parties, and the Return-related contact reason only while a return is open (R5, R29)."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from messaging.contact_buyer.selectors import contact_reasons_for
from orders.adjustments.models import Refund
from orders.models import OrderStatus
from orders.returns.models import ReturnRequest, ReturnStatus
from orders.returns.photos import return_photo_clean
from orders.returns.services import return_request
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, seller_user
from tests.orders.returns.conftest import png_upload
from tests.orders.returns.factories import ReturnRequestFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("returns:return_list")


def _detail_url(request: ReturnRequest) -> str:
    return reverse("returns:return_detail", args=[request.pk])


class TestBuyerRequestsAReturn:
    def test_r29_order_page_offers_request_a_return(self, delivered_order, buyer_client):
        page = buyer_client.get(reverse("orders:buyer_order_detail", args=[delivered_order.number]))
        assert 'id="request-return"' in page.text

    def test_r29_an_unshipped_order_offers_no_return(self, seller, buyer, buyer_client):
        order = OrderFactory(seller=seller, buyer=buyer, status=OrderStatus.UNSHIPPED)
        page = buyer_client.get(reverse("orders:buyer_order_detail", args=[order.number]))
        assert 'id="request-return"' not in page.text
        form = buyer_client.get(reverse("returns:buyer_return_request", args=[order.number]))
        assert "once the order has shipped" in form.text
        assert 'id="return-request-form"' not in form.text

    def test_r29_request_with_reason_and_photo(self, delivered_order, buyer, buyer_client):
        url = reverse("returns:buyer_return_request", args=[delivered_order.number])
        response = buyer_client.post(
            url, {"reason": "damaged", "comment": "Dented", "photo": png_upload()}
        )
        assert response.status_code == HTTPStatus.FOUND
        request = ReturnRequest.objects.get()
        assert (request.buyer, request.reason, request.comment) == (buyer, "damaged", "Dented")
        assert request.photo
        page = buyer_client.get(response["Location"])
        assert "Requested" in page.text
        assert 'id="request-return"' not in page.text

    def test_r29_a_file_that_is_not_an_image_is_refused_in_words(
        self, delivered_order, buyer_client
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        url = reverse("returns:buyer_return_request", args=[delivered_order.number])
        fake = SimpleUploadedFile("photo.png", b"not a picture at all", content_type="image/png")
        response = buyer_client.post(url, {"reason": "damaged", "photo": fake})
        assert response.status_code == HTTPStatus.OK
        assert "must be a JPEG or PNG image" in response.text
        assert not ReturnRequest.objects.exists()

    def test_r29_a_photo_over_the_attachment_limit_is_refused(
        self, delivered_order, buyer_client, settings
    ):
        settings.MESSAGING_ATTACHMENT_MAX_BYTES = 100
        url = reverse("returns:buyer_return_request", args=[delivered_order.number])
        response = buyer_client.post(
            url, {"reason": "damaged", "photo": png_upload(size=(200, 200))}
        )
        assert "too large" in response.text
        assert not ReturnRequest.objects.exists()

    def test_r29_no_reason_is_refused_in_words(self, delivered_order, buyer_client):
        url = reverse("returns:buyer_return_request", args=[delivered_order.number])
        response = buyer_client.post(url, {"reason": ""})
        assert response.status_code == HTTPStatus.OK
        assert 'id="reason-errors"' in response.text
        assert not ReturnRequest.objects.exists()

    def test_r29_another_buyers_order_is_404(self, delivered_order):
        client = signed_in_client(BuyerFactory())
        url = reverse("returns:buyer_return_request", args=[delivered_order.number])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert client.post(url, {"reason": "damaged"}).status_code == HTTPStatus.NOT_FOUND

    def test_r29_the_buyer_page_is_translated(self, delivered_order, buyer):
        buyer.buyer_profile.preferred_language = "de"
        buyer.buyer_profile.save()
        client = signed_in_client(buyer)
        page = client.get(
            reverse("returns:buyer_return_request", args=[delivered_order.number]),
            HTTP_ACCEPT_LANGUAGE="de",
        )
        assert "Rücksendung anfordern" in page.text


class TestManageReturns:
    def test_r29_lists_only_the_sellers_returns(self, seller, other_seller, seller_client):
        mine = ReturnRequestFactory(order__seller=seller)
        theirs = ReturnRequestFactory(order__seller=other_seller)
        page = seller_client.get(LIST_URL)
        assert page.status_code == HTTPStatus.OK
        assert mine.order.number in page.text
        assert theirs.order.number not in page.text

    def test_r29_filter_by_status(self, seller, seller_client):
        requested = ReturnRequestFactory(order__seller=seller)
        received = ReturnRequestFactory(order__seller=seller, status=ReturnStatus.RECEIVED)
        page = seller_client.get(LIST_URL, {"status": "received"})
        assert received.order.number in page.text
        assert requested.order.number not in page.text

    @pytest.mark.parametrize("how", ["order_id", "digits", "alias"])
    def test_r29_search_by_order_id_or_alias_like_manage_orders(self, seller, seller_client, how):
        wanted = ReturnRequestFactory(order__seller=seller)
        other = ReturnRequestFactory(order__seller=seller)
        query = {
            "order_id": wanted.order.number,
            "digits": wanted.order.number.replace("-", ""),
            "alias": wanted.order.relationship.buyer_alias,
        }[how]
        page = seller_client.get(LIST_URL, {"q": query})
        assert wanted.order.number in page.text
        assert other.order.number not in page.text

    def test_r29_a_page_of_returns_in_a_few_queries(
        self, seller, seller_client, django_assert_max_num_queries
    ):
        for _ in range(30):
            ReturnRequestFactory(order__seller=seller)
        # session, user, seller; count and the page's rows with their orders and aliases.
        with django_assert_max_num_queries(8):
            page = seller_client.get(LIST_URL)
        assert page.text.count('class="return-row"') == 25
        assert seller_client.get(LIST_URL, {"page": 2}).text.count('class="return-row"') == 5

    def test_r29_manage_returns_is_in_the_seller_nav(self, seller_client):
        page = seller_client.get(reverse("orders:order_list"))
        assert f'href="{LIST_URL}"' in page.text

    def test_r29_buyers_may_not_open_manage_returns(self, buyer_client):
        assert buyer_client.get(LIST_URL).status_code == HTTPStatus.FORBIDDEN


class TestReturnPage:
    def test_r29_another_sellers_return_is_404(self, other_seller, seller_client):
        theirs = ReturnRequestFactory(order__seller=other_seller)
        assert seller_client.get(_detail_url(theirs)).status_code == HTTPStatus.NOT_FOUND
        step = reverse("returns:return_step", args=[theirs.pk, "authorize"])
        assert seller_client.post(step).status_code == HTTPStatus.NOT_FOUND
        refund = reverse("returns:return_refund", args=[theirs.pk])
        assert (
            seller_client.post(refund, {"amount": "1", "reason": "GeneralAdjustment"}).status_code
            == HTTPStatus.NOT_FOUND
        )
        theirs.refresh_from_db()
        assert theirs.status == ReturnStatus.REQUESTED

    def test_r29_a_member_authorizes_marks_received_and_refunds_in_part(self, seller):
        member = seller_user(seller, role="member")
        client = signed_in_client(member)
        request = ReturnRequestFactory(order__seller=seller, order__total=Decimal("50.00"))
        page = client.get(_detail_url(request))
        assert 'id="return-authorize"' in page.text
        assert "data-confirm=" in page.text
        client.post(reverse("returns:return_step", args=[request.pk, "authorize"]))
        client.post(reverse("returns:return_step", args=[request.pk, "receive"]))
        response = client.post(
            reverse("returns:return_refund", args=[request.pk]),
            {"amount": "20.00", "reason": "GeneralAdjustment"},
        )
        assert response.status_code == HTTPStatus.FOUND
        request.refresh_from_db()
        assert request.status == ReturnStatus.REFUNDED
        assert (request.authorized_by, request.received_by) == (member, member)
        page = client.get(_detail_url(request))
        assert 'Left to refund: <span class="text-nowrap">30.00' in page.text

    def test_r29_a_refund_beyond_what_is_left_is_refused_in_words(self, seller, seller_client):
        request = ReturnRequestFactory(
            order__seller=seller, order__total=Decimal("50.00"), status=ReturnStatus.RECEIVED
        )
        response = seller_client.post(
            reverse("returns:return_refund", args=[request.pk]),
            {"amount": "50.01", "reason": "GeneralAdjustment"},
        )
        assert response.status_code == HTTPStatus.OK
        assert "Only 50.00" in response.text
        assert not Refund.objects.exists()

    @pytest.mark.parametrize("amount", ["", "abc", "-5", "0", "1e999", "NaN"])
    def test_r29_bad_amounts_are_refused_without_a_500(self, seller, seller_client, amount):
        request = ReturnRequestFactory(order__seller=seller, status=ReturnStatus.RECEIVED)
        response = seller_client.post(
            reverse("returns:return_refund", args=[request.pk]),
            {"amount": amount, "reason": "GeneralAdjustment"},
        )
        assert response.status_code == HTTPStatus.OK
        assert 'id="amount-errors"' in response.text
        assert not Refund.objects.exists()

    def test_r29_a_step_twice_is_told_not_a_500(self, seller, seller_client):
        request = ReturnRequestFactory(order__seller=seller, status=ReturnStatus.AUTHORIZED)
        url = reverse("returns:return_step", args=[request.pk, "authorize"])
        response = seller_client.post(url, follow=True)
        assert "cannot be authorized now" in response.text

    def test_r29_an_unknown_step_is_404(self, seller, seller_client):
        request = ReturnRequestFactory(order__seller=seller)
        url = reverse("returns:return_step", args=[request.pk, "explode"])
        assert seller_client.post(url).status_code == HTTPStatus.NOT_FOUND

    def test_r29_the_return_page_proposes_a_partial_refund_through_contact_buyer(
        self, seller, seller_client
    ):
        request = ReturnRequestFactory(order__seller=seller, status=ReturnStatus.RECEIVED)
        page = seller_client.get(_detail_url(request))
        contact = reverse("messaging:contact_buyer", args=[request.order.number])
        assert f'href="{contact}?platform=return_question"' in page.text


class TestReturnPhoto:
    @pytest.fixture
    def with_photo(self, delivered_order, buyer):
        photo = return_photo_clean(png_upload())
        return return_request(order=delivered_order, buyer=buyer, reason="damaged", photo=photo)

    def test_r29_the_photo_is_shown_to_the_buyer_and_the_sellers_members(
        self, with_photo, buyer_client, seller_client, seller
    ):
        url = reverse("returns:return_photo", args=[with_photo.pk])
        for client in (
            buyer_client,
            seller_client,
            signed_in_client(seller_user(seller, role="member")),
        ):
            response = client.get(url)
            assert response.status_code == HTTPStatus.OK
            assert response["Content-Type"] == "image/png"

    def test_r29_the_photo_is_hidden_from_everyone_else(self, with_photo, other_seller, client):
        url = reverse("returns:return_photo", args=[with_photo.pk])
        assert client.get(url).status_code == HTTPStatus.FOUND  # to the login page
        assert signed_in_client(BuyerFactory()).get(url).status_code == HTTPStatus.NOT_FOUND
        other = signed_in_client(seller_user(other_seller))
        assert other.get(url).status_code == HTTPStatus.NOT_FOUND


class TestReturnContactReason:
    def _return_reason(self, order):
        return next(r for r in contact_reasons_for(order) if r.key == "return_question")

    def test_r29_the_return_reason_needs_an_open_return(self, delivered_order):
        reason = self._return_reason(delivered_order)
        assert not reason.available
        assert "open return" in reason.why

    @pytest.mark.parametrize(
        "status", [ReturnStatus.REQUESTED, ReturnStatus.AUTHORIZED, ReturnStatus.RECEIVED]
    )
    def test_r29_an_open_return_offers_the_return_reason(self, delivered_order, status):
        ReturnRequestFactory(order=delivered_order, status=status)
        assert self._return_reason(delivered_order).available

    @pytest.mark.parametrize("status", [ReturnStatus.REFUNDED, ReturnStatus.CLOSED])
    def test_r29_a_finished_return_no_longer_offers_it(self, delivered_order, status):
        ReturnRequestFactory(order=delivered_order, status=status)
        assert not self._return_reason(delivered_order).available

    def test_r29_a_shipped_order_offers_it_after_delivery_only(self, seller):
        request = ReturnRequestFactory(order__seller=seller, order__status=OrderStatus.SHIPPED)
        reason = self._return_reason(request.order)
        assert not reason.available
        assert reason.why == "available after delivery"
