from django.urls import path

from messaging import policy_page
from messaging.buyer import views as buyer
from messaging.case_page import attachments, team
from messaging.case_page import views as case_page
from messaging.contact_buyer import views as contact_buyer
from messaging.email import views as email_views
from messaging.email import webhook as email_webhook
from messaging.inbox import views as inbox
from messaging.performance import views as performance
from messaging.sanctions import views as sanctions
from messaging.seller_templates import views as seller_templates
from orders import converters  # noqa: F401  (registers <order_number:…>)

app_name = "messaging"

urlpatterns = [
    # ---- seller inbox
    path("messages/", inbox.inbox, name="inbox"),
    path("messages/sanctions/banner/", sanctions.sanction_banner, name="sanction_banner"),
    path("messages/<int:case_id>/", case_page.case_detail, name="case_detail"),
    path("messages/<int:case_id>/reply/", case_page.case_reply, name="case_reply"),
    path(
        "messages/<int:case_id>/reply/check/", case_page.case_reply_check, name="case_reply_check"
    ),
    path("messages/<int:case_id>/state/", case_page.case_change_state, name="case_change_state"),
    # ---- the team inbox (issue 14): live updates, presence, assignment
    path("messages/changes/", inbox.inbox_changes, name="inbox_changes"),
    path("messages/<int:case_id>/live/", team.case_live, name="case_live"),
    path("messages/<int:case_id>/assign/", team.case_assign_view, name="case_assign"),
    path(
        "messages/message/<int:message_id>/no-response-needed/",
        case_page.message_no_response_needed,
        name="message_no_response_needed",
    ),
    path(
        "messages/message/<int:message_id>/no-response-needed/undo/",
        case_page.message_no_response_needed_undo,
        name="message_no_response_needed_undo",
    ),
    path(
        "messages/message/<int:message_id>/report/",
        case_page.message_report,
        name="message_report",
    ),
    path("messages/notices/", inbox.blocked_notices, name="blocked_notices"),
    path(
        "messages/notices/<int:notice_id>/dismiss/",
        inbox.blocked_notice_dismiss,
        name="blocked_notice_dismiss",
    ),
    path(
        "messages/notices/dismiss-all/",
        inbox.blocked_notices_dismiss_all,
        name="blocked_notices_dismiss_all",
    ),
    path(
        "messages/warnings/<int:warning_id>/dismiss/",
        inbox.staff_warning_dismiss,
        name="staff_warning_dismiss",
    ),
    # ---- Contact Buyer and Request a Review (proactive seller messages)
    path(
        "orders/<order_number:number>/contact-buyer/",
        contact_buyer.contact_buyer,
        name="contact_buyer",
    ),
    path(
        "orders/<order_number:number>/contact-buyer/check/",
        contact_buyer.contact_buyer_check,
        name="contact_buyer_check",
    ),
    path(
        "orders/<order_number:number>/request-review/",
        contact_buyer.review_request,
        name="review_request",
    ),
    # ---- Manage Templates and Insert Template (R23)
    path("templates/", seller_templates.templates_manage, name="templates"),
    path("templates/new/", seller_templates.template_create, name="template_create"),
    path("templates/picker/", seller_templates.template_picker, name="template_picker"),
    path(
        "templates/<int:template_id>/edit/",
        seller_templates.template_edit,
        name="template_edit",
    ),
    path(
        "templates/<int:template_id>/duplicate/",
        seller_templates.template_duplicate,
        name="template_duplicate",
    ),
    path(
        "templates/<int:template_id>/delete/",
        seller_templates.template_delete,
        name="template_delete",
    ),
    path("templates/tags/", seller_templates.template_tags, name="template_tags"),
    path(
        "templates/tags/<int:tag_id>/rename/",
        seller_templates.template_tag_rename,
        name="template_tag_rename",
    ),
    path(
        "templates/tags/<int:tag_id>/merge/",
        seller_templates.template_tag_merge,
        name="template_tag_merge",
    ),
    path(
        "templates/tags/<int:tag_id>/delete/",
        seller_templates.template_tag_delete,
        name="template_tag_delete",
    ),
    # ---- buyers
    path("buyer/messages/", buyer.message_center, name="buyer_message_center"),
    path("buyer/messages/<int:case_id>/", buyer.case_detail, name="buyer_case_detail"),
    path(
        "buyer/messages/warnings/<int:warning_id>/dismiss/",
        buyer.staff_warning_dismiss,
        name="buyer_staff_warning_dismiss",
    ),
    path("buyer/messages/<int:case_id>/reply/", buyer.case_reply, name="buyer_case_reply"),
    path(
        "buyer/messages/message/<int:message_id>/report/",
        buyer.message_report,
        name="buyer_message_report",
    ),
    path(
        "buyer/orders/<order_number:number>/contact-seller/",
        buyer.contact_seller,
        name="contact_seller",
    ),
    path("store/<slug:slug>/", buyer.store, name="store"),
    path("store/<slug:slug>/ask/", buyer.store_ask, name="store_ask"),
    # ---- response-time metrics (R21)
    path("performance/response-time/", performance.response_time, name="response_time"),
    path("performance/response-time.csv", performance.response_time_csv, name="response_time_csv"),
    # ---- the email channel (SPEC section 5, R11, R15, R16, R22)
    path("email/inbound/", email_webhook.inbound_webhook, name="inbound_webhook"),
    path("email/action/<str:token>/", email_views.email_action, name="email_action"),
    path(
        "settings/messaging-permissions/",
        email_views.messaging_permissions,
        name="messaging_permissions",
    ),
    path(
        "settings/messaging-permissions/<int:permission_id>/block/",
        email_views.messaging_permission_block,
        name="messaging_permission_block",
    ),
    path(
        "settings/messaging-permissions/confirm/<str:token>/",
        email_views.permission_confirm,
        name="permission_confirm",
    ),
    # ---- our messaging policy in words; refusals link to its sections (public)
    path("help/messaging-policy/", policy_page.messaging_policy, name="policy"),
    # ---- attachments (R13: parties and staff only)
    path(
        "attachments/<int:attachment_id>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
]
