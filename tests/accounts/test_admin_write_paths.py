"""Staff edits in the admin go through the same services as the users' own settings pages, so a
rule's timestamps (R2 opted_out_at, R18 accepting_changed_at) are never skipped, and the parties
and aliases of a relationship (R1) cannot be changed at all."""

from django.urls import reverse
from django.utils import timezone

from accounts.models import BuyerProfile, Relationship, SellerAccount
from tests.clients import signed_in_client
from tests.factories import BuyerFactory, OrderFactory, SellerAccountFactory


def _buyer_profile_form(profile: BuyerProfile, *, opted_out: bool) -> dict[str, str]:
    data = {"user": str(profile.user_id), "preferred_language": profile.preferred_language}
    if opted_out:
        data["opted_out_of_unsolicited"] = "on"
    return data


def test_r2_staff_opting_a_buyer_out_records_when_and_opting_in_clears_it(staff):
    profile = BuyerFactory().buyer_profile
    client = signed_in_client(staff)
    url = reverse("admin:accounts_buyerprofile_change", args=[profile.pk])
    response = client.post(url, _buyer_profile_form(profile, opted_out=True))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.opted_out_of_unsolicited
    assert profile.opted_out_at is not None
    client.post(url, _buyer_profile_form(profile, opted_out=False))
    profile.refresh_from_db()
    assert not profile.opted_out_of_unsolicited
    assert profile.opted_out_at is None


def test_r2_opted_out_at_is_read_only_in_the_admin(staff):
    profile = BuyerFactory().buyer_profile
    page = signed_in_client(staff).get(
        reverse("admin:accounts_buyerprofile_change", args=[profile.pk])
    )
    assert 'name="opted_out_at' not in page.text


def _seller_form(seller: SellerAccount, *, accepting: bool) -> dict[str, str]:
    data = {
        "business_name": seller.business_name,
        "slug": seller.slug,
        "created_at_0": seller.created_at.strftime("%Y-%m-%d"),
        "created_at_1": seller.created_at.strftime("%H:%M:%S"),
        "auto_review_delay_days": str(seller.auto_review_delay_days),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    if accepting:
        data["accepting_buyer_messages"] = "on"
    return data


def test_r18_staff_stopping_a_seller_records_the_moment_through_the_service(staff):
    seller = SellerAccountFactory()
    client = signed_in_client(staff)
    url = reverse("admin:accounts_selleraccount_change", args=[seller.pk])
    response = client.post(url, _seller_form(seller, accepting=False))
    assert response.status_code == 302, response.text
    seller.refresh_from_db()
    assert not seller.accepting_buyer_messages
    stopped_at = seller.accepting_changed_at
    assert stopped_at is not None
    # Saving again without changing the flag keeps the moment (R18 counts from it).
    client.post(url, _seller_form(seller, accepting=False))
    seller.refresh_from_db()
    assert seller.accepting_changed_at == stopped_at


def test_r18_a_seller_added_by_staff_as_not_accepting_gets_its_moment(staff):
    client = signed_in_client(staff)
    new = SellerAccount(business_name="New Shop", slug="new-shop", created_at=timezone.now())
    data = _seller_form(new, accepting=False)
    response = client.post(reverse("admin:accounts_selleraccount_add"), data)
    assert response.status_code == 302, response.text
    seller = SellerAccount.objects.get(slug="new-shop")
    assert not seller.accepting_buyer_messages
    assert seller.accepting_changed_at is not None


def test_r1_relationships_are_read_only_for_staff(staff):
    relationship = OrderFactory().relationship
    client = signed_in_client(staff)
    change = reverse("admin:accounts_relationship_change", args=[relationship.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert relationship.buyer_alias in page.text
    assert 'name="buyer_alias"' not in page.text
    assert 'name="buyer"' not in page.text
    client.post(change, {"buyer_alias": "x@m.alphadiscounters.com"})
    assert Relationship.objects.get(pk=relationship.pk).buyer_alias == relationship.buyer_alias
    assert client.get(reverse("admin:accounts_relationship_add")).status_code == 403
