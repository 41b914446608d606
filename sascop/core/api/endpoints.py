"""Operational endpoints that belong to no domain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.core.api.cache_policy import CacheControlMixin, NoStoreMixin
from sascop.core.api.etags import etag_for
from sascop.core.api.permissions import ModelPermissions
from sascop.core.errors import ServiceUnavailable
from sascop.core.http import health


class HealthApi(NoStoreMixin, APIView):
    """Liveness and readiness: 200 when the database (and Redis, if configured) answer."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["health"],
        responses={
            200: inline_serializer(
                "Health",
                {"status": serializers.CharField(), "checks": serializers.DictField()},
            )
        },
    )
    def get(self, request: Request) -> Response:
        checks = {
            "database": "ok" if health.database_answers() else "unavailable",
            "redis": (
                ("ok" if health.redis_answers() else "unavailable")
                if settings.REDIS_URL
                else "not_configured"
            ),
        }
        if "unavailable" in checks.values():
            raise ServiceUnavailable(gettext("A backing service is not answering."), checks=checks)
        return Response({"status": "ok", "checks": checks})


class ModelApi(CacheControlMixin, APIView):
    """Base of the domain endpoints: logged-in users holding the model permission.

    Reads need `view_<model>`, writes `add_`/`change_`/`delete_` (groups grant them).
    Subclasses set `queryset` to the model they guard.

    A write request runs in one transaction that commits only if the answer is a success:
    the write and the reads that build its answer stand or fall together, so a client told
    503 (the database hung or crashed after the service's own commit) knows nothing was
    applied and may simply retry.

    `una_transaccion = False` leaves that transaction to the service: for the imports, whose
    reading of an uploaded workbook (seconds without a query) must come before any
    transaction opens, or the connection sits idle in it past PostgreSQL's limits
    (DB_STATEMENT_TIMEOUT); their services read first, then write in one transaction.
    """

    permission_classes = [IsAuthenticated, ModelPermissions]
    una_transaccion = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method in SAFE_METHODS or not self.una_transaccion:
            return super().dispatch(request, *args, **kwargs)
        # A write and the read that builds its answer commit together, or not at all: a
        # client told "error" must not find the write applied.
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response


def if_match(request: Request) -> str | None:
    """The client's If-Match header, for services that refuse stale writes."""
    return request.headers.get("If-Match")


def with_etag(data: Any, instance: Any, status: int = 200) -> Response:
    return Response(data, status=status, headers={"ETag": etag_for(instance)})
