from __future__ import annotations

from typing import Any

from django.http import JsonResponse


def json_response(
    data: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> JsonResponse:
    """JSON rendered like DRF renders it (compact), for views outside DRF."""
    return JsonResponse(
        data,
        status=status,
        headers=headers,
        safe=False,
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )
