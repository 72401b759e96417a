"""Issue 12: the authorization matrix, generated from the URL configuration.

Every named URL of our apps × anonymous, buyer A, buyer B, seller A owner, seller A member,
seller B owner, staff; GET always, POST where the route accepts it. Each URL points at an object
of seller A and buyer A (tests.cross_cutting.authz_world), so for buyer B and seller B it is
someone else's: a uniform 404. A wrong role gets 403, anonymous the login redirect, owner-only
POSTs refuse a member with 403 (SPEC section 1). A URL name without a row in EXPECTED fails the
first test.

Answers, in ROLES order: a status code, or "login" for the redirect to the login page."""

import pytest
from django.urls import reverse

from tests.cross_cutting.authz_world import (  # noqa: F401  (fixtures)
    ROLES,
    _media_in_tmp,
    media_root,
    url_names,
    world_fixture,
)


def url(name, attr=None, field="pk", *, token=None, query=None, raw_query=None):
    """How to build the URL of `name` for seller A's / buyer A's object in the world."""

    def build(w) -> str:
        if token:
            args = [w.extra[token]]
        elif attr:
            args = [getattr(getattr(w, attr), field)]
        else:
            args = []
        built = reverse(name, args=args)
        if query:
            key, target = query.split("=")
            built += f"?{key}={getattr(w, target).pk}"
        if raw_query:
            built += f"?{raw_query}"
        return built

    return build


# url name: (URL for someone else's object, GET answers, POST answers or None: POST not accepted)
# roles:     anonymous buyer_a buyer_b owner_a member_a owner_b staff
EXPECTED = {
    "home": (url("home"), "login 302 302 302 302 302 302", "login 302 302 302 302 302 302"),
    "accounts:login": (
        url("accounts:login"),
        "200 302 302 302 302 302 302",
        "200 302 302 302 302 302 302",
    ),
    "accounts:logout": (
        url("accounts:logout"),
        "200 200 200 200 200 200 200",
        "login login login login login login login",
    ),
    "accounts:buyer_communication_settings": (
        url("accounts:buyer_communication_settings"),
        "login 200 200 403 403 403 403",
        "login 200 200 403 403 403 403",
    ),
    "accounts:notification_preferences": (
        url("accounts:notification_preferences"),
        "login 403 403 200 200 200 403",
        "login 403 403 200 403 200 403",
    ),
    "accounts:messaging_settings": (
        url("accounts:messaging_settings"),
        "login 403 403 200 200 200 403",
        "login 403 403 200 403 200 403",
    ),
    "orders:order_list": (url("orders:order_list"), "login 403 403 200 200 200 403", None),
    "orders:order_report_csv": (
        url("orders:order_report_csv"),
        "login 403 403 200 200 200 403",
        None,
    ),
    "orders:order_detail": (
        url("orders:order_detail", "order_a", "number"),
        "login 403 403 200 200 404 403",
        None,
    ),
    "orders:order_confirm_shipment": (
        url("orders:order_confirm_shipment", "order_a", "number"),
        "login 403 403 200 200 404 403",
        "login 403 403 400 400 404 403",
    ),
    "orders:carrier_events": (
        url("orders:carrier_events"),
        "405 405 405 405 405 405 405",
        "401 401 401 401 401 401 401",
    ),
    "orders:order_cancel": (
        url("orders:order_cancel", "order_a", "number"),
        "login 403 403 200 200 404 403",
        "login 403 403 400 400 404 403",
    ),
    "orders:buyer_order_list": (
        url("orders:buyer_order_list"),
        "login 200 200 403 403 403 403",
        None,
    ),
    "orders:buyer_order_detail": (
        url("orders:buyer_order_detail", "order_a", "number"),
        "login 200 404 403 403 403 403",
        None,
    ),
    "messaging:inbox": (url("messaging:inbox"), "login 403 403 200 200 200 403", None),
    "messaging:sanction_banner": (
        url("messaging:sanction_banner"),
        "login 403 403 200 200 200 403",
        None,
    ),
    "messaging:case_detail": (
        url("messaging:case_detail", "case_a", "pk"),
        "login 403 403 200 200 404 403",
        None,
    ),
    "messaging:case_reply": (
        url("messaging:case_reply", "case_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 200 200 404 403",
    ),
    "messaging:case_reply_check": (
        url("messaging:case_reply_check", "case_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 200 200 404 403",
    ),
    # issue 14: the live inbox (since=0: every case counts as changed, so it answers 200), the
    # case page's live poll, assignment
    "messaging:inbox_changes": (
        url("messaging:inbox_changes", raw_query="since=0"),
        "login 403 403 200 200 200 403",
        None,
    ),
    "messaging:case_live": (
        url("messaging:case_live", "case_a", "pk"),
        "login 403 403 200 200 404 403",
        None,
    ),
    "messaging:case_assign": (
        url("messaging:case_assign", "case_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:case_change_state": (
        url("messaging:case_change_state", "case_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 400 400 404 403",
    ),
    "messaging:message_no_response_needed": (
        url("messaging:message_no_response_needed", "buyer_message_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:message_no_response_needed_undo": (
        url("messaging:message_no_response_needed_undo", "buyer_message_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 200 200 404 403",
    ),
    "messaging:message_report": (
        url("messaging:message_report", "buyer_message_a", "pk"),
        "login 403 403 200 200 404 403",
        "login 403 403 200 200 404 403",
    ),
    "messaging:blocked_notices": (
        url("messaging:blocked_notices"),
        "login 403 403 200 200 200 403",
        None,
    ),
    "messaging:blocked_notice_dismiss": (
        url("messaging:blocked_notice_dismiss", "notice_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:blocked_notices_dismiss_all": (
        url("messaging:blocked_notices_dismiss_all"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 302 403",
    ),
    "messaging:staff_warning_dismiss": (
        url("messaging:staff_warning_dismiss", "seller_warning_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:contact_buyer": (
        url("messaging:contact_buyer", "order_a", "number"),
        "login 403 403 200 200 404 403",
        "login 403 403 200 200 404 403",
    ),
    "messaging:contact_buyer_check": (
        url("messaging:contact_buyer_check", "order_a", "number"),
        "405 405 405 405 405 405 405",
        "login 403 403 200 200 404 403",
    ),
    "messaging:review_request": (
        url("messaging:review_request", "order_a", "number"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:templates": (url("messaging:templates"), "login 403 403 200 200 200 403", None),
    "messaging:template_create": (
        url("messaging:template_create"),
        "login 403 403 200 200 200 403",
        "login 403 403 200 200 200 403",
    ),
    "messaging:template_picker": (
        url("messaging:template_picker", query="case=case_a"),
        "login 403 403 200 200 404 403",
        None,
    ),
    "messaging:template_edit": (
        url("messaging:template_edit", "template_a", "pk"),
        "login 403 403 200 200 404 403",
        "login 403 403 200 200 404 403",
    ),
    "messaging:template_duplicate": (
        url("messaging:template_duplicate", "template_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:template_delete": (
        url("messaging:template_delete", "template_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:template_tags": (
        url("messaging:template_tags"),
        "login 403 403 200 200 200 403",
        None,
    ),
    "messaging:template_tag_rename": (
        url("messaging:template_tag_rename", "tag_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:template_tag_merge": (
        url("messaging:template_tag_merge", "tag_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:template_tag_delete": (
        url("messaging:template_tag_delete", "tag_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "messaging:buyer_message_center": (
        url("messaging:buyer_message_center"),
        "login 200 200 403 403 403 403",
        None,
    ),
    "messaging:buyer_case_detail": (
        url("messaging:buyer_case_detail", "case_a", "pk"),
        "login 200 404 403 403 403 403",
        None,
    ),
    "messaging:buyer_staff_warning_dismiss": (
        url("messaging:buyer_staff_warning_dismiss", "buyer_warning_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 302 404 403 403 403 403",
    ),
    "messaging:buyer_case_reply": (
        url("messaging:buyer_case_reply", "case_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 200 404 403 403 403 403",
    ),
    "messaging:buyer_message_report": (
        url("messaging:buyer_message_report", "seller_message_a", "pk"),
        "login 200 404 403 403 403 403",
        "login 200 404 403 403 403 403",
    ),
    "messaging:contact_seller": (
        url("messaging:contact_seller", "order_a", "number"),
        "login 200 404 403 403 403 403",
        "login 200 404 403 403 403 403",
    ),
    "messaging:store": (
        url("messaging:store", "seller_a", "slug"),
        "200 200 200 200 200 200 200",
        None,
    ),
    "messaging:store_ask": (
        url("messaging:store_ask", "seller_a", "slug"),
        "login 200 200 200 200 200 403",
        "login 200 200 200 200 200 403",
    ),
    "messaging:response_time": (
        url("messaging:response_time"),
        "login 403 403 200 200 200 403",
        None,
    ),
    "messaging:response_time_csv": (
        url("messaging:response_time_csv"),
        "login 403 403 200 200 200 403",
        None,
    ),
    "messaging:inbound_webhook": (
        url("messaging:inbound_webhook"),
        "405 405 405 405 405 405 405",
        "401 401 401 401 401 401 401",
    ),
    "messaging:email_action": (
        url("messaging:email_action", token="email_action_token"),
        "200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200",
    ),
    "messaging:messaging_permissions": (
        url("messaging:messaging_permissions"),
        "login 403 403 200 200 200 403",
        "login 403 403 200 403 200 403",
    ),
    "messaging:messaging_permission_block": (
        url("messaging:messaging_permission_block", "permission_a", "pk"),
        "405 405 405 405 405 405 405",
        "login 403 403 302 403 404 403",
    ),
    "messaging:permission_confirm": (
        url("messaging:permission_confirm", token="permission_token"),
        "200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200",
    ),
    "messaging:policy": (url("messaging:policy"), "200 200 200 200 200 200 200", None),
    "messaging:attachment_download": (
        url("messaging:attachment_download", "attachment_a", "pk"),
        "login 200 404 200 200 404 200",
        None,
    ),
    "returns:return_list": (url("returns:return_list"), "login 403 403 200 200 200 403", None),
    "returns:return_detail": (
        lambda w: reverse("returns:return_detail", args=[w.extra["return_a"].pk]),
        "login 403 403 200 200 404 403",
        None,
    ),
    "returns:return_step": (
        lambda w: reverse("returns:return_step", args=[w.extra["return_a"].pk, "authorize"]),
        "405 405 405 405 405 405 405",
        "login 403 403 302 302 404 403",
    ),
    "returns:return_refund": (
        lambda w: reverse("returns:return_refund", args=[w.extra["return_a"].pk]),
        "405 405 405 405 405 405 405",
        "login 403 403 200 200 404 403",
    ),
    "returns:return_photo": (
        lambda w: reverse("returns:return_photo", args=[w.extra["return_a"].pk]),
        "login 200 404 200 200 404 404",
        None,
    ),
    "returns:buyer_return_request": (
        lambda w: reverse("returns:buyer_return_request", args=[w.extra["return_a"].order.number]),
        "login 200 404 403 403 403 403",
        "login 200 404 403 403 403 403",
    ),
}


def answers(name: str, method: str) -> dict[str, str]:
    _, get, post = EXPECTED[name]
    row = get if method == "get" else post
    if row is None:
        row = " ".join(["405"] * len(ROLES))
    codes = row.split()
    assert len(codes) == len(ROLES), name
    return dict(zip(ROLES, codes, strict=True))


def cases() -> list:
    params = []
    for name in sorted(EXPECTED):
        methods = ["get"] + (["post"] if EXPECTED[name][2] is not None else [])
        for method in methods:
            for role in ROLES:
                params.append(pytest.param(name, method, role, id=f"{name}-{method}-{role}"))
    return params


def test_every_url_name_has_a_row():
    names = url_names()
    assert names - set(EXPECTED) == set(), "URL names without a row in EXPECTED"
    assert set(EXPECTED) - names == set(), "rows in EXPECTED for URL names that no longer exist"


def answer_of(response) -> str:
    if response.status_code in (301, 302) and response["Location"].startswith(
        reverse("accounts:login")
    ):
        return "login"
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "role"), cases())
def test_authorization(world, name, method, role):
    target = EXPECTED[name][0](world)
    response = getattr(world.client(role), method)(target)
    assert answer_of(response) == answers(name, method)[role], f"{method.upper()} {target}"
