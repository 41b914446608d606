"""The service's URLs plus a bare Django JSON view (the ceiling benchmarks compare with)."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.hashers import check_password, make_password
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

# bench/auth.py's user's password: /bench/hash/ checks it as a login does.
BENCH_PASSWORD = "Banco-De-Pruebas-2026"


def bare(request: HttpRequest) -> JsonResponse:
    # Same size of answer as /api/user/, no authentication, no DRF, no queries.
    return JsonResponse({"id": 1, "username": "bench", "email": "bench@sascop.mx"})


@cache
def _encoded() -> str:
    return make_password(BENCH_PASSWORD)


def hash_only(request: HttpRequest) -> JsonResponse:
    # Only the password check of a login (the configured hasher, same parameters): the ceiling
    # a login's rate is compared with.
    return JsonResponse({"ok": check_password(BENCH_PASSWORD, _encoded())})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/hash/", hash_only),
    path("", include("config.urls")),
]
