from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response


class NoStoreMixin:
    """Mark every answer of the view `Cache-Control: no-store` (auth and session data)."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response["Cache-Control"] = "no-store"
        return response
