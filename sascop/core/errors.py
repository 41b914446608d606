"""The error envelope of SPEC §6 and the typed errors services raise.

Every error the service answers, whichever layer notices it (a service, DRF, Django's CSRF
check, a 404 for an unknown path, an unreachable database), goes through `envelope_for()`
so that clients see one shape: `{"error", "code", "detail", ...}`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf

from sascop.core.api.cache_policy import NO_STORE
from sascop.core.api.responses import json_response
from sascop.core.sessions.policy import session_lost

logger = logging.getLogger("sascop.errors")

API_PREFIXES = ("/api/", "/operaciones/api/")
# Machine endpoints outside those prefixes: probes send any Accept header and parse JSON.
JSON_PATHS = frozenset({"/healthz"})


class ApplicationError(Exception):
    """Base of the errors raised by services; each maps to one status and code."""

    status: int = 400
    code: str = "invalid"
    error: str = "Invalid request"
    # The class's detail is a lazy English msgid; an instance's is the sentence in the language
    # active when it was raised (the request's: ApiLanguageMiddleware). `error` and `code` stay
    # English and stable for clients to match.
    detail: str | Promise = _("The request could not be processed.")

    def __init__(
        self,
        detail: str | Promise | None = None,
        *,
        fields: dict[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        self.detail = str(detail or type(self).detail)
        self.fields = fields
        self.extra = extra
        super().__init__(self.detail)

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.error, "code": self.code, "detail": self.detail}
        if self.fields:
            body["fields"] = self.fields
        body.update(self.extra)
        return body


class InvalidInput(ApplicationError):
    status = 400
    code = "invalid"
    error = "Invalid input"
    detail = _("The submitted data is not valid.")


class MalformedRequest(ApplicationError):
    status = 400
    code = "invalid"
    error = "Malformed request"
    detail = _("The request body could not be parsed.")


class NotAuthenticated(ApplicationError):
    status = 401
    code = "not_authenticated"
    error = "Authentication required"
    detail = _("Authentication credentials were not provided.")

    def payload(self) -> dict[str, Any]:
        return {**super().payload(), "redirect": settings.LOGIN_URL}


class SessionExpired(NotAuthenticated):
    code = "session_expired"
    error = "Session expired"
    detail = _("Your session has expired. Please log in again.")

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        body["redirect"] = f"{settings.LOGIN_URL}?session_expired=1"
        return body


class InvalidCredentials(ApplicationError):
    status = 401
    code = "invalid_credentials"
    error = "Invalid credentials"
    detail = _("The username or password is incorrect.")


class CSRFFailed(ApplicationError):
    status = 403
    code = "csrf_failed"
    error = "CSRF verification failed"
    detail = _("The CSRF token is missing or invalid.")


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"
    error = "Permission denied"
    detail = _("You do not have permission to perform this action.")


class RegistrationClosed(ApplicationError):
    status = 403
    code = "registration_closed"
    error = "Registration closed"
    detail = _("New accounts cannot be registered on this server.")


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    error = "Not found"
    detail = _("The requested resource was not found.")


class MethodNotAllowed(ApplicationError):
    status = 405
    code = "method_not_allowed"
    error = "Method not allowed"
    detail = _("This method is not allowed on this resource.")


class NotAcceptable(ApplicationError):
    status = 406
    code = "not_acceptable"
    error = "Not acceptable"
    detail = _("The requested representation is not available; ask for application/json.")


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    error = "Conflict"
    detail = _("The request conflicts with the current state of the resource.")


class PreconditionFailed(ApplicationError):
    status = 412
    code = "precondition_failed"
    error = "Precondition failed"
    detail = _("The resource has changed since you read it; fetch it again and retry.")


class PayloadTooLarge(ApplicationError):
    status = 413
    code = "payload_too_large"
    error = "Payload too large"
    detail = _("The request body is larger than the server accepts.")


class UriTooLong(ApplicationError):
    status = 414
    code = "uri_too_long"
    error = "URI too long"
    detail = _("The request URL is longer than the server accepts.")


class UnsupportedMediaType(ApplicationError):
    status = 415
    code = "unsupported_media_type"
    error = "Unsupported media type"
    detail = _("Send the request body as application/json.")


class RequestHeaderFieldsTooLarge(ApplicationError):
    status = 431
    code = "request_header_fields_too_large"
    error = "Request header fields too large"
    detail = _("The request headers are larger than the server accepts.")


class Throttled(ApplicationError):
    status = 429
    code = "throttled"
    error = "Too many requests"
    detail = _("Too many requests; try again later.")

    def __init__(
        self, detail: str | Promise | None = None, *, retry_after: int, **extra: Any
    ) -> None:
        super().__init__(detail, retry_after=retry_after, **extra)
        self.retry_after = retry_after


class ServerError(ApplicationError):
    status = 500
    code = "server_error"
    error = "Server error"
    detail = _("An unexpected error occurred. It has been logged.")


class ServiceUnavailable(ApplicationError):
    status = 503
    code = "service_unavailable"
    error = "Service unavailable"
    detail = _("A backing service (the database) is not answering. Try again shortly.")


_DRF_ERRORS: dict[type[drf.APIException], type[ApplicationError]] = {
    drf.ParseError: MalformedRequest,
    drf.NotFound: NotFound,
    drf.MethodNotAllowed: MethodNotAllowed,
    drf.NotAcceptable: NotAcceptable,
    drf.UnsupportedMediaType: UnsupportedMediaType,
    drf.PermissionDenied: PermissionDenied,
}


def wants_json(request: HttpRequest) -> bool:
    """API paths, JSON bodies and clients that ask for JSON get JSON errors."""
    if request.path.startswith(API_PREFIXES) or request.path in JSON_PATHS:
        return True
    if request.content_type == "application/json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept or "+json" in accept


def _fields_from(data: Any) -> dict[str, list[str]]:
    if isinstance(data, dict):
        return {str(key): _messages(value) for key, value in data.items()}
    return {"non_field_errors": _messages(data)}


def _messages(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out.extend(_messages(item))
        return out
    if isinstance(value, dict):
        return [f"{key}: {msg}" for key, inner in value.items() for msg in _messages(inner)]
    return [str(value)]


def authentication_error(request: HttpRequest | None) -> NotAuthenticated:
    """401 for an anonymous caller: `session_expired` if it had a session we no longer honour
    (idle, capped, logged out, or ended by a password change), else `not_authenticated`."""
    if request is not None and session_lost(request):
        return SessionExpired()
    return NotAuthenticated()


def to_application_error(exc: BaseException, request: HttpRequest | None) -> ApplicationError:
    """Translate any exception into the typed error that describes it to a client."""
    if isinstance(exc, ApplicationError):
        return exc
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        return authentication_error(request)
    if isinstance(exc, drf.ValidationError):
        return InvalidInput(fields=_fields_from(exc.detail))
    if isinstance(exc, drf.Throttled):
        return Throttled(retry_after=int(getattr(exc, "wait", None) or 1))
    for drf_type, app_type in _DRF_ERRORS.items():
        if isinstance(exc, drf_type):
            return app_type(str(exc.detail))
    if isinstance(exc, drf.APIException):
        error = ApplicationError(str(exc.detail))
        error.status = exc.status_code
        return error
    if isinstance(exc, Http404):
        return NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return PermissionDenied()
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return PayloadTooLarge()
    if isinstance(exc, DjangoValidationError):
        data = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return InvalidInput(fields=_fields_from(data))
    if isinstance(exc, MultiPartParserError):
        # Its message may echo the client's header; the detail stays fixed.
        return MalformedRequest(
            gettext(
                "The multipart/form-data body could not be parsed (missing or invalid boundary)."
            )
        )
    if isinstance(exc, BadRequest | SuspiciousOperation):
        return MalformedRequest(gettext("The request was malformed."))
    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable: %s", exc)
        return ServiceUnavailable()
    if isinstance(exc, DatabaseError):
        logger.exception("Database error", exc_info=exc)
        return ServerError()
    logger.exception("Unhandled error", exc_info=exc)
    return ServerError()


def error_headers(error: ApplicationError) -> dict[str, str]:
    headers = {"Cache-Control": NO_STORE}
    if isinstance(error, Throttled):
        headers["Retry-After"] = str(error.retry_after)
    elif isinstance(error, ServiceUnavailable):
        headers["Retry-After"] = "5"
    elif isinstance(error, NotAuthenticated | InvalidCredentials):
        headers["WWW-Authenticate"] = 'Session realm="sascop"'
    return headers


def error_response(error: ApplicationError) -> JsonResponse:
    return json_response(error.payload(), status=error.status, headers=error_headers(error))


def status_error(status: int) -> ApplicationError:
    """The error for a bare status code, when only a status is known (Django's handlers)."""
    by_status: dict[int, type[ApplicationError]] = {
        400: MalformedRequest,
        401: NotAuthenticated,
        403: PermissionDenied,
        404: NotFound,
        405: MethodNotAllowed,
        406: NotAcceptable,
        409: Conflict,
        412: PreconditionFailed,
        413: PayloadTooLarge,
        414: UriTooLong,
        415: UnsupportedMediaType,
        431: RequestHeaderFieldsTooLarge,
        503: ServiceUnavailable,
    }
    error_type = by_status.get(status)
    if error_type is not None:
        return error_type()
    error = ServerError() if status >= 500 else InvalidInput()
    error.status = status
    return error
