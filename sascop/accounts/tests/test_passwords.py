"""Password hashing: Argon2id at OWASP's minimum, legacy hashes upgraded, constant work."""

from __future__ import annotations

from http import HTTPStatus

import argon2
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher, make_password

from sascop.accounts.hashers import Argon2idHasher
from sascop.accounts.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_new_hashes_are_argon2id_at_owasp_minimum():
    encoded = make_password("Cualquier-Clave-1")

    params = argon2.extract_parameters(encoded.removeprefix("argon2"))
    assert params.type is argon2.Type.ID
    assert params.memory_cost >= 19 * 1024
    assert params.time_cost >= 2
    assert params.parallelism == 1
    assert isinstance(identify_hasher(encoded), Argon2idHasher)


def test_pbkdf2_hash_still_verifies_and_is_upgraded_on_login(client):
    legacy = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user = make_user(username="legado", password=legacy)

    response = client.post(
        "/api/login/",
        {"username": "legado", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.OK
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_weaker_argon2_parameters_are_upgraded_on_login(client):
    class Weak(Argon2idHasher):
        memory_cost = 8 * 1024

    user = make_user(username="debil", password=Weak().encode(PASSWORD, Weak().salt()))

    client.post(
        "/api/login/", {"username": "debil", "password": PASSWORD}, content_type="application/json"
    )

    user.refresh_from_db()
    assert argon2.extract_parameters(user.password.removeprefix("argon2")).memory_cost == 19456


@pytest.mark.parametrize("username", ["nadie", "ana"])
def test_password_hasher_runs_once_for_unknown_and_known_users(client, user, username, monkeypatch):
    # One Argon2 computation either way (encode for nobody, verify for a real user), so the
    # response time does not tell whether the account exists.
    calls: list[str] = []
    for method in ("encode", "verify"):
        original = getattr(Argon2idHasher, method)

        def counting(self, *args, _original=original, _name=method, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Argon2idHasher, method, counting)

    response = client.post(
        "/api/login/",
        {"username": username, "password": "equivocada"},
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert calls == ["encode" if username == "nadie" else "verify"]
