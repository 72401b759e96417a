"""Staff read a case with its messages in the admin (R25), under the Content Security Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import StaffFactory
from tests.messaging.helpers import buyer_opens_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_find_a_case_by_alias_and_read_its_messages(page):
    staff = StaffFactory()
    case = buyer_opens_case(body="My order never came", subject="Missing parcel").case
    sign_in(page, staff.email)
    page.goto("/admin/cases/case/")
    page.locator("#searchbar").fill(case.buyer_alias)
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name=str(case.pk), exact=True).click()
    expect(page.locator("body")).to_contain_text("My order never came")
    expect(page.get_by_role("link", name="Delete")).to_have_count(0)
