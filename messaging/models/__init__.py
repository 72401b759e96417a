"""The messaging app's models, by subject; imported from here (`messaging.models`). The message
vocabulary the case summary shares (direction, outcome, response state) is defined in cases and
named here too, so messaging code finds it beside Message."""

from cases.models import Direction, Outcome, ResponseState
from messaging.models.email import (
    InboundMail,
    MessagingPermission,
    OutboundEmail,
)
from messaging.models.messages import (
    SUBJECT_MAX_LENGTH,
    Attachment,
    BuyerContactReason,
    Channel,
    Message,
    SellerContactReason,
    UndeletableQuerySet,
    attachment_upload_to,
)
from messaging.models.moderation import (
    BlockedMessageNotice,
    MessageReport,
    ReportReason,
    StaffWarning,
)
from messaging.models.performance import (
    MetricsWatermark,
    ResponseTimeDaily,
)
from messaging.models.sanctions import Sanction, SanctionKind

__all__ = [
    "SUBJECT_MAX_LENGTH",
    "Direction",
    "Outcome",
    "ResponseState",
    "Attachment",
    "BlockedMessageNotice",
    "BuyerContactReason",
    "Channel",
    "InboundMail",
    "Message",
    "MessageReport",
    "MessagingPermission",
    "MetricsWatermark",
    "OutboundEmail",
    "ReportReason",
    "ResponseTimeDaily",
    "Sanction",
    "SanctionKind",
    "SellerContactReason",
    "StaffWarning",
    "UndeletableQuerySet",
    "attachment_upload_to",
]
