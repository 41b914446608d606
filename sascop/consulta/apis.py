from __future__ import annotations

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.consulta import exportar
from sascop.consulta.filtros import ConsultaFilter, filtro, formulario
from sascop.consulta.selectors import buscar, grupos, indicadores, tipos_visibles
from sascop.consulta.serializers import ConsultaSerializer
from sascop.core import excel
from sascop.core.api.cache_policy import CacheControlMixin
from sascop.core.api.pagination import page_params
from sascop.core.api.schema import export_parameter, filter_parameters


class PuedeConsultar(BasePermission):
    """Any role that reads at least one of the kinds searched."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(tipos_visibles(request.user))


class ConsultaApi(CacheControlMixin, APIView):
    permission_classes = [IsAuthenticated, PuedeConsultar]
    extra_error_codes = ["400"]

    @extend_schema(
        tags=["consulta"],
        parameters=[
            *filter_parameters(
                ConsultaFilter,
                {
                    "q": "Words to find, accents and case ignored; each matches the words "
                    "that start with it. Production is found by OT number, partida and date "
                    "(31/03/2026 or 2026-03-31).",
                    "tipo": "Only this kind.",
                    "estatus": "A PTE's or an OT's status (other kinds are then left out).",
                },
            ),
            export_parameter(),
        ],
        responses={
            (200, "application/json"): ConsultaSerializer,
            (200, excel.XLSX): OpenApiResponse(
                OpenApiTypes.BINARY, description="With `formato=xlsx`: everything found."
            ),
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        """The Centro de Consulta's search: PTEs (oficio, description, client, responsible),
        OTs (order, oficio, description, sites), concepts and Anexo C lines (key, text),
        production (OT, partida, date) and activity comments, grouped by kind, best first,
        a page of each (`pagina` pages every group); with KPIs over what was found. A
        filter a kind lacks leaves that kind out. With `formato=xlsx`, everything found as
        an Excel workbook."""
        consulta = filtro(formulario(request.query_params))
        pagina, por_pagina = page_params(request.query_params)
        busqueda = buscar(consulta, request.user)
        if excel.pide_xlsx(request.query_params):
            return exportar.consulta_xlsx(busqueda, request.build_absolute_uri("/")[:-1])
        cuerpo = {
            "q": consulta.q,
            "grupos": grupos(busqueda, pagina, por_pagina),
            "indicadores": indicadores(busqueda),
        }
        return Response(ConsultaSerializer(cuerpo).data)
