"""OpenAPI generation: the session cookie scheme and every endpoint's error responses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse

from sascop.core.serializers import ErrorSerializer

_ERROR_TEXT = {
    "400": "Invalid input or malformed JSON (`invalid`), with `fields`.",
    "401": "Not logged in (`not_authenticated`) or session over (`session_expired`).",
    "403": "Missing permission (`permission_denied`) or CSRF token (`csrf_failed`).",
    "404": "No such resource (`not_found`).",
    "405": "Method not allowed on this path (`method_not_allowed`).",
    "409": "Conflicts with existing data (`conflict`), e.g. a duplicate.",
    "412": "If-Match names an old version (`precondition_failed`); fetch it again.",
    "413": "Body too large (`payload_too_large`).",
    "415": "Body not sent as application/json (`unsupported_media_type`).",
    "429": "Too many attempts (`throttled`); see `Retry-After`.",
    "500": "Unexpected error (`server_error`).",
    "503": "The database is not answering (`service_unavailable`).",
}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "sascop.core.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": (
                "Django session cookie, set by POST /api/login/. Unsafe methods also need "
                f"the `{settings.CSRF_COOKIE_NAME}` cookie's value in the X-CSRFToken header."
            ),
        }


class AutoSchema(openapi.AutoSchema):
    """Adds the error envelope responses that apply to each operation."""

    def _error_codes(self) -> list[str]:
        codes = ["500", "503"]
        has_body = self.method in {"POST", "PUT", "PATCH"}
        if has_body:
            codes += ["400", "413", "415"]
        if self.get_auth() and {} not in self.get_auth():
            codes.append("401")
        if has_body or self.method == "DELETE" or self.get_auth():
            codes.append("403")
        if "{" in self.path:
            codes.append("404")
        codes += getattr(self.view, "extra_error_codes", [])
        return sorted(set(codes))

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=_ERROR_TEXT[code]), code
                )
        return responses
