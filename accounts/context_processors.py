from django.http import HttpRequest

from accounts.selectors import seller_for_user, user_role


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    role = user_role(user=user)
    return {
        "nav_role": role,
        "nav_seller": seller_for_user(user=user) if role == "seller" else None,
    }
