"""The two-factor enrolment gate (see accounts.mfa)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from sascop.accounts.mfa import ENROL_KEY, MfaEnrolmentRequired
from sascop.core.errors import error_response, wants_json

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

    It reads a flag the login left in the session, so it costs no query per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.session.get(ENROL_KEY) or request.path.startswith(ALLOWED_PREFIXES):
            return self.get_response(request)
        if wants_json(request):
            return error_response(MfaEnrolmentRequired(redirect=ENROLMENT_PAGE))
        return redirect(ENROLMENT_PAGE)
