"""DRF's exception handler, answering with the envelope of SPEC §6."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

from sascop.core.errors import error_headers, to_application_error


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request = context.get("request")
    error = to_application_error(exc, getattr(request, "_request", None))
    set_rollback()
    response = Response(error.payload(), status=error.status, headers=error_headers(error))
    view = context.get("view")
    if isinstance(exc, drf.MethodNotAllowed) and view is not None:
        response["Allow"] = ", ".join(view.allowed_methods)
    return response
