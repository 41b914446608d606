from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.accounts.current import current_user
from sascop.core.api.endpoints import ModelApi, if_match, with_etag
from sascop.core.api.pagination import page_or_workbook
from sascop.core.api.schema import export_parameter, filter_parameters, list_responses
from sascop.core.api.serializers import ErrorSerializer
from sascop.core.errors import NotFound
from sascop.core.excel import XLSX
from sascop.produccion import exports, selectors, services
from sascop.produccion import serializers as s
from sascop.produccion.models import Produccion, ReporteDiario

TAGS = ["produccion"]
# A save's answer: the sheet, or (`Prefer: return=minimal`, RFC 7240) only what changed.
MINIMA = "return=minimal"
_PREFER = OpenApiParameter(
    "Prefer",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    # Any value: preferences a server does not know are ignored (RFC 7240).
    description="`return=minimal`: answer only what the save changed (the lines sent, "
    "subtotals, totals, KPIs) with the sheet's new ETag, and "
    "`Preference-Applied: return=minimal`; otherwise (absent, `return=representation` or "
    "anything else) the whole saved sheet.",
)
# What saving the sheet answers, whole (PUT) or by cells (PATCH).
_GUARDADO = {
    200: s.SabanaGuardadaSerializer,
    409: OpenApiResponse(
        s.SabanaErrorSerializer,
        description="A cell of a signed-off day (FIRMADO) would change (`firmados`).",
    ),
}


class ProduccionListApi(ModelApi):
    queryset = Produccion.objects.all()
    extra_error_codes = ["400", "404", "409"]

    @extend_schema(
        tags=TAGS,
        operation_id="produccion_list",
        parameters=[*filter_parameters(selectors.ProduccionFilter), export_parameter()],
        responses=list_responses(s.ProduccionPageSerializer),
    )
    def get(self, request: Request) -> HttpResponseBase:
        """Production rows, newest date first (rows of deleted OTs are left out); or, with
        `formato=xlsx`, every matching row as an Excel workbook."""
        return page_or_workbook(
            request.query_params,
            selectors.produccion_lista(request.query_params),
            "produccion",
            lambda page: [s.produccion_item(f) for f in page],
            exports.produccion_xlsx,
        )

    @extend_schema(
        tags=TAGS, request=s.ProduccionInputSerializer, responses={201: s.ProduccionItemSerializer}
    )
    def post(self, request: Request) -> Response:
        """Record one row on a line (`partida_anexo`) of the OT's active anexo. The same OT,
        line, date, kind of time and site twice is a 409; a signed-off day (FIRMADO) too.
        `excedente` is computed (sending it is a 400)."""
        data = s.ProduccionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fila = services.produccion_crear(usuario=current_user(request), datos=data.validated_data)
        (fila,) = selectors.produccion_por_ids([fila.pk])
        return with_etag(s.produccion_item(fila), fila, status.HTTP_201_CREATED)


class ProduccionLoteApi(ModelApi):
    queryset = Produccion.objects.all()
    extra_error_codes = ["409"]

    @extend_schema(
        tags=TAGS,
        request=s.ProduccionLoteInputSerializer,
        responses={201: s.ProduccionLoteSerializer},
    )
    def post(self, request: Request) -> Response:
        """Record many rows (`{"filas": [...]}`) all-or-nothing: one bad row rejects all,
        and the error names it (`filas[3].volumen_produccion`)."""
        filas = s.ProduccionLoteInputSerializer(data=request.data).lote()
        creadas = services.produccion_crear_lote(usuario=current_user(request), filas=filas)
        guardadas = selectors.produccion_por_ids([f.pk for f in creadas])
        return Response(
            {"creadas": len(guardadas), "produccion": [s.produccion_item(f) for f in guardadas]},
            status=status.HTTP_201_CREATED,
        )


class ProduccionDetailApi(ModelApi):
    queryset = Produccion.objects.all()
    extra_error_codes = ["409", "412"]

    @extend_schema(tags=TAGS, responses={200: s.ProduccionItemSerializer})
    def get(self, request: Request, produccion_id: int) -> Response:
        (fila,) = self._one(produccion_id)
        return with_etag(s.produccion_item(fila), fila)

    def _one(self, produccion_id: int) -> list[Produccion]:
        filas = selectors.produccion_por_ids([produccion_id])
        if not filas:
            raise NotFound(gettext("Production row %(id)s does not exist.") % {"id": produccion_id})
        return filas

    @extend_schema(
        tags=TAGS, request=s.ProduccionInputSerializer, responses={200: s.ProduccionItemSerializer}
    )
    def patch(self, request: Request, produccion_id: int) -> Response:
        """Correct a row (volume, dates, collection status...). Send `If-Match`."""
        data = s.ProduccionInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.produccion_actualizar(
            usuario=current_user(request),
            if_match=if_match(request),
            produccion_id=produccion_id,
            datos=data.validated_data,
        )
        (fila,) = self._one(produccion_id)
        return with_etag(s.produccion_item(fila), fila)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, produccion_id: int) -> Response:
        """Delete a row (it stays in the activity log)."""
        services.produccion_eliminar(
            usuario=current_user(request),
            produccion_id=produccion_id,
            if_match=if_match(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the monthly sheet and the daily reports --------------------------------------------------


class _Permisos(BasePermission):
    """The view's `permisos` for the request's method, all of them."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        permisos = getattr(view, "permisos", {})
        clave = "lectura" if request.method in SAFE_METHODS else "escritura"
        return request.user.has_perms(permisos.get(clave, ()))


class _XlsxTambien:
    """An Accept naming only the workbook's type gets it (or the JSON error), not a 406."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)  # type: ignore[misc]


def _consulta(q: dict[str, Any]) -> dict[str, Any]:
    return {
        "ot_id": q["ot"],
        "anio": q["anio"],
        "mes": q["mes"],
        "tipo_tiempo": q["tipo_tiempo"],
        "sitio_id": q.get("sitio"),
    }


def pide_minima(request: Request) -> bool:
    """Whether the request's `Prefer` header (RFC 7240) asks for `return=minimal`."""
    preferencias = request.headers.get("Prefer", "").split(",")
    return any(p.split(";")[0].strip().lower() == MINIMA for p in preferencias)


def _sabana_guardar(request: Request, *, solo_enviadas: bool) -> HttpResponse:
    """The sheet the query names saved from the body's `partidas` (`solo_enviadas`: the cells
    sent only, else every cell of the lines sent); the saved sheet, or what of it changed
    when the request prefers `return=minimal`."""
    query = s.SabanaQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    consulta = _consulta(query.validated_data)
    datos = request.data if isinstance(request.data, dict) else {}
    guardar = {
        "usuario": current_user(request),
        "partidas": datos.get("partidas"),
        "if_match": if_match(request),
        "solo_enviadas": solo_enviadas,
        **consulta,
    }
    if not pide_minima(request):
        services.sabana_guardar(**guardar)
        respuesta = _json(*selectors.sabana_json(**consulta))
    else:
        # One transaction: the stored sheet is mended with the save's own changes.
        with transaction.atomic():
            escrita = services.sabana_guardar(**guardar)
            cambios, etiqueta = selectors.sabana_tras_guardar(
                ot=escrita.ot,
                sitio=escrita.sitio,
                anio=consulta["anio"],
                mes=consulta["mes"],
                tipo_tiempo=consulta["tipo_tiempo"],
                sitio_id=consulta["sitio_id"],
                lineas=escrita.lineas,
            )
        respuesta = _json(cambios, etiqueta)
        respuesta["Preference-Applied"] = MINIMA
    patch_vary_headers(respuesta, ["Prefer"])
    return respuesta


def _json(cuerpo: bytes, etiqueta: str) -> HttpResponse:
    # Rendered once (and cached, with Redis): a 500-line month is most of a megabyte.
    return HttpResponse(cuerpo, content_type="application/json", headers={"ETag": etiqueta})


class SabanaApi(_XlsxTambien, ModelApi):
    """The monthly production sheet of an OT."""

    queryset = Produccion.objects.all()
    permission_classes = [IsAuthenticated, _Permisos]
    permisos = {
        "lectura": ("produccion.view_produccion",),
        "escritura": (
            "produccion.add_produccion",
            "produccion.change_produccion",
            "produccion.delete_produccion",
        ),
    }
    extra_error_codes = ["400", "404", "409", "412"]

    @extend_schema(
        tags=TAGS,
        operation_id="produccion_sabana_retrieve",
        parameters=[s.SabanaQuerySerializer],
        responses={
            (200, "application/json"): s.SabanaSerializer,
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="With `formato=xlsx`."),
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        """The month's sheet of an OT for one kind of time and site (default TE and the
        OT's site): per line of its active anexo, programmed, executed and excess volume by
        day, the month's amounts, subtotals by anexo and the OT's KPIs. With an ETag: send
        it as If-Match with the PUT (or as If-None-Match: 304 if unchanged)."""
        query = s.SabanaQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        consulta = _consulta(query.validated_data)
        if query.validated_data["formato"] == "xlsx":
            return exports.sabana_xlsx(selectors.sabana(**consulta))
        cuerpo, etiqueta = selectors.sabana_json(**consulta)
        if request.headers.get("If-None-Match") == etiqueta:
            return HttpResponse(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etiqueta})
        return _json(cuerpo, etiqueta)

    @extend_schema(
        tags=TAGS,
        operation_id="produccion_sabana_update",
        parameters=[s.SabanaQuerySerializer, _PREFER],
        request=s.SabanaInputSerializer,
        responses=_GUARDADO,
    )
    def put(self, request: Request) -> HttpResponse:
        """Save the month's sheet as sent (the GET's shape; only `ejecutado` cells are
        read): a day with a volume creates or corrects its row, an empty one (absent, null,
        "" or 0) deletes it; lines not sent are untouched. All or nothing: a bad cell is a
        400 naming it (`partidas[3].ejecutado.15`), a change on a FIRMADO day a 409, a stale
        If-Match a 412. Excedentes are recomputed. Answers the saved sheet; with
        `Prefer: return=minimal`, only what changed (as the PATCH)."""
        return _sabana_guardar(request, solo_enviadas=False)

    @extend_schema(
        tags=TAGS,
        operation_id="produccion_sabana_partial_update",
        parameters=[s.SabanaQuerySerializer, _PREFER],
        request=s.SabanaCeldasInputSerializer,
        responses=_GUARDADO,
    )
    def patch(self, request: Request) -> HttpResponse:
        """Save only the cells sent (what a grid changed): per line, each day sent with a
        volume creates or corrects its row, null, "" or 0 deletes it; days and lines not
        sent are untouched. Otherwise as the PUT: all or nothing, 400 naming a bad cell,
        409 on a FIRMADO day, 412 on a stale If-Match. Answers the saved sheet.

        With `Prefer: return=minimal` (what a grid sends), answers only what changed: the
        lines sent as the GET now shows them (no other line changes: a line's excedentes
        are its concept's), the subtotals, totals and KPIs, with the sheet's new ETag for
        the next If-Match, and `Preference-Applied: return=minimal`; a few KiB instead of
        the whole month."""
        return _sabana_guardar(request, solo_enviadas=True)


class ReportesDiariosApi(ModelApi):
    """The state of an OT's daily reports."""

    queryset = ReporteDiario.objects.all()
    permission_classes = [IsAuthenticated, _Permisos]
    permisos = {
        "lectura": ("produccion.view_reportediario",),
        "escritura": ("produccion.add_reportediario", "produccion.change_reportediario"),
    }
    extra_error_codes = ["400", "403", "404", "412"]

    @extend_schema(
        tags=TAGS,
        operation_id="ots_reportes_diarios_retrieve",
        parameters=[s.MesSerializer],
        responses={200: s.ReportesDiariosSerializer},
    )
    def get(self, request: Request, ot_id: int) -> Response:
        """Each day's report state of the month (PENDIENTE, PROCESO, FALTA FIRMA PEMEX,
        FIRMADO) and comments per site: the OT's and any with a state or production that
        month; and the month's close (`cierre_mes`: ABIERTO, CERRADO or FIRMADO, and the
        evidence link). A FIRMADO day takes no more production writes. With an ETag."""
        query = s.MesSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        datos = selectors.reportes_diarios(ot_id=ot_id, **query.validated_data)
        return Response(datos, headers={"ETag": selectors.etiqueta(datos)})

    @extend_schema(
        tags=TAGS,
        operation_id="ots_reportes_diarios_update",
        parameters=[s.MesSerializer],
        request=s.ReportesDiariosInputSerializer,
        responses={
            200: s.ReportesDiariosSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description="A FIRMADO day would be opened while a presented estimación "
                "claims its production (`estimadas`).",
            ),
        },
    )
    def put(self, request: Request, ot_id: int) -> Response:
        """Set report states and comments: the GET's shape, days not sent left alone (a
        comment "" clears it); `cierre_mes` sets the month's close and evidence link. Each
        change is logged; setting or clearing FIRMADO takes the signing permissions (403); a
        stale If-Match is a 412; a bad site, day, state or link a 400 naming it; opening a
        FIRMADO day whose production a presented estimación claims, a 409."""
        query = s.MesSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        cuerpo = request.data if isinstance(request.data, dict) else {}
        services.reportes_guardar(
            usuario=current_user(request),
            ot_id=ot_id,
            sitios=cuerpo.get("sitios"),
            cierre_mes=cuerpo.get("cierre_mes"),
            if_match=if_match(request),
            **query.validated_data,
        )
        datos = selectors.reportes_diarios(ot_id=ot_id, **query.validated_data)
        return Response(datos, headers={"ETag": selectors.etiqueta(datos)})
