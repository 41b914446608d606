"""Views that raise each kind of failure, mounted beside the real URLconf for error tests."""

from __future__ import annotations

from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework import throttling
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.core.errors import Conflict, PreconditionFailed


class Boom(APIView):
    def get(self, request: Request) -> Response:
        raise RuntimeError("secret internal detail")


class DatabaseDown(APIView):
    def get(self, request: Request) -> Response:
        raise OperationalError("connection refused")


class Deny(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return False


class Forbidden(APIView):
    permission_classes = [Deny]

    def get(self, request: Request) -> Response:
        return Response({})


class OnceOnly(throttling.AnonRateThrottle):
    rate = "1/hour"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return "throttle-test"


class Throttled(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes = [OnceOnly]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class Conflicting(APIView):
    def post(self, request: Request) -> Response:
        raise Conflict("That record already exists.")

    def put(self, request: Request) -> Response:
        raise PreconditionFailed()


class Echo(APIView):
    def post(self, request: Request) -> Response:
        return Response({"received": request.data})


def plain_boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internal detail")


urlpatterns = [
    path("api/test/boom/", Boom.as_view()),
    path("api/test/db-down/", DatabaseDown.as_view()),
    path("api/test/forbidden/", Forbidden.as_view()),
    path("api/test/throttled/", Throttled.as_view()),
    path("api/test/conflict/", Conflicting.as_view()),
    path("api/test/echo/", Echo.as_view()),
    path("api/test/plain-boom/", plain_boom),
    path("plain-boom/", plain_boom),
    path("", include("config.urls")),
]
handler400 = "sascop.core.http.error_views.bad_request"
handler403 = "sascop.core.http.error_views.permission_denied"
handler404 = "sascop.core.http.error_views.not_found"
handler500 = "sascop.core.http.error_views.server_error"
