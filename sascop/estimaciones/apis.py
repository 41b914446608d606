"""Estimación endpoints under /operaciones/api/."""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from sascop.accounts.current import current_user
from sascop.core.api.endpoints import ModelApi, if_match, with_etag
from sascop.core.api.pagination import paginate
from sascop.core.errors import InvalidInput
from sascop.core.excel import XLSX
from sascop.estimaciones import exports, selectors, services
from sascop.estimaciones import serializers as s
from sascop.estimaciones.models import Estimacion
from sascop.ots.models import OT

TAGS = ["estimaciones"]
LISTA = [
    OpenApiParameter("estatus", str, description="Repeatable.", many=True),
    OpenApiParameter("cliente", int, description="The OT's client."),
    OpenApiParameter("mes", str, description="YYYY-MM: periods that touch that month."),
    OpenApiParameter("ot", int),
]
FORMATO = OpenApiParameter("formato", str, enum=["json", "xlsx", "pdf"], required=False)


def _detalle(estimacion_id: int, status_code: int = status.HTTP_200_OK) -> Response:
    estimacion = selectors.estimacion_detalle(estimacion_id)
    return with_etag(s.estimacion_completa(estimacion), estimacion, status_code)


def _pagina(request: Request, params: Any) -> Response:
    page, meta = paginate(selectors.estimaciones_lista(params), request.query_params)
    return Response({"estimaciones": [s.estimacion_item(e) for e in page], **meta})


class _ArchivosTambien:
    """An Accept naming only the workbook's or the PDF's type gets it, not a 406."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)  # type: ignore[misc]


class EstimacionesApi(ModelApi):
    queryset = Estimacion.objects.all()
    extra_error_codes = ["400"]

    @extend_schema(
        tags=TAGS,
        operation_id="estimaciones_list",
        parameters=LISTA,
        responses={200: s.EstimacionPageSerializer},
    )
    def get(self, request: Request) -> Response:
        """Every OT's estimaciones, newest period first, one page at a time."""
        return _pagina(request, request.query_params)


class OTEstimacionesApi(ModelApi):
    queryset = Estimacion.objects.all()
    extra_error_codes = ["400", "404", "409"]

    @extend_schema(tags=TAGS, responses={200: s.EstimacionPageSerializer})
    def get(self, request: Request, ot_id: int) -> Response:
        """The OT's estimaciones, newest period first."""
        if not OT.objects.filter(pk=ot_id).exists():
            from sascop.core.errors import NotFound

            raise NotFound(f"OT {ot_id} does not exist.")
        params = request.query_params.copy()
        params["ot"] = str(ot_id)
        return _pagina(request, params)

    @extend_schema(
        tags=TAGS,
        request=s.EstimacionInputSerializer,
        responses={201: s.EstimacionDetalleSerializer},
    )
    def post(self, request: Request, ot_id: int) -> Response:
        """Draw up a draft estimación of the OT for `desde` to `hasta`: each signed-off row
        (FIRMADO day; on C-2/C-3 lines also a FIRMADO GPU record) at its line's P.U. in M.N.
        and USD, less the volume earlier estimaciones claimed; excedentes listed apart,
        not summed. 409 when there is nothing left to claim."""
        datos = s.EstimacionInputSerializer(data=request.data)
        datos.is_valid(raise_exception=True)
        estimacion = services.estimacion_crear(
            usuario=current_user(request), ot_id=ot_id, **datos.validated_data
        )
        return _detalle(estimacion.pk, status.HTTP_201_CREATED)


class EstimacionApi(_ArchivosTambien, ModelApi):
    queryset = Estimacion.objects.all()
    extra_error_codes = ["400", "404", "409", "412"]

    @extend_schema(
        tags=TAGS,
        parameters=[FORMATO],
        responses={
            (200, "application/json"): s.EstimacionDetalleSerializer,
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="`formato=xlsx`."),
            (200, exports.PDF): OpenApiResponse(OpenApiTypes.BINARY, description="`formato=pdf`."),
        },
    )
    def get(self, request: Request, estimacion_id: int) -> HttpResponseBase:
        """The estimación with its lines, subtotals by anexo and its history; ETag for the
        PATCH. `formato=xlsx` or `pdf`: the claim as the client receives it."""
        formato = request.query_params.get("formato", "json")
        if formato not in ("json", "xlsx", "pdf"):
            raise InvalidInput(fields={"formato": ["Use json, xlsx or pdf."]})
        if formato == "xlsx":
            return exports.xlsx_respuesta(selectors.estimacion_detalle(estimacion_id))
        if formato == "pdf":
            return exports.pdf_respuesta(selectors.estimacion_detalle(estimacion_id))
        return _detalle(estimacion_id)

    @extend_schema(
        tags=TAGS,
        request=s.EstimacionPatchSerializer,
        responses={200: s.EstimacionDetalleSerializer},
    )
    def patch(self, request: Request, estimacion_id: int) -> Response:
        """Move the estimación on (`estatus`: BORRADOR → PRESENTADA → AUTORIZADA → PAGADA,
        or PRESENTADA → RECHAZADA with `motivo_rechazo`), or change a draft's `desde`,
        `hasta` or `oficio` (its lines are drawn again). Presenting draws the lines again
        and freezes them and the production they claim. Send `If-Match`: a stale one is
        412; a step not allowed, or a change to a presented one, 409."""
        datos = s.EstimacionPatchSerializer(data=request.data)
        datos.is_valid(raise_exception=True)
        services.estimacion_actualizar(
            usuario=current_user(request),
            estimacion_id=estimacion_id,
            datos=datos.validated_data,
            if_match=if_match(request),
        )
        return _detalle(estimacion_id)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, estimacion_id: int) -> Response:
        """Delete a draft (409 for any other state)."""
        services.estimacion_eliminar(
            usuario=current_user(request), estimacion_id=estimacion_id, if_match=if_match(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
