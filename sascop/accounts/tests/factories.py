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
