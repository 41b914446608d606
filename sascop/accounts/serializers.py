from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from sascop.accounts import selectors
from sascop.accounts.history import Resultado
from sascop.accounts.models import User
from sascop.core.api.serializers import UTCDateTimeField, iso, page_serializer
from sascop.core.sessions import policy


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
        "expires_at": policy.expires_at_iso(request.session) if authenticated else None,
        "idle_timeout": policy.idle_timeout(),
    }


def session_item(live: selectors.LiveSession, current_key: str | None) -> dict[str, Any]:
    """One live session as `GET /api/sessions/` lists it (`id` is never the session key)."""
    row = live.row
    return {
        "id": selectors.session_public_id(row.session_key),
        "created_at": iso(row.created_at),
        "last_seen_at": iso(row.last_seen_at),
        "expires_at": iso(datetime.fromtimestamp(live.expires_at, tz=UTC)),
        "ip": row.ip,
        "user_agent": row.user_agent,
        "device": selectors.device_of(row.user_agent),
        "current": row.session_key == current_key,
    }


class SessionItemSerializer(serializers.Serializer):
    """Documents `session_item()`."""

    id = serializers.CharField(help_text="Opaque; use it to end the session.")
    created_at = UTCDateTimeField(allow_null=True, help_text="When the user logged in.")
    last_seen_at = UTCDateTimeField(
        allow_null=True, help_text="Last activity; may lag by SESSION_REFRESH_INTERVAL."
    )
    expires_at = UTCDateTimeField(allow_null=True)
    ip = serializers.IPAddressField(allow_null=True)
    user_agent = serializers.CharField()
    device = serializers.CharField(help_text='E.g. "Chrome en Windows", or "script".')
    current = serializers.BooleanField(help_text="The session making this request.")


class SessionListSerializer(serializers.Serializer):
    sessions = SessionItemSerializer(many=True)


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many sessions were ended.")


class LoginEventSerializer(serializers.Serializer):
    """Documents `history.event_item()`."""

    id = serializers.IntegerField()
    at = UTCDateTimeField()
    user_id = serializers.IntegerField(allow_null=True)
    identifier = serializers.CharField(help_text="What was typed (username or e-mail).")
    ip = serializers.IPAddressField(allow_null=True)
    user_agent = serializers.CharField()
    result = serializers.ChoiceField(choices=Resultado.choices)


LoginHistoryPageSerializer = page_serializer("LoginHistoryPage", "events", LoginEventSerializer)


# --- two-factor (accounts.mfa) ----------------------------------------------------------------


class MfaRequiredSerializer(serializers.Serializer):
    """The password was right; send the second factor to `POST /api/login/mfa/`."""

    mfa_required = serializers.BooleanField(help_text="Always true.")
    message = serializers.CharField(help_text='"MFA required".')


LoginResultSerializer = PolymorphicProxySerializer(
    component_name="LoginResult",
    serializers=[LoginOutputSerializer, MfaRequiredSerializer],
    resource_type_field_name=None,
)


class MfaCodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=64, help_text="The 6-digit code of the authenticator app, or a recovery code."
    )


class PasswordInputSerializer(serializers.Serializer):
    password = _password_field()


class ReauthInputSerializer(serializers.Serializer):
    """Who is asking to replace the second factor: the account holder, not only a live
    session. One of the two is required."""

    password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        required=False,
        allow_blank=True,
        help_text="Your current password. Required unless `current_code` is given.",
    )
    current_code = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="Instead of the password, with two-factor already on: the 6-digit code your "
        "authenticator app shows now (it is used up).",
    )


class TotpConfirmInputSerializer(ReauthInputSerializer):
    code = serializers.CharField(
        max_length=64, help_text="The 6-digit code of the authenticator app just set up."
    )


class TotpSetupSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="Base32; for typing into the app by hand.")
    otpauth_uri = serializers.CharField(help_text="otpauth://totp/... (what the QR code holds).")
    qr_svg = serializers.CharField(help_text="The QR code as an inline SVG element.")


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(
        child=serializers.CharField(),
        help_text="10 single-use codes, shown only now (the server keeps only their hashes).",
    )


class MfaStatusSerializer(serializers.Serializer):
    totp_enabled = serializers.BooleanField()
    confirmed_at = UTCDateTimeField(allow_null=True)
    recovery_codes_remaining = serializers.IntegerField()
    required_by_role = serializers.BooleanField(help_text="Your role requires two-factor.")


def mfa_status_body(status: dict[str, Any]) -> dict[str, Any]:
    return {**status, "confirmed_at": iso(status["confirmed_at"])}
