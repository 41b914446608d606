"""Typed errors built from the service's error envelope (`{"error", "code", "detail"}`)."""

from __future__ import annotations

from typing import Any


class SascopError(Exception):
    """Any error answer from the service. `status`, `code` and the parsed `body` are kept."""

    def __init__(self, status: int, code: str, body: Any, message: str | None = None) -> None:
        self.status = status
        self.code = code
        self.body = body
        detail = body.get("detail") if isinstance(body, dict) else None
        super().__init__(message or detail or f"HTTP {status} ({code})")


class AuthenticationRequired(SascopError):
    """401: not logged in."""


class SessionExpired(AuthenticationRequired):
    """401 `session_expired`: the session ended (idle, capped, logged out elsewhere)."""


class InvalidCredentials(AuthenticationRequired):
    """401 `invalid_credentials`: wrong username or password."""


class CSRFFailed(SascopError):
    """403 `csrf_failed`."""


class PermissionDenied(SascopError):
    """403 `permission_denied` (or `registration_closed`)."""


class ValidationError(SascopError):
    """400: the request was refused; `fields` maps each field to its messages."""

    @property
    def fields(self) -> dict[str, list[str]]:
        return dict(self.body.get("fields") or {}) if isinstance(self.body, dict) else {}


class NotFound(SascopError):
    """404."""


class Conflict(SascopError):
    """409: a duplicate, or a state that forbids the change."""


class PreconditionFailed(SascopError):
    """412: the If-Match ETag is stale; fetch the record again."""


class RateLimited(SascopError):
    """429: too many attempts; `retry_after` is how many seconds to wait."""

    @property
    def retry_after(self) -> int | None:
        value = self.body.get("retry_after") if isinstance(self.body, dict) else None
        return int(value) if value is not None else None


class ServerError(SascopError):
    """5xx."""


class ServiceUnavailable(ServerError):
    """503: a backing service is down; try again shortly."""


_BY_CODE: dict[str, type[SascopError]] = {
    "not_authenticated": AuthenticationRequired,
    "session_expired": SessionExpired,
    "invalid_credentials": InvalidCredentials,
    "invalid_mfa_code": InvalidCredentials,
    "csrf_failed": CSRFFailed,
    "permission_denied": PermissionDenied,
    "registration_closed": PermissionDenied,
    "invalid": ValidationError,
    "not_found": NotFound,
    "conflict": Conflict,
    "precondition_failed": PreconditionFailed,
    "throttled": RateLimited,
    "server_error": ServerError,
    "service_unavailable": ServiceUnavailable,
}
_BY_STATUS: dict[int, type[SascopError]] = {
    400: ValidationError,
    401: AuthenticationRequired,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    429: RateLimited,
    503: ServiceUnavailable,
}


def error_for(status: int, body: Any) -> SascopError:
    code = body.get("code") if isinstance(body, dict) else None
    error_type = _BY_CODE.get(code or "") or _BY_STATUS.get(status)
    if error_type is None:
        error_type = ServerError if status >= 500 else SascopError
    return error_type(status, code or f"http_{status}", body)
