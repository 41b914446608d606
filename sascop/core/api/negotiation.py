"""Content negotiation that answers the common case without parsing anything.

Every API view renders JSON only. When the client accepts anything (`*/*`, no `Accept`) or
asks for `application/json`, with no `?format=` override, the answer is that one renderer;
any other request goes through DRF's full negotiation, so what it refuses (406) or maps
(`?format=`) stays exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

PLAIN = {"", "*/*", "application/json"}


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Any, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        renderers = list(renderers)
        meta = request.META
        if (
            len(renderers) == 1
            and format_suffix is None
            and meta.get("HTTP_ACCEPT", "").strip() in PLAIN
            and "format=" not in meta.get("QUERY_STRING", "")
        ):
            return renderers[0], renderers[0].media_type
        chosen: tuple[Any, str] = super().select_renderer(request, renderers, format_suffix)
        return chosen
