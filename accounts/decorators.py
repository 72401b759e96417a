from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from accounts.http import AuthenticatedRequest, SellerRequest
from accounts.selectors import seller_for_user, user_role

_P = ParamSpec("_P")
_R = TypeVar("_R", bound=HttpResponseBase)


def seller_required(
    view: Callable[Concatenate[SellerRequest, _P], _R],
) -> Callable[Concatenate[HttpRequest, _P], _R]:
    """Sellers' members only; sets request.seller so views scope every query to it."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        seller = seller_for_user(user=request.user)
        if seller is None:
            raise PermissionDenied("Seller Central pages are for seller accounts.")
        seller_request = cast(SellerRequest, request)
        seller_request.seller = seller
        return view(seller_request, *args, **kwargs)

    return wrapper


def buyer_required(
    view: Callable[Concatenate[AuthenticatedRequest, _P], _R],
) -> Callable[Concatenate[HttpRequest, _P], _R]:
    """Buyers only (members of a seller account and staff use their own pages)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if user_role(user=request.user) != "buyer":
            raise PermissionDenied("These pages are for buyers.")
        return view(cast(AuthenticatedRequest, request), *args, **kwargs)

    return wrapper
