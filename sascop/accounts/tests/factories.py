from __future__ import annotations

from functools import cache
from typing import cast

import factory
from django.contrib.auth.hashers import make_password

from sascop.accounts.models import User

PASSWORD = "Plataforma-Abkatun-2026"


@cache
def password_hash() -> str:
    # Hashing once per test run, not once per user, keeps the suite fast with real Argon2.
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@sascop.mx")
    password = factory.LazyFunction(password_hash)


def make_user(**fields: object) -> User:
    """A saved user (typed, unlike calling the factory)."""
    return cast(User, UserFactory(**fields))


def enrol_totp(user: User, password: str = PASSWORD) -> tuple[str, list[str]]:
    """Turn two-factor on for `user` through the services, as its owner would (giving the
    password); returns the authenticator's secret and the recovery codes."""
    import time

    import pyotp
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    from sascop.accounts import mfa

    request = RequestFactory().post("/cuenta/mfa/configurar/")
    request.session = SessionStore()
    secret = mfa.totp_setup(request=request, user=user, password=password)["secret"]
    code = pyotp.TOTP(secret).at(time.time())
    codes = mfa.totp_confirm(request=request, user=user, code=code, password=password)
    return secret, codes
