from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from sascop.accounts import selectors
from sascop.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with the username or the e-mail address, in any letter case.

    Like Django's ModelBackend, it hashes the password once even when nobody matches, so an
    unknown user costs the same time as a wrong password.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        user = selectors.account_for_identifier(username, request)
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any, leido: User | None = None) -> User | None:
        """The user `user_id`, if still allowed to log in; `leido` is its row when the
        request already read it (with the session, see accounts.middleware)."""
        user = selectors.user_by_id(user_id, leido=leido)
        return user if user is not None and self.user_can_authenticate(user) else None
