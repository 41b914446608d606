"""Catalog endpoints: anyone with the view permission lists; administrators create, edit
and deactivate (DELETE deactivates: old records keep the entry, new ones cannot pick it)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.accounts.current import current_user
from sascop.catalogos import declaraciones, estatus, exports, selectors, services
from sascop.catalogos.schema import NOMBRE
from sascop.catalogos.serializers import (
    CATALOGOS,
    CatalogoPageSerializer,
    EntradaSerializer,
    EstatusSerializer,
)
from sascop.core.api.endpoints import ModelApi
from sascop.core.api.pagination import page_or_workbook
from sascop.core.api.permissions import ModelPermissions
from sascop.core.api.schema import export_parameter, filter_parameters, list_responses
from sascop.core.errors import NotFound

TAGS = ["catalogos"]


def _serializer_class(nombre: str) -> Any:
    try:
        return CATALOGOS[nombre]
    except KeyError:
        raise NotFound(
            gettext("No catalog %(name)r; catalogs: %(names)s.")
            % {"name": nombre, "names": ", ".join(sorted(CATALOGOS))}
        ) from None


class CatalogoPermissions(ModelPermissions):
    # Deactivating is an edit, so DELETE needs the change permission.
    perms_map = {**ModelPermissions.perms_map, "DELETE": ["%(app_label)s.change_%(model_name)s"]}


class _CatalogoApi(ModelApi):
    permission_classes = [IsAuthenticated, CatalogoPermissions]

    def get_queryset(self) -> QuerySet[Any]:
        return _serializer_class(self.kwargs["nombre"]).Meta.model._default_manager.all()


class CatalogoListApi(_CatalogoApi):
    extra_error_codes = ["400", "404"]

    @extend_schema(
        tags=TAGS,
        operation_id="catalogos_list",
        parameters=[
            NOMBRE,
            *filter_parameters(
                selectors.CatalogoFilter,
                {
                    "activo": "Only active (true) or inactive (false) entries.",
                    "buscar": "Text in the description, name or key.",
                },
            ),
            export_parameter(),
        ],
        responses=list_responses(CatalogoPageSerializer),
    )
    def get(self, request: Request, nombre: str) -> HttpResponseBase:
        """Entries of one catalog, active and inactive (filter with `activo`); or, with
        `formato=xlsx`, every matching entry as an Excel workbook."""
        serializer_class = _serializer_class(nombre)
        queryset = selectors.catalogo_lista(serializer_class.Meta.model, request.query_params)
        return page_or_workbook(
            request.query_params,
            queryset,
            nombre,
            lambda page: serializer_class(page, many=True).data,
            lambda filas: exports.catalogo_xlsx(declaraciones.catalogos()[nombre], filas),
        )

    @extend_schema(
        tags=TAGS,
        parameters=[NOMBRE],
        request=EntradaSerializer,
        responses={201: EntradaSerializer},
    )
    def post(self, request: Request, nombre: str) -> Response:
        """Add an entry (administrators)."""
        data = _serializer_class(nombre)(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.catalogo_crear(
            usuario=current_user(request), modelo=data.Meta.model, datos=data.validated_data
        )
        return Response(_serializer_class(nombre)(entry).data, status=status.HTTP_201_CREATED)


class CatalogoDetailApi(_CatalogoApi):
    @extend_schema(tags=TAGS, parameters=[NOMBRE], responses={200: EntradaSerializer})
    def get(self, request: Request, nombre: str, pk: int) -> Response:
        entry = self.get_queryset().filter(pk=pk).first()
        if entry is None:
            raise NotFound()
        return Response(_serializer_class(nombre)(entry).data)

    @extend_schema(
        tags=TAGS,
        parameters=[NOMBRE],
        request=EntradaSerializer,
        responses={200: EntradaSerializer},
    )
    def patch(self, request: Request, nombre: str, pk: int) -> Response:
        """Edit an entry, or reactivate it with `{"activo": true}` (administrators)."""
        serializer_class = _serializer_class(nombre)
        data = serializer_class(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        entry = services.catalogo_actualizar(
            usuario=current_user(request), modelo=data.Meta.model, pk=pk, datos=data.validated_data
        )
        return Response(serializer_class(entry).data)

    @extend_schema(tags=TAGS, parameters=[NOMBRE], responses={204: None})
    def delete(self, request: Request, nombre: str, pk: int) -> Response:
        """Deactivate the entry: hidden from new choices, kept on old records."""
        services.catalogo_actualizar(
            usuario=current_user(request),
            modelo=_serializer_class(nombre).Meta.model,
            pk=pk,
            datos={"activo": False},
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class EstatusApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={
            200: inline_serializer(
                "EstatusPorNivel",
                {nivel: EstatusSerializer(many=True) for nivel in estatus.ALL},
            )
        },
    )
    def get(self, request: Request) -> Response:
        """The workflow statuses by level (pte, paso, ot, cobro). Fixed: they drive rules."""
        return Response(
            {
                nivel: [{"valor": choice.value, "texto": choice.label} for choice in choices]
                for nivel, choices in estatus.ALL.items()
            }
        )
