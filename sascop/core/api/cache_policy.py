"""How API answers may be cached: one policy per view class, set in one place."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

# Auth and session answers, and errors: never stored anywhere.
NO_STORE = "no-store"
# Business data: per user and often changing; a browser may keep it but must revalidate.
PRIVATE = "private, no-cache"


class CacheControlMixin:
    """Sets `Cache-Control: <cache_control>` on every answer of the view that has none."""

    cache_control = PRIVATE

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response.setdefault("Cache-Control", self.cache_control)
        return response


class NoStoreMixin(CacheControlMixin):
    """Auth and session data: `Cache-Control: no-store`."""

    cache_control = NO_STORE
