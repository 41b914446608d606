"""OpenAPI generation: the session cookie scheme, every endpoint's error responses, and the
query parameters of lists, read from the very filters that parse them."""

from __future__ import annotations

from typing import Any

import django_filters
from django.conf import settings
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import permissions, serializers

from sascop.core import excel
from sascop.core.api.pagination import Paginacion
from sascop.core.api.serializers import ErrorSerializer

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
    target_class = "sascop.core.api.authentication.SessionAuthentication"
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


# Every query parameter refuses a NUL character (RequestHeadMiddleware: PostgreSQL cannot
# store one); free-text parameters say so, so that clients and generated tests know.
NO_NUL_PATTERN = "^[^\x00]*$"


def no_nul(schema: dict[str, Any]) -> dict[str, Any]:
    """Mark a free-text string schema (no format, enum or pattern of its own) as NUL-free."""
    if schema.get("type") == "string" and not {"format", "enum", "pattern"} & set(schema):
        schema["pattern"] = NO_NUL_PATTERN
    items = schema.get("items")
    if isinstance(items, dict):
        no_nul(items)
    return schema


class AutoSchema(openapi.AutoSchema):
    """Adds the error envelope responses that apply to each operation, and describes decimal
    strings as DRF parses them."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter.pop(_EMPTY_IS_ABSENT, False):
                parameter["allowEmptyValue"] = True
            if parameter.get("in") == "query":
                no_nul(parameter.get("schema", {}))
        return operation

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and schema.get("format") == "decimal":
            # drf-spectacular's pattern lets "" and "-" through; DRF refuses both. Digits are
            # required on each side of the point, and no sign when negatives are refused.
            whole = field.max_whole_digits
            sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
            digits = rf"\d{{1,{whole}}}" if whole is not None else r"\d+"
            places = rf"(?:\.\d{{1,{field.decimal_places}}})?" if field.decimal_places else ""
            schema["pattern"] = f"^{sign}{digits}{places}$"
        return schema

    def _error_codes(self) -> list[str]:
        codes = ["500", "503"]
        has_body = self.method in {"POST", "PUT", "PATCH"}
        if has_body:
            codes += ["400", "413", "415"]
        if self.get_auth() and {} not in self.get_auth():
            codes.append("401")
        # Unsafe methods need the CSRF token; a read is refused only by a permission check
        # beyond "logged in" (a model permission, the dashboard's role).
        if has_body or self.method == "DELETE" or self._may_refuse_reads():
            codes.append("403")
        if "{" in self.path:
            codes.append("404")
        codes += getattr(self.view, "extra_error_codes", [])
        return sorted(set(codes))

    def _may_refuse_reads(self) -> bool:
        plain = (permissions.AllowAny, permissions.IsAuthenticated)
        return any(
            not (isinstance(check, type) and issubclass(check, plain))
            for check in getattr(self.view, "permission_classes", [])
        )

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


# Marks a query parameter whose empty value (`?fecha_desde=`) counts as leaving it out; the
# document says so with `allowEmptyValue`, which OpenApiParameter cannot set by itself.
_EMPTY_IS_ABSENT = "x-empty-is-absent"
_EMPTY = {_EMPTY_IS_ABSENT: True}
# For parameters declared by hand: an empty value means "not given".
EMPTY_IS_ABSENT = _EMPTY

PAGE_PARAMETERS = [
    OpenApiParameter(
        Paginacion.page_query_param,
        {"type": "integer", "minimum": 1},
        description="Page number, from 1.",
        extensions=_EMPTY,
    ),
    OpenApiParameter(
        Paginacion.page_size_query_param,
        {"type": "integer", "minimum": 1, "maximum": Paginacion.max_page_size},
        description=f"Page size, 1 to {Paginacion.max_page_size} (default {Paginacion.page_size}).",
        extensions=_EMPTY,
    ),
]


def _filter_schema(flt: django_filters.Filter) -> dict[str, Any]:
    if isinstance(flt, django_filters.OrderingFilter):
        fields = list(flt.param_map)
        return {"type": "string", "enum": [*fields, *(f"-{name}" for name in fields)]}
    if isinstance(flt, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        values = [value for value, _label in flt.extra["choices"]]
        return {
            "type": "integer" if all(isinstance(v, int) for v in values) else "string",
            "enum": values,
        }
    if isinstance(flt, django_filters.NumberFilter):
        return {"type": "integer"}
    if isinstance(flt, django_filters.BooleanFilter):
        return {"type": "boolean"}
    if isinstance(flt, django_filters.IsoDateTimeFilter):
        return {"type": "string", "format": "date-time"}
    if isinstance(flt, django_filters.DateFilter):
        return {"type": "string", "format": "date"}
    return {"type": "string"}


def filter_parameters(
    filterset: type[django_filters.FilterSet], descriptions: dict[str, str] | None = None
) -> list[OpenApiParameter]:
    """The query parameters a FilterSet accepts, typed as it parses them (plus the page)."""
    parameters = []
    for name, flt in filterset.base_filters.items():
        schema = _filter_schema(flt)
        many = isinstance(flt, django_filters.MultipleChoiceFilter)
        parameters.append(
            OpenApiParameter(
                name,
                # Repeatable (`?estatus=1&estatus=2`): form style, exploded, as OpenAPI's default.
                {"type": "array", "items": schema} if many else schema,
                description=(descriptions or {}).get(name, ""),
                extensions=_EMPTY,
            )
        )
    return [*parameters, *PAGE_PARAMETERS]


def list_responses(page: type[serializers.Serializer]) -> dict[Any, Any]:
    """A list's 200s: its JSON page (`page`), or with `formato=xlsx` the workbook."""
    return {
        (200, "application/json"): page,
        (200, excel.XLSX): OpenApiResponse(
            OpenApiTypes.BINARY, description="With `formato=xlsx`: the workbook."
        ),
    }


def export_parameter() -> OpenApiParameter:
    """`?formato=`: a list's JSON page (the default) or the whole filtered list as .xlsx."""
    return OpenApiParameter(
        "formato",
        {"type": "string", "enum": ["json", "xlsx"]},
        description=(
            "`json` (default): one page. `xlsx`: every row matching the filters, in the "
            "list's order, as an Excel workbook (a header row, typed numbers and dates); the "
            "page parameters are checked but do not limit it."
        ),
        extensions=_EMPTY,
    )
