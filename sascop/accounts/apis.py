"""Contract A: the auth API under /api/ (SPEC §2)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from sascop.accounts import history, mfa, selectors, services
from sascop.accounts import serializers as s
from sascop.accounts.current import current_user
from sascop.accounts.models import User
from sascop.core.api.cache_policy import NoStoreMixin
from sascop.core.api.csrf import enforce_session_creation_csrf
from sascop.core.api.pagination import paginate
from sascop.core.api.schema import EMPTY_IS_ABSENT, filter_parameters
from sascop.core.errors import InvalidInput, PermissionDenied

TAGS = ["auth"]


class _SessionCreatingApi(NoStoreMixin, APIView):
    """Login and registration: anonymous, CSRF-checked by the tokenless-script rule."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        enforce_session_creation_csrf(request._request)


class LoginApi(_SessionCreatingApi):
    extra_error_codes = ["401", "429"]

    @extend_schema(
        tags=TAGS,
        request=s.LoginInputSerializer,
        responses={200: s.LoginResultSerializer},
        auth=[],
        summary="Log in",
    )
    def post(self, request: Request) -> Response:
        """Start a session. `username` may be the e-mail address.

        Sets the `sessionid` and `csrftoken` cookies and returns the CSRF token to send as
        `X-CSRFToken` on later unsafe requests. After too many failures the client is locked
        out (429 with Retry-After).

        An account with two-factor on answers `{"mfa_required": true, "message": "MFA
        required"}` instead and stays logged out: send the code to `POST /api/login/mfa/`
        within MFA_PENDING_SECONDS (5 minutes), with the same cookies.
        """
        data = s.LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.user_login(request=request._request, **data.validated_data)
        except mfa.MfaCodeRequired:
            return Response(mfa.MFA_REQUIRED_BODY)
        return Response(s.login_body(request._request, user))


class LoginMfaApi(_SessionCreatingApi):
    extra_error_codes = ["401", "429"]

    @extend_schema(
        tags=TAGS,
        request=s.MfaCodeInputSerializer,
        responses={200: s.LoginOutputSerializer},
        auth=[],
        summary="Log in: second factor",
    )
    def post(self, request: Request) -> Response:
        """Finish a login that answered `mfa_required`: a code of the authenticator app, or
        one of the recovery codes (each works once). Answers as `POST /api/login/` does for
        a login without two-factor, with a new session key.

        401 `invalid_mfa_code` for a wrong or already used code (it counts as a failed login:
        429 with Retry-After after too many); 401 `mfa_not_pending` with no password step
        before it, `mfa_expired` when that step is older than 5 minutes.
        """
        data = s.MfaCodeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = mfa.login_with_code(request=request._request, code=data.validated_data["code"])
        return Response(s.login_body(request._request, user))


class RegistrationThrottle(SimpleRateThrottle):
    """Registration attempts per client address, successful or not: REGISTRATION_RATE."""

    scope = "register"

    def get_rate(self) -> str:
        # Read at each request (DRF's own reads its settings once, at import).
        return str(settings.REGISTRATION_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class RegisterApi(_SessionCreatingApi):
    throttle_classes = [RegistrationThrottle]
    extra_error_codes = ["429"]

    @extend_schema(
        tags=TAGS,
        request=s.RegisterInputSerializer,
        responses={201: s.UserSummarySerializer},
        auth=[],
        summary="Register",
    )
    def post(self, request: Request) -> Response:
        """Create an account (no domain permissions) and log it in.

        Runs the password validators; a username or e-mail already taken, in any letter
        case, is refused, and said so only when nothing else is wrong with the request (an
        answer refused for another reason is the same whether they exist or not). 403
        `registration_closed` when registration is switched off (the default in
        production); 429 with `Retry-After` past REGISTRATION_RATE attempts per client.
        """
        data = s.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(request=request._request, **data.validated_data)
        return Response(s.user_summary(user), status=status.HTTP_201_CREATED)


class LogoutApi(NoStoreMixin, APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: s.MessageSerializer}, summary="Log out")
    def post(self, request: Request) -> Response:
        """End the session; it is deleted server-side, so a replayed cookie gets 401."""
        services.user_logout(request=request._request)
        return Response(s.LOGOUT_BODY)


class UserApi(NoStoreMixin, APIView):
    @extend_schema(tags=TAGS, responses={200: s.UserDetailSerializer}, summary="Current user")
    def get(self, request: Request) -> Response:
        """The logged-in user."""
        return Response(s.user_detail(cast(User, request.user)))


class ProtectedApi(UserApi):
    @extend_schema(tags=TAGS, responses={200: s.UserDetailSerializer}, summary="Protected example")
    def get(self, request: Request) -> Response:
        """The example endpoint that needs a session, kept from the original API: answers
        like `/api/user/`, and 401 without a session."""
        return super().get(request)


class CsrfApi(NoStoreMixin, APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses={200: s.CsrfSerializer}, auth=[], summary="CSRF token")
    def get(self, request: Request) -> Response:
        """Set the `csrftoken` cookie and return its value (for SPAs, before logging in)."""
        return Response({"csrf_token": get_token(request._request)})


class SessionApi(NoStoreMixin, APIView):
    permission_classes = [AllowAny]
    # Polling the session's status must not keep it alive.
    session_passive = True

    @extend_schema(tags=TAGS, responses={200: s.SessionStatusSerializer}, summary="Session status")
    def get(self, request: Request) -> Response:
        """Whether the caller is logged in, who as, and when the session ends if idle."""
        return Response(s.session_body(request._request))


class PasswordChangeApi(NoStoreMixin, APIView):
    @extend_schema(
        tags=TAGS,
        request=s.PasswordChangeInputSerializer,
        responses={200: s.MessageSerializer},
        summary="Change password",
    )
    def post(self, request: Request) -> Response:
        """Change the password. This session stays; the user's other sessions end."""
        data = s.PasswordChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_change_password(
            request=request._request, user=cast(User, request.user), **data.validated_data
        )
        return Response({"message": "Password changed"})


def _owner_id(request: Request) -> int:
    """Whose sessions: the caller's, or with `?user=<id>` anybody's for administrators."""
    caller = current_user(request)
    wanted = request.query_params.get("user")
    if wanted in (None, ""):
        return int(caller.pk)
    try:
        owner = int(wanted)
    except ValueError:
        raise InvalidInput(fields={"user": [gettext("Must be a user id.")]}) from None
    needed = "accounts.view_sesion" if request.method == "GET" else "accounts.delete_sesion"
    if owner != caller.pk and not caller.has_perm(needed):
        raise PermissionDenied(gettext("Only administrators may see or end other users' sessions."))
    return owner


_USER_PARAM = OpenApiParameter(
    "user",
    int,
    description="Administrators: another user's sessions (default, or empty: your own).",
    extensions=EMPTY_IS_ABSENT,
)


class SessionListApi(NoStoreMixin, APIView):
    extra_error_codes = ["400", "403"]

    @extend_schema(
        tags=TAGS,
        parameters=[_USER_PARAM],
        responses={200: s.SessionListSerializer},
        summary="Your sessions",
    )
    def get(self, request: Request) -> Response:
        """Where you are logged in: every live session, most recently used first.
        `last_seen_at` may lag by the refresh interval (reads write nothing)."""
        live = selectors.live_sessions(_owner_id(request))
        current = request.session.session_key
        return Response({"sessions": [s.session_item(one, current) for one in live]})


class SessionDetailApi(NoStoreMixin, APIView):
    extra_error_codes = ["400", "403", "404"]

    @extend_schema(
        tags=TAGS, parameters=[_USER_PARAM], responses={204: None}, summary="End a session"
    )
    def delete(self, request: Request, session_id: str) -> Response:
        """End one session: it stops working at once, on every app server. Someone else's
        id is 404 (administrators name the owner with `?user=`)."""
        services.session_end(
            owner_id=_owner_id(request), public_id=session_id, request=request._request
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RevokeOthersApi(NoStoreMixin, APIView):
    @extend_schema(
        tags=TAGS, request=None, responses={200: s.RevokedSerializer}, summary="End others"
    )
    def post(self, request: Request) -> Response:
        """End every other session of yours; this one stays."""
        ended = services.sessions_end_others(
            request=request._request, owner_id=int(current_user(request).pk)
        )
        return Response({"revoked": ended})


class LoginHistoryApi(NoStoreMixin, APIView):
    extra_error_codes = ["400", "404"]

    @extend_schema(
        tags=TAGS,
        parameters=filter_parameters(
            selectors.EventoFilter,
            {
                "user": "Administrators: one user's events (default: everybody's).",
                "result": "Only events with this result.",
                "desde": "From this moment (ISO 8601).",
                "hasta": "Until this moment (ISO 8601).",
            },
        ),
        responses={200: s.LoginHistoryPageSerializer},
        summary="Login history",
    )
    def get(self, request: Request) -> Response:
        """Your logins, failed attempts, lock-outs, logouts, expiries and ended sessions,
        newest first. Administrators see everybody's and may filter by `user`."""
        caller = current_user(request)
        everybody = caller.has_perm("actividad.view_registroactividad")
        if not everybody and request.query_params.get("user") not in (None, "", str(caller.pk)):
            raise PermissionDenied(
                gettext("Only administrators may see other users' login history.")
            )
        events = selectors.login_history(
            request.query_params, only_user_id=None if everybody else int(caller.pk)
        )
        page, meta = paginate(events, request.query_params)
        return Response({"events": [history.event_item(e) for e in page], **meta})


# --- two-factor -------------------------------------------------------------------------------

MFA_TAGS = ["mfa"]


class MfaStatusApi(NoStoreMixin, APIView):
    @extend_schema(tags=MFA_TAGS, responses={200: s.MfaStatusSerializer}, summary="MFA status")
    def get(self, request: Request) -> Response:
        """Whether your authenticator is on, how many recovery codes are left, and whether
        your role requires two-factor."""
        return Response(s.mfa_status_body(mfa.mfa_status(current_user(request))))


def _reauth(data: dict[str, Any]) -> dict[str, str]:
    return {"password": data.get("password", ""), "current_code": data.get("current_code", "")}


class TotpSetupApi(NoStoreMixin, APIView):
    extra_error_codes = ["400", "429"]

    @extend_schema(
        tags=MFA_TAGS,
        request=s.ReauthInputSerializer,
        responses={200: s.TotpSetupSerializer},
        summary="TOTP setup",
    )
    def post(self, request: Request) -> Response:
        """A new secret for an authenticator app, as text, otpauth:// URI and QR code (SVG),
        given your `password` (or, with two-factor on, a `current_code` of your app): a live
        session alone cannot replace the second factor. A wrong one counts as a failed login
        (429 with Retry-After after too many). Nothing changes until a code from the new
        secret is confirmed; an authenticator already on keeps working until then."""
        data = s.ReauthInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        setup = mfa.totp_setup(
            request=request._request, user=current_user(request), **_reauth(data.validated_data)
        )
        return Response(setup)


class TotpConfirmApi(NoStoreMixin, APIView):
    extra_error_codes = ["400", "409", "429"]

    @extend_schema(
        tags=MFA_TAGS,
        request=s.TotpConfirmInputSerializer,
        responses={200: s.RecoveryCodesSerializer},
        summary="TOTP confirm",
    )
    def post(self, request: Request) -> Response:
        """Turn two-factor on with a `code` from the app just set up, and your `password` (or
        a `current_code` of the authenticator it replaces). Answers 10 single-use recovery
        codes, shown only this once. 409 without a setup before it; a wrong password or
        current code counts as a failed login."""
        data = s.TotpConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        codes = mfa.totp_confirm(
            request=request._request,
            user=current_user(request),
            code=data.validated_data["code"],
            **_reauth(data.validated_data),
        )
        return Response({"recovery_codes": codes})


class TotpApi(NoStoreMixin, APIView):
    extra_error_codes = ["400", "403", "404", "429"]

    @extend_schema(
        tags=MFA_TAGS,
        request=s.PasswordInputSerializer,
        responses={204: None},
        summary="TOTP off",
    )
    def delete(self, request: Request) -> Response:
        """Turn two-factor off (authenticator and recovery codes), given your password. A
        wrong password counts as a failed login. 403 `mfa_required_by_policy` when your role
        requires two-factor; 404 when it is not on."""
        data = s.PasswordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mfa.totp_disable(
            request=request._request,
            user=current_user(request),
            password=data.validated_data["password"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecoveryCodesApi(NoStoreMixin, APIView):
    extra_error_codes = ["400", "409", "429"]

    @extend_schema(
        tags=MFA_TAGS,
        request=s.ReauthInputSerializer,
        responses={200: s.RecoveryCodesSerializer},
        summary="New recovery codes",
    )
    def post(self, request: Request) -> Response:
        """10 new recovery codes, given your `password` (or a `current_code` of your app);
        the old ones stop working. 409 while two-factor is off; a wrong password or code
        counts as a failed login."""
        data = s.ReauthInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        codes = mfa.recovery_codes_regenerate(
            request=request._request, user=current_user(request), **_reauth(data.validated_data)
        )
        return Response({"recovery_codes": codes})
