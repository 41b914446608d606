"""Middleware for the session policy, body limits and JSON errors on API paths."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header

from sascop.core.errors import (
    InvalidInput,
    PayloadTooLarge,
    RequestHeaderFieldsTooLarge,
    UriTooLong,
    error_response,
    status_error,
    to_application_error,
    wants_json,
)
from sascop.core.http.error_views import error_answer
from sascop.core.sessions import policy
from sascop.core.signals import session_expired

GetResponse = Callable[[HttpRequest], HttpResponse]


class ApiErrorMiddleware:
    """Outermost safety net: an error answered to an API client is always the JSON envelope.

    Django's own answers (its 404/405 pages, the debug 500 page, responses produced by
    middleware) are HTML; this replaces them for requests that want JSON.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not wants_json(request):
            return response
        if "json" in response.get("Content-Type", ""):
            return response
        replacement = error_response(status_error(response.status_code))
        # Keep what inner middleware said about the answer itself (CORS headers among it),
        # so a cross-origin client can read the JSON error.
        for header, value in response.items():
            lowered = header.lower()
            if lowered in {"allow", "vary"} or lowered.startswith("access-control-"):
                replacement[header] = value
        return replacement

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's exception, answered as the envelope for API clients (Django's debug 500
        page would otherwise hide what it was: a 503 for a database that is down, say)."""
        if not wants_json(request):
            return None
        return error_response(to_application_error(exception, request))


def api_language(request: HttpRequest) -> str:
    """The language of an API answer's human messages: Spanish when the client's
    Accept-Language prefers Spanish (any variant) to English, English otherwise, and English
    when it names neither or sends none (the contracts' bodies)."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        primary = code.partition("-")[0]
        if primary == "es":
            return "es-mx"
        if primary == "en":
            return "en"
    return "en"


class ApiLanguageMiddleware:
    """JSON answers speak the client's language (api_language); HTML pages and the admin are
    always the users' es-MX (LANGUAGE_CODE; there is no per-user choice).

    It sits outside ApiErrorMiddleware so that the envelopes that one builds are translated
    too; a JSON answer varies with Accept-Language."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not wants_json(request):
            return self.get_response(request)
        with translation.override(api_language(request)):
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        return response


def _header_bytes(request: HttpRequest) -> int:
    """The size of the request's header names and values, as the server received them."""
    return sum(
        len(name) - len("HTTP_") + len(str(value))
        for name, value in request.META.items()
        if name.startswith("HTTP_")
    )


class RequestHeadMiddleware:
    """Refuse, in the error envelope, a request whose URL or headers the app will not serve.

    gunicorn refuses a request line or header beyond its own limits with an HTML page (see
    config/gunicorn.conf.py); these limits sit below them, so what gets this far gets JSON.
    A NUL character in a query parameter is refused here for every view at once: no
    database can store or compare it (PostgreSQL raises on it), and no list filters on it.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        url_limit = settings.MAX_URL_LENGTH
        if len(request.get_full_path()) > url_limit:
            return error_answer(
                request,
                UriTooLong(
                    gettext("The URL may not exceed %(limit)d characters.") % {"limit": url_limit}
                ),
            )
        header_limit = settings.MAX_REQUEST_HEADER_BYTES
        if _header_bytes(request) > header_limit:
            return error_answer(
                request,
                RequestHeaderFieldsTooLarge(
                    gettext("The request headers may not exceed %(limit)d bytes in all.")
                    % {"limit": header_limit}
                ),
            )
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            try:
                names = sorted(
                    name
                    for name, values in request.GET.lists()
                    if "\x00" in name or any("\x00" in value for value in values)
                )
            except TooManyFieldsSent as exc:
                return error_answer(request, to_application_error(exc, request))
            if names:
                message = gettext("Null characters are not allowed.")
                return error_answer(
                    request,
                    InvalidInput(
                        fields={name.replace("\x00", "\\u0000"): [message] for name in names}
                    ),
                )
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse an oversized body with 413 before anything reads it.

    Django enforces DATA_UPLOAD_MAX_MEMORY_SIZE only when `request.body` is read, and DRF's
    parsers read the stream directly; checking the declared length here covers both.
    Views that take file uploads (`accepts_uploads = True` on the class, or on a function
    view) get MAX_UPLOAD_BODY_BYTES
    instead; which view a request goes to is known only once the URL is resolved, so a body
    between the two limits is judged in `process_view`, still before anything reads it.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    @staticmethod
    def _length(request: HttpRequest) -> int:
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0

    @staticmethod
    def _refuse(limit: int) -> HttpResponse:
        return error_response(
            PayloadTooLarge(
                gettext("The request body may not exceed %(limit)d bytes.") % {"limit": limit}
            )
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            limit = max(limit, settings.MAX_UPLOAD_BODY_BYTES)
            if self._length(request) > limit:
                return self._refuse(limit)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
        # A page (a function) that takes uploads carries the flag itself.
        if getattr(view_class or view_func, "accepts_uploads", False):
            limit = settings.MAX_UPLOAD_BODY_BYTES
        if limit is not None and self._length(request) > limit:
            return self._refuse(limit)
        return None


class SessionCookieCapMiddleware:
    """The session cookie a response sets never outlives the session's absolute cap
    (SESSION_ABSOLUTE_AGE from its login): its Max-Age is what is left of it.

    The stored session outlives the cap by one idle period, so that a client presenting
    its cookie late is told "your session expired" (core.sessions.policy); the browser keeping
    the cookie that long serves nothing. Sits outside SessionMiddleware, which sets it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
        session = getattr(request, "session", None)
        if cookie is None or not cookie.value or not cookie["max-age"] or session is None:
            return response
        auth_at = session.get(policy.AUTH_AT)
        if auth_at is None:
            return response
        now = time.time()
        left = max(0, int(auth_at + settings.SESSION_ABSOLUTE_AGE - now))
        if int(cookie["max-age"]) > left:
            cookie["max-age"] = left
            cookie["expires"] = http_date(now + left)
        return response


class SessionPolicyMiddleware:
    """Enforce the idle timeout and the absolute cap, and slide the idle window cheaply.

    Sits just inside SessionMiddleware: an expired session loses its user server-side before
    authentication sees it, and a due refresh is written by SessionMiddleware on the way out.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        now = time.time()
        if policy.is_authenticated_session(session) and policy.is_expired(session, now):
            user_id = session.get(SESSION_KEY)
            policy.mark_expired(session)
            session_expired.send(sender=type(self), request=request, user_id=user_id)
        response = self.get_response(request)
        if (
            policy.is_authenticated_session(session)
            and not _is_passive(request)
            and response.status_code < 500
        ):
            policy.refresh_if_due(session, now)
        return response


def _is_passive(request: HttpRequest) -> bool:
    """Whether the view that answered declares `session_passive = True` (status polling):
    such a request is not activity and does not extend the session."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    return bool(getattr(view_class, "session_passive", False))
