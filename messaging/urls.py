from django.urls import path

from messaging.views import attachments, buyer, contact_buyer, seller
from orders import converters  # noqa: F401  (registers <order_number:…>)

app_name = "messaging"

urlpatterns = [
    # ---- seller inbox
    path("messages/", seller.inbox, name="inbox"),
    path("messages/<int:case_id>/", seller.case_detail, name="case_detail"),
    path("messages/<int:case_id>/reply/", seller.case_reply, name="case_reply"),
    path("messages/<int:case_id>/reply/check/", seller.case_reply_check, name="case_reply_check"),
    path("messages/<int:case_id>/state/", seller.case_change_state, name="case_change_state"),
    path(
        "messages/message/<int:message_id>/no-response-needed/",
        seller.message_no_response_needed,
        name="message_no_response_needed",
    ),
    path(
        "messages/message/<int:message_id>/no-response-needed/undo/",
        seller.message_no_response_needed_undo,
        name="message_no_response_needed_undo",
    ),
    path(
        "messages/message/<int:message_id>/report/",
        seller.message_report,
        name="message_report",
    ),
    path(
        "messages/notices/<int:notice_id>/dismiss/",
        seller.blocked_notice_dismiss,
        name="blocked_notice_dismiss",
    ),
    path(
        "messages/notices/dismiss-all/",
        seller.blocked_notices_dismiss_all,
        name="blocked_notices_dismiss_all",
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
    # ---- buyers
    path("buyer/messages/", buyer.message_center, name="buyer_message_center"),
    path("buyer/messages/<int:case_id>/", buyer.case_detail, name="buyer_case_detail"),
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
    # ---- attachments (R13: parties and staff only)
    path(
        "attachments/<int:attachment_id>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
]
