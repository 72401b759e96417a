"""Request types for view annotations: what a decorator guarantees the view it wraps.

Only annotations use them; every request is still Django's `HttpRequest`.
"""

from accounts.models import SellerAccount, User
from core.htmx import HtmxHttpRequest


class AuthenticatedRequest(HtmxHttpRequest):
    """Behind `login_required`, `buyer_required` or the admin: `request.user` is a User."""

    user: User


class SellerRequest(AuthenticatedRequest):
    """Behind `seller_required`: `request.seller` is the account the user works for."""

    seller: SellerAccount
