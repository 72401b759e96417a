"""Signing in: Django's ModelBackend, loading a member's seller with the user."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class UserWithSellerBackend(ModelBackend):
    """ModelBackend whose `get_user` (every signed-in request) reads the user's seller
    membership and seller in the same query (one LEFT JOIN), which every Seller Central page
    asks for next (`accounts.selectors.membership_for_user`): a query fewer per seller page
    (issue 13). Buyers and staff simply have no membership."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("seller_membership__seller").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
