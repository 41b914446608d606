"""The service's URLs plus a bare Django JSON view (the ceiling benchmarks compare with)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def bare(request: HttpRequest) -> JsonResponse:
    # Same size of answer as /api/user/, no authentication, no DRF, no queries.
    return JsonResponse({"id": 1, "username": "bench", "email": "bench@sascop.mx"})


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("config.urls")),
]
