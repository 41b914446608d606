from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.accounts.current import current_user
from sascop.consulta import exportar, services
from sascop.consulta.filtros import ConsultaFilter, filtro, formulario
from sascop.consulta.models import BusquedaGuardada
from sascop.consulta.selectors import (
    buscar,
    busqueda_de,
    busquedas_de,
    grupos,
    indicadores,
    tipos_visibles,
)
from sascop.consulta.serializers import (
    BusquedaGuardadaSerializer,
    ConsultaSerializer,
    CorreoEncoladoSerializer,
    CorreoSerializer,
)
from sascop.core import excel
from sascop.core.api.cache_policy import CacheControlMixin, NoStoreMixin
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


def _guardada(busqueda: BusquedaGuardada) -> dict[str, Any]:
    return BusquedaGuardadaSerializer(busqueda).data


class BusquedasGuardadasApi(NoStoreMixin, APIView):
    permission_classes = [IsAuthenticated, PuedeConsultar]
    extra_error_codes = ["400"]

    @extend_schema(
        tags=["consulta"],
        operation_id="consulta_guardadas_lista",
        responses={200: BusquedaGuardadaSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        """The saved searches of the user asking (nobody else's), by name."""
        return Response(
            BusquedaGuardadaSerializer(busquedas_de(current_user(request)), many=True).data
        )

    @extend_schema(
        tags=["consulta"],
        operation_id="consulta_guardadas_guardar",
        request=BusquedaGuardadaSerializer,
        responses={201: BusquedaGuardadaSerializer, 200: BusquedaGuardadaSerializer},
    )
    def post(self, request: Request) -> Response:
        """Save a search under a name: 201 when the name is new, 200 when the user already
        had a search of that name (it now holds this one). A query string without words to
        find, or with a filter the search refuses, is a 400 naming `parametros`."""
        datos = BusquedaGuardadaSerializer(data=request.data)
        datos.is_valid(raise_exception=True)
        busqueda, nueva = services.busqueda_guardar(
            usuario=current_user(request),
            nombre=datos.validated_data["nombre"],
            parametros=datos.validated_data["parametros"],
        )
        return Response(
            _guardada(busqueda), status=status.HTTP_201_CREATED if nueva else status.HTTP_200_OK
        )


class BusquedaGuardadaApi(NoStoreMixin, APIView):
    permission_classes = [IsAuthenticated, PuedeConsultar]
    extra_error_codes = ["404"]

    @extend_schema(
        tags=["consulta"],
        operation_id="consulta_guardada_detalle",
        responses={200: BusquedaGuardadaSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        """One of the user's saved searches; anyone else's is a 404."""
        return Response(_guardada(busqueda_de(current_user(request), pk)))

    @extend_schema(
        tags=["consulta"], operation_id="consulta_guardada_eliminar", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        """Delete one of the user's saved searches; anyone else's is a 404."""
        services.busqueda_eliminar(usuario=current_user(request), pk=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsultaCorreoApi(NoStoreMixin, APIView):
    permission_classes = [IsAuthenticated, PuedeConsultar]
    extra_error_codes = ["400"]

    @extend_schema(
        tags=["consulta"],
        operation_id="consulta_correo",
        request=CorreoSerializer,
        responses={202: CorreoEncoladoSerializer},
    )
    def post(self, request: Request) -> Response:
        """E-mail what a search finds: queued (202) for the worker, which searches again as
        the user asking and sends the counts, KPIs and charts in the body with the workbook
        of everything found attached. Follow it at `Location` (/operaciones/api/tareas/<id>/).
        An address that is not one, none or more than ten is a 400 naming `destinatarios`."""
        datos = CorreoSerializer(data=request.data)
        datos.is_valid(raise_exception=True)
        tarea, para = services.consulta_correo_encolar(
            usuario=current_user(request),
            parametros=datos.validated_data["parametros"],
            destinatarios=datos.validated_data["destinatarios"],
            base_url=request.build_absolute_uri("/")[:-1],
        )
        estado = reverse("operaciones:tarea-detalle", args=[tarea.pk])
        cuerpo = {"tarea": tarea.pk, "estado_url": estado, "destinatarios": para}
        return Response(
            CorreoEncoladoSerializer(cuerpo).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": estado},
        )
