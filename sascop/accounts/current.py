"""The logged-in user of a request, typed as the project's user model."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request

from sascop.accounts.models import User


def current_user(request: Request | HttpRequest) -> User:
    """`request.user` for views that only authenticated users reach (their permission
    classes or decorators have already refused anonymous callers)."""
    return cast(User, request.user)
