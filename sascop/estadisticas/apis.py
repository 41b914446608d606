from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.estadisticas.selectors import estadisticas

_POR_ESTATUS = inline_serializer(
    "ConteoPorEstatus",
    {
        "estatus": serializers.IntegerField(),
        "estatus_texto": serializers.CharField(),
        "total": serializers.IntegerField(),
    },
    many=True,
)


class CanViewDashboard(BasePermission):
    """The dashboard summarises PTEs, OTs and production: any role that reads PTEs."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm("ptes.view_pte"))


class EstadisticasApi(APIView):
    permission_classes = [IsAuthenticated, CanViewDashboard]

    @extend_schema(
        tags=["estadisticas"],
        responses={
            200: inline_serializer(
                "Estadisticas",
                {
                    "total_ptes": serializers.IntegerField(),
                    "total_otes": serializers.IntegerField(),
                    "total_produccion": serializers.IntegerField(),
                    "volumen_total": serializers.FloatField(),
                    "ptes_por_estatus": _POR_ESTATUS,
                    "otes_por_estatus": _POR_ESTATUS,
                    "montos_ot": inline_serializer(
                        "MontosOT",
                        {
                            "mxn": serializers.DecimalField(18, 2),
                            "usd": serializers.DecimalField(18, 2),
                        },
                    ),
                    "produccion_por_mes": inline_serializer(
                        "ProduccionMes",
                        {"mes": serializers.CharField(), "volumen": serializers.FloatField()},
                        many=True,
                    ),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        """Dashboard totals: PTEs, OTs and production (soft-deleted rows excluded), per-status
        counts, OT amounts and production volume per month for the last 12 months."""
        return Response(estadisticas(), headers={"Cache-Control": "private, no-cache"})
