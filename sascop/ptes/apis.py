"""Contract B's PTE endpoints and the rest of the PTE API (`/operaciones/api/ptes/`)."""

from __future__ import annotations

from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from sascop.accounts.current import current_user
from sascop.core.api.endpoints import ModelApi, if_match, with_etag
from sascop.core.api.pagination import page_or_workbook
from sascop.core.api.schema import export_parameter, filter_parameters, list_responses
from sascop.flujo.serializers import DetalleSerializer, PasoInputSerializer, detalle_item
from sascop.ptes import exports, selectors, services
from sascop.ptes import serializers as s
from sascop.ptes.models import PTE, PTEDetalle

TAGS = ["ptes"]
LIST_PARAMS = filter_parameters(
    selectors.PTEFilter,
    {
        "estatus": "Repeatable.",
        "fecha_desde": "fecha_solicitud from.",
        "fecha_hasta": "fecha_solicitud until.",
        "buscar": "Text in oficio or descripción.",
        "orden": "Sort field; prefix - for descending (default -fecha_solicitud).",
    },
)


class PTEListApi(ModelApi):
    queryset = PTE.objects.all()
    extra_error_codes = ["400", "404"]

    @extend_schema(
        tags=TAGS,
        operation_id="ptes_list",
        parameters=[*LIST_PARAMS, export_parameter()],
        responses=list_responses(s.PTEPageSerializer),
    )
    def get(self, request: Request) -> HttpResponseBase:
        """PTEs, newest `fecha_solicitud` first, one page at a time, with progress; or, with
        `formato=xlsx`, every matching PTE as an Excel workbook."""

        def items(page: list[PTE]) -> list[dict[str, object]]:
            progreso = selectors.progreso_de(p.pk for p in page)
            return [s.pte_item(p, progreso.get(p.pk)) for p in page]

        return page_or_workbook(
            request.query_params,
            selectors.pte_lista(request.query_params),
            "ptes",
            items,
            exports.ptes_xlsx,
        )

    @extend_schema(tags=TAGS, request=s.PTEInputSerializer, responses={201: s.PTEDetailSerializer})
    def post(self, request: Request) -> Response:
        """Create a PTE; its steps come from the active `Paso` rows of the client's type."""
        data = s.PTEInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pte = services.pte_crear(usuario=current_user(request), datos=data.validated_data)
        return with_etag(
            s.pte_completa(*selectors.pte_detalle(pte.pk)), pte, status.HTTP_201_CREATED
        )


class PTEDetailApi(ModelApi):
    queryset = PTE.objects.all()
    extra_error_codes = ["412"]

    @extend_schema(tags=TAGS, responses={200: s.PTEDetailSerializer})
    def get(self, request: Request, pte_id: int) -> Response:
        """The PTE with its workflow steps (`detalles`) and progress; ETag for edits."""
        pte, detalles, progreso = selectors.pte_detalle(pte_id)
        return with_etag(s.pte_completa(pte, detalles, progreso), pte)

    def _update(self, request: Request, pte_id: int, partial: bool) -> Response:
        data = s.PTEInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.pte_actualizar(
            usuario=current_user(request),
            pte_id=pte_id,
            datos=data.validated_data,
            if_match=if_match(request),
        )
        pte, detalles, progreso = selectors.pte_detalle(pte_id)
        return with_etag(s.pte_completa(pte, detalles, progreso), pte)

    @extend_schema(tags=TAGS, request=s.PTEInputSerializer, responses={200: s.PTEDetailSerializer})
    def put(self, request: Request, pte_id: int) -> Response:
        """Replace the PTE's fields. Send `If-Match: <ETag>`: a stale one gets 412."""
        return self._update(request, pte_id, partial=False)

    @extend_schema(tags=TAGS, request=s.PTEInputSerializer, responses={200: s.PTEDetailSerializer})
    def patch(self, request: Request, pte_id: int) -> Response:
        """Change some fields. Send `If-Match: <ETag>`: a stale one gets 412."""
        return self._update(request, pte_id, partial=True)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, pte_id: int) -> Response:
        """Hide the PTE (soft delete); it stays in the activity log."""
        services.pte_eliminar(
            usuario=current_user(request), pte_id=pte_id, if_match=if_match(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PTEPasoApi(ModelApi):
    queryset = PTEDetalle.objects.all()
    extra_error_codes = ["412"]

    @extend_schema(tags=TAGS, request=PasoInputSerializer, responses={200: DetalleSerializer})
    def patch(self, request: Request, pte_id: int, detalle_id: int) -> Response:
        """Update one workflow step. Completado stamps `fecha_entrega` (today unless given);
        leaving Completado clears it."""
        data = PasoInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        detalle = services.pte_paso_actualizar(
            usuario=current_user(request),
            pte_id=pte_id,
            detalle_id=detalle_id,
            datos=data.validated_data,
            if_match=if_match(request),
        )
        return with_etag(detalle_item(detalle), detalle)
