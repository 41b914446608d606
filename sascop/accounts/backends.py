from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
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
        identifier = username.strip()
        matches = list(
            User._default_manager.filter(
                Q(username__iexact=identifier) | Q(email__iexact=identifier)
            )[:2]
        )
        # A username match wins over somebody else's e-mail that happens to look the same.
        user = next((u for u in matches if u.username.lower() == identifier.lower()), None)
        if user is None and len(matches) == 1:
            user = matches[0]
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        user = selectors.user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
