"""Contract A's success bodies (SPEC §2) for the root `user` fixture (ana), written once for
the tests that assert them whole."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY


def login_body(user: Any) -> dict[str, Any]:
    """What a login answers, by JSON at either address and after the second factor."""
    return {
        "message": "Login successful",
        "user": {"id": user.pk, "username": "ana", "email": "ana@sascop.mx"},
        "csrf_token": ANY,
    }


def user_body(user: Any) -> dict[str, Any]:
    """`GET /api/user/`, and the `user` of an authenticated session's status."""
    return {
        "id": user.pk,
        "username": "ana",
        "email": "ana@sascop.mx",
        "first_name": "",
        "last_name": "",
        "is_staff": False,
        "is_superuser": False,
    }
