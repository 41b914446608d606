from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from rest_framework import serializers

from sascop.accounts.models import User
from sascop.core import sessions


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


class UserSummarySerializer(serializers.ModelSerializer):
    """The user as contract A names it: exactly id, username, email."""

    class Meta:
        model = User
        fields = ["id", "username", "email"]


class UserDetailSerializer(serializers.ModelSerializer):
    groups: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "is_staff",
            "is_superuser",
            "groups",
        ]


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
    expires_at = serializers.DateTimeField(allow_null=True)
    idle_timeout = serializers.IntegerField(help_text="Idle timeout in seconds.")


def login_body(request: HttpRequest, user: User) -> dict[str, Any]:
    """Contract A's login answer; also the JSON answer of /accounts/login/."""
    return {
        "message": "Login successful",
        "user": UserSummarySerializer(user).data,
        "csrf_token": get_token(request),
    }


LOGOUT_BODY = {"message": "Logout successful"}


def session_body(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    authenticated = bool(user.is_authenticated)
    return {
        "authenticated": authenticated,
        "user": UserDetailSerializer(user).data if authenticated else None,
        "expires_at": sessions.expires_at_iso(request.session) if authenticated else None,
        "idle_timeout": sessions.idle_timeout(),
    }
