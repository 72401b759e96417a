"""Sender authentication of inbound mail (issue 22): is the From address proven by SPF, DKIM
and DMARC (RFC 7208, 6376, 7489), or by the Authentication-Results of a mail service the
operator trusts (RFC 8601)? Pure functions over the raw mail and the DNS answers of
`resolvers.resolver()`; no database.

    sender_check(raw, envelope_from=…, client_ip=…, helo=…) -> SenderCheck
    sender_check_from_trusted_header(raw, authserv_id=…) -> SenderCheck | None
"""

from .resolvers import DnsTemporaryError
from .result import SenderCheck
from .sender import sender_check
from .trusted import sender_check_from_trusted_header

__all__ = [
    "DnsTemporaryError",
    "SenderCheck",
    "sender_check",
    "sender_check_from_trusted_header",
]
