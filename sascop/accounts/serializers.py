from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from rest_framework import serializers

from sascop.accounts.models import User
from sascop.core import sessions
from sascop.core.serializers import UTCDateTimeField


def _password_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )


class LoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="Username or e-mail address.")
    password = _password_field()


class RegisterInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    password = _password_field()
    password2 = _password_field()


class PasswordChangeInputSerializer(serializers.Serializer):
    current_password = _password_field()
    new_password = _password_field()


USER_SUMMARY_FIELDS = ("id", "username", "email")
USER_DETAIL_FIELDS = (*USER_SUMMARY_FIELDS, "first_name", "last_name", "is_staff", "is_superuser")


def user_summary(user: User) -> dict[str, Any]:
    """The user as contract A names it: exactly id, username, email."""
    return {name: getattr(user, name) for name in USER_SUMMARY_FIELDS}


def user_detail(user: User) -> dict[str, Any]:
    # A plain dict, not a serializer: this runs on every /api/user/ and /api/session/ request,
    # where instantiating a DRF serializer cost more than loading the user (bench/auth.py).
    return {name: getattr(user, name) for name in USER_DETAIL_FIELDS}


class UserSummarySerializer(serializers.Serializer):
    """Documents `user_summary()` in the OpenAPI schema."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()


class UserDetailSerializer(UserSummarySerializer):
    """Documents `user_detail()` in the OpenAPI schema."""

    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_staff = serializers.BooleanField()
    is_superuser = serializers.BooleanField()


class LoginOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    user = UserSummarySerializer()
    csrf_token = serializers.CharField()


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField()


class SessionStatusSerializer(serializers.Serializer):
    authenticated = serializers.BooleanField()
    user = UserDetailSerializer(allow_null=True)
    expires_at = UTCDateTimeField(allow_null=True)
    idle_timeout = serializers.IntegerField(help_text="Idle timeout in seconds.")


def login_body(request: HttpRequest, user: User) -> dict[str, Any]:
    """Contract A's login answer; also the JSON answer of /accounts/login/."""
    return {
        "message": "Login successful",
        "user": user_summary(user),
        "csrf_token": get_token(request),
    }


LOGOUT_BODY = {"message": "Logout successful"}


def session_body(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    authenticated = bool(user.is_authenticated)
    return {
        "authenticated": authenticated,
        "user": user_detail(user) if authenticated else None,  # type: ignore[arg-type]
        "expires_at": sessions.expires_at_iso(request.session) if authenticated else None,
        "idle_timeout": sessions.idle_timeout(),
    }
