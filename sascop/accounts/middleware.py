"""Who the request's user is, and the two-factor enrolment gate (see accounts.mfa)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    load_backend,
)
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from sascop.accounts.backends import UsernameOrEmailBackend
from sascop.accounts.mfa import MfaEnrolmentRequired, enrolment_required_now
from sascop.accounts.models import User
from sascop.core.errors import error_response, wants_json


def usuario_de_la_sesion(request: HttpRequest) -> User | AnonymousUser:
    """The user the request's session is logged in as, or AnonymousUser.

    Django's `auth.get_user`, with one difference: the user row the session's own read
    brought along (`SessionStore.usuario_leido`, see core.session_store) is handed to the
    backend, which then need not read it again. The checks are Django's: the backend the
    login used must still be configured, the user must still be allowed to log in, and the
    session's password hash must match the user's (or a fallback secret's, then the session
    is re-keyed); otherwise the session is flushed.
    """
    session: Any = request.session
    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    backend = load_backend(backend_path)
    if isinstance(backend, UsernameOrEmailBackend):
        user = backend.get_user(user_id, leido=getattr(session, "usuario_leido", None))
    else:
        user = backend.get_user(user_id)
    if user is None:
        return AnonymousUser()
    stored_hash = session.get(HASH_SESSION_KEY)
    current_hash = user.get_session_auth_hash()
    if stored_hash and constant_time_compare(stored_hash, current_hash):
        return user
    if stored_hash and any(
        constant_time_compare(stored_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[HASH_SESSION_KEY] = current_hash
        return user
    session.flush()
    return AnonymousUser()


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's AuthenticationMiddleware (`request.user`, `request.auser`), resolving the
    user with `usuario_de_la_sesion`."""

    def process_request(self, request: HttpRequest) -> None:
        user: Any = SimpleLazyObject(lambda: usuario_de_la_sesion(request))
        request.user = user

        async def auser() -> Any:
            await sync_to_async(getattr)(user, "pk")  # resolved (queries) off the event loop
            return user

        request.auser = auser


# What a session held to enrolment may still reach: enrolling, its own session and the
# sessions list, logging out (or in as someone else), the CSRF token, static files.
ALLOWED_PREFIXES = (
    "/api/mfa/",
    "/api/login/",
    "/api/logout/",
    "/api/session/",
    "/api/sessions/",
    "/api/user/",
    "/api/csrf/",
    "/accounts/",
    "/cuenta/mfa/",
    "/cuenta/sesiones/",
    "/healthz",
    "/static/",
)
ENROLMENT_PAGE = "/cuenta/mfa/"


class MfaEnrolmentMiddleware:
    """A user whose role requires two-factor and who logged in without it can do nothing
    but enrol: API calls get 403 `mfa_enrolment_required`, pages go to the enrolment page.

    Asked on every request, not only at login: a session opened before the user's role came
    to require two-factor (or before an administrator removed the user's authenticator) is
    held as the login would hold it. The answer is cached per user (accounts.mfa), so most
    requests cost a cache read and no query; with MFA_REQUIRED_GROUPS empty, nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.MFA_REQUIRED_GROUPS or request.path.startswith(ALLOWED_PREFIXES):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated or not enrolment_required_now(user):
            return self.get_response(request)
        if wants_json(request):
            return error_response(MfaEnrolmentRequired(redirect=ENROLMENT_PAGE))
        return redirect(ENROLMENT_PAGE)
