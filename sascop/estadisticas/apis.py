from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.core.api.cache_policy import CacheControlMixin
from sascop.estadisticas.selectors import estadisticas
from sascop.estadisticas.serializers import EstadisticasSerializer


class CanViewDashboard(BasePermission):
    """The dashboard summarises PTEs, OTs and production: any role that reads PTEs."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm("ptes.view_pte"))


class EstadisticasApi(CacheControlMixin, APIView):
    permission_classes = [IsAuthenticated, CanViewDashboard]

    @extend_schema(tags=["estadisticas"], responses={200: EstadisticasSerializer})
    def get(self, request: Request) -> Response:
        """Dashboard totals: PTEs, OTs and production (soft-deleted rows excluded), per-status
        counts, OT amounts and production volume per month for the last 12 months.

        Amounts and volumes are decimal strings, except `volumen_total`: contract B gives it
        as a JSON number."""
        return Response(EstadisticasSerializer(estadisticas()).data)
