"""OT endpoints under /operaciones/api/ (same conventions as the PTE API)."""

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
from sascop.ots import exports, selectors, services
from sascop.ots import serializers as s
from sascop.ots.models import OT, OTDetalle

TAGS = ["ots"]
LIST_PARAMS = filter_parameters(
    selectors.OTFilter,
    {
        "estatus": "Repeatable.",
        "fecha_desde": "fecha_inicio_programado from.",
        "fecha_hasta": "fecha_inicio_programado until.",
        "solo_principales": "Leave out re-programmings.",
        "buscar": "Text in orden, oficio or descripción.",
        "orden": "Sort field; prefix - for descending (default newest first).",
    },
)


def _ot_response(ot_id: int, status_code: int = status.HTTP_200_OK) -> Response:
    ot, detalles, reprogramaciones, avance = selectors.ot_detalle(ot_id)
    return with_etag(s.ot_completa(ot, detalles, reprogramaciones, avance), ot, status_code)


class OTListApi(ModelApi):
    queryset = OT.objects.all()
    extra_error_codes = ["400", "404", "409"]

    @extend_schema(
        tags=TAGS,
        operation_id="ots_list",
        parameters=[*LIST_PARAMS, export_parameter()],
        responses=list_responses(s.OTPageSerializer),
    )
    def get(self, request: Request) -> HttpResponseBase:
        """OTs, newest first, one page at a time, with progress and days elapsed and
        remaining; or, with `formato=xlsx`, every matching OT as an Excel workbook."""

        def items(page: list[OT]) -> list[dict[str, object]]:
            avance = selectors.avance_de(page)
            return [s.ot_item(o, avance[o.pk]) for o in page]

        return page_or_workbook(
            request.query_params,
            selectors.ot_lista(request.query_params),
            "ots",
            items,
            exports.ots_xlsx,
        )

    @extend_schema(tags=TAGS, request=s.OTInputSerializer, responses={201: s.OTDetailSerializer})
    def post(self, request: Request) -> Response:
        """Create an OT directly; its steps come from the active `PasoOt` rows. An oficio
        of another OT is a 409; created Terminada, it gets `fecha_termino_real` (today
        unless given)."""
        data = s.OTInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ot = services.ot_crear(usuario=current_user(request), datos=data.validated_data)
        return _ot_response(ot.pk, status.HTTP_201_CREATED)


class OTDesdePTEApi(ModelApi):
    queryset = OT.objects.all()
    extra_error_codes = ["409"]

    @extend_schema(
        tags=TAGS, request=s.OTDesdePTEInputSerializer, responses={201: s.OTDetailSerializer}
    )
    def post(self, request: Request, pte_id: int) -> Response:
        """Create the OT that follows a PTE (client, responsible, description from the PTE).
        409 while a step of the PTE is neither completed nor not applicable, when the PTE
        already has an OT, or when another OT has the oficio."""
        data = s.OTDesdePTEInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ot = services.ot_crear_desde_pte(
            usuario=current_user(request), pte_id=pte_id, datos=data.validated_data
        )
        return _ot_response(ot.pk, status.HTTP_201_CREATED)


class OTDetailApi(ModelApi):
    queryset = OT.objects.all()
    extra_error_codes = ["409", "412"]

    @extend_schema(tags=TAGS, responses={200: s.OTDetailSerializer})
    def get(self, request: Request, ot_id: int) -> Response:
        """The OT with its steps, re-programmings and progress; ETag for edits."""
        return _ot_response(ot_id)

    def _update(self, request: Request, ot_id: int, partial: bool) -> Response:
        data = s.OTInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.ot_actualizar(
            usuario=current_user(request),
            ot_id=ot_id,
            datos=data.validated_data,
            if_match=if_match(request),
        )
        return _ot_response(ot_id)

    @extend_schema(tags=TAGS, request=s.OTInputSerializer, responses={200: s.OTDetailSerializer})
    def put(self, request: Request, ot_id: int) -> Response:
        """Replace the OT's fields. Send `If-Match: <ETag>`: a stale one gets 412. Terminada
        (10) stamps `fecha_termino_real` (today unless given); leaving it clears it."""
        return self._update(request, ot_id, partial=False)

    @extend_schema(tags=TAGS, request=s.OTInputSerializer, responses={200: s.OTDetailSerializer})
    def patch(self, request: Request, ot_id: int) -> Response:
        """Change some fields. Send `If-Match: <ETag>`: a stale one gets 412. Terminada
        (10) stamps `fecha_termino_real` (today unless given); leaving it clears it."""
        return self._update(request, ot_id, partial=True)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, ot_id: int) -> Response:
        """Hide the OT (soft delete). An OT with re-programmings is a 409."""
        services.ot_eliminar(usuario=current_user(request), ot_id=ot_id, if_match=if_match(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReprogramacionesApi(ModelApi):
    queryset = OT.objects.all()
    extra_error_codes = ["409"]

    @extend_schema(
        tags=TAGS, request=s.ReprogramacionInputSerializer, responses={201: s.OTDetailSerializer}
    )
    def post(self, request: Request, ot_id: int) -> Response:
        """Re-program an OT: a new OT pointing to the principal one, numbered in sequence,
        copying every field not given."""
        data = s.ReprogramacionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ot = services.ot_reprogramar(
            usuario=current_user(request), ot_id=ot_id, datos=data.validated_data
        )
        return _ot_response(ot.pk, status.HTTP_201_CREATED)


class OTPasoApi(ModelApi):
    queryset = OTDetalle.objects.all()
    extra_error_codes = ["412"]

    @extend_schema(
        tags=TAGS, request=s.OTPasoInputSerializer, responses={200: s.OTDetalleSerializer}
    )
    def patch(self, request: Request, ot_id: int, detalle_id: int) -> Response:
        """Update one OT step (Completado stamps `fecha_entrega`; leaving it clears it)."""
        data = s.OTPasoInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        detalle = services.ot_paso_actualizar(
            usuario=current_user(request),
            if_match=if_match(request),
            ot_id=ot_id,
            detalle_id=detalle_id,
            datos=data.validated_data,
        )
        return with_etag(s.ot_detalle_item(detalle), detalle)
