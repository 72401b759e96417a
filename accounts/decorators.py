from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.selectors import seller_for_user, user_role


def seller_required(view):
    """Sellers' members only; sets request.seller so views scope every query to it."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seller = seller_for_user(user=request.user)
        if seller is None:
            raise PermissionDenied("Seller Central pages are for seller accounts.")
        request.seller = seller
        return view(request, *args, **kwargs)

    return wrapper


def buyer_required(view):
    """Buyers only (members of a seller account and staff use their own pages)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if user_role(user=request.user) != "buyer":
            raise PermissionDenied("These pages are for buyers.")
        return view(request, *args, **kwargs)

    return wrapper
