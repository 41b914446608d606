"""The price-book API (`/operaciones/api/precios/`): concepts, PUE authorisation, import;
and each OT's anexo (`/operaciones/api/ots/<id>/anexo/`)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.accounts.current import current_user
from sascop.core.api.endpoints import ModelApi, if_match, with_etag
from sascop.core.api.pagination import page_or_workbook
from sascop.core.api.schema import export_parameter, filter_parameters, list_responses
from sascop.core.api.serializers import ErrorSerializer
from sascop.core.errors import PayloadTooLarge
from sascop.ots.models import OT
from sascop.precios import exports, importar_ots, libros_salida, selectors, services, tareas
from sascop.precios import serializers as s
from sascop.precios.models import AnexoOT, ArchivoImportacion, Concepto
from sascop.tareas.models import Tarea
from sascop.tareas.selectors import tarea_estado

TAGS = ["precios"]
LIST_PARAMS = filter_parameters(
    selectors.ConceptoFilter,
    {
        "contrato": "The contract's número.",
        "anexo": 'Anexo key, as users write it: "C-5", "c-5-1", "Anexo C-5".',
        "buscar": "Text in the partida, concepto or section.",
        "estatus": "Repeatable.",
        "pte": "PUEs drawn up for this PTE.",
        "ot": "PUEs drawn up for this OT.",
    },
)


def _archivo_subido(datos: dict[str, Any]) -> Any:
    """The uploaded workbook, refused (413) beyond the upload limit. Content-Length was
    checked before the body was read; a chunked upload has none, so its size is checked here."""
    archivo = datos["archivo"]
    if archivo.size > settings.MAX_UPLOAD_BODY_BYTES:
        raise PayloadTooLarge(
            gettext("The file may not exceed %(n)d bytes.") % {"n": settings.MAX_UPLOAD_BODY_BYTES}
        )
    return archivo


def _en_cola(tarea: Tarea) -> Response:
    """202: the import was queued; `Location` is the task to poll."""
    url = reverse("operaciones:tarea-detalle", kwargs={"tarea_id": tarea.pk})
    return Response(
        {"tarea": str(tarea.pk), **tarea_estado(tarea)},
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": url},
    )


# The 202 of an import queued because of its size.
_EN_COLA = OpenApiResponse(
    s.ImportacionEnColaSerializer,
    description="A workbook of more rows than IMPORTAR_FILAS_EN_TAREA (2,000 by default): the "
    "import was queued. Poll `Location` (`GET /operaciones/api/tareas/<id>/`) until `estado` "
    "is `terminada` (`resultado` is then this endpoint's 200 or 201 body) or `fallida` "
    "(`error` is then its 4xx body).",
)


class _Permisos(BasePermission):
    """The view's `permisos`, all of them (a custom permission, or several model ones)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.user.has_perms(getattr(view, "permisos", ()))


class ConceptoListApi(ModelApi):
    queryset = Concepto.objects.all()
    extra_error_codes = ["400", "404", "409"]

    @extend_schema(
        tags=TAGS,
        operation_id="precios_conceptos_list",
        parameters=[*LIST_PARAMS, export_parameter()],
        responses=list_responses(s.ConceptoPageSerializer),
    )
    def get(self, request: Request) -> HttpResponseBase:
        """The price book's concepts in book order (contract, anexo, key), a page at a time.
        Money is decimal strings. With `formato=xlsx`, every matching concept as an Excel
        workbook (money as numbers)."""
        return page_or_workbook(
            request.query_params,
            selectors.concepto_lista(request.query_params),
            "conceptos",
            lambda page: [s.concepto_item(c) for c in page],
            exports.conceptos_xlsx,
        )

    @extend_schema(
        tags=TAGS,
        request=s.ConceptoInputSerializer,
        responses={201: s.ConceptoDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        """Draw up an extraordinary concept (PUE) in an anexo: it starts `EN_ELABORACION`,
        optionally naming its PTE or OT. A partida the anexo already has is a 409."""
        data = s.ConceptoInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        concepto = services.concepto_crear(usuario=current_user(request), datos=data.validated_data)
        concepto = selectors.concepto_detalle(concepto.pk)
        return with_etag(s.concepto_completo(concepto), concepto, status.HTTP_201_CREATED)


class ConceptoDetailApi(ModelApi):
    queryset = Concepto.objects.all()

    @extend_schema(tags=TAGS, responses={200: s.ConceptoDetailSerializer})
    def get(self, request: Request, concepto_id: int) -> Response:
        """One concept, with its ETag (send it as If-Match to authorise it)."""
        concepto = selectors.concepto_detalle(concepto_id)
        return with_etag(s.concepto_completo(concepto), concepto)


class ConceptoAutorizarApi(ModelApi):
    permission_classes = [IsAuthenticated, _Permisos]
    permisos = ("precios.autorizar_concepto",)
    extra_error_codes = ["409", "412"]

    @extend_schema(tags=TAGS, request=None, responses={200: s.ConceptoDetailSerializer})
    def post(self, request: Request, concepto_id: int) -> Response:
        """Authorise an extraordinary concept (PUE): `EN_ELABORACION` → `AUTORIZADO`.
        Needs the `precios.autorizar_concepto` permission (Administración). Send the
        concept's ETag as If-Match: a stale one gets 412; an authorised concept, 409."""
        services.concepto_autorizar(
            usuario=current_user(request),
            concepto_id=concepto_id,
            if_match=if_match(request),
        )
        concepto = selectors.concepto_detalle(concepto_id)
        return with_etag(s.concepto_completo(concepto), concepto)


# The 400 of every import: what the file is not, or what the form lacks.
_NO_ES_LIBRO = OpenApiResponse(
    s.ImportarErrorSerializer,
    description="Not a readable .xlsx workbook (`invalid_workbook`, empty `filas`), or no "
    "`archivo` (`invalid`, with `fields`).",
)


class ImportarApi(ModelApi):
    """Import the client's price-book workbook."""

    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, _Permisos]
    permisos = ("precios.add_concepto", "precios.change_concepto")
    # RequestSizeLimitMiddleware lets bodies up to MAX_UPLOAD_BODY_BYTES through to this
    # view only; every other endpoint keeps the general limit.
    accepts_uploads = True
    # The workbook is read before the service's transaction opens (see ModelApi).
    una_transaccion = False
    extra_error_codes = ["409"]

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": s.ImportarInputSerializer},
        responses={
            200: s.ImportacionSerializer,
            202: _EN_COLA,
            400: _NO_ES_LIBRO,
            422: OpenApiResponse(
                s.LibroErrorSerializer,
                description="Rows or sheets that could not be read (`invalid_workbook`), "
                "each in `filas` with its sheet, row number, partida and reasons. "
                "Nothing was stored.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        """Import the price book from an .xlsx workbook (multipart field `archivo`, 10 MB
        at most): one sheet per anexo, a header row under a few title lines, section rows
        grouping the concepts below them; each table ends at its TOTAL row or at the rows
        with neither unit nor price that close it (amount in words, place and date,
        signatures). A summary sheet of anexo totals is skipped (`hojas_resumen`). One
        partida may name several concepts (C-4 4.7. TUBERO, SOLDADOR…): each is its own,
        told apart by its text. The PUE list (columns ID PADRE, PTE CREACION…) goes through
        the same endpoint: keyed rows are authorised extraordinary concepts, rows with no
        key PUE proposals (`propuestas`). All-or-nothing, and idempotent: the same book
        twice changes nothing; a changed price updates its concept and is logged
        (`cambios_de_precio`). `simular=true`: the same answer, nothing stored. A workbook
        of more rows than IMPORTAR_FILAS_EN_TAREA is imported by the task worker: 202, with
        the task to poll in `Location`."""
        data = s.ImportarInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        archivo = _archivo_subido(data.validated_data)
        tarea = tareas.importacion_si_grande(
            usuario=current_user(request),
            tipo=ArchivoImportacion.Tipo.PRECIOS,
            simular=data.validated_data["simular"],
            libro=archivo,
            nombre_archivo=archivo.name or "",
            contrato=data.validated_data.get("contrato") or "",
        )
        if tarea is not None:
            return _en_cola(tarea)
        resultado = services.conceptos_importar(
            usuario=current_user(request),
            archivo=archivo,
            contrato=data.validated_data.get("contrato"),
            simular=data.validated_data["simular"],
        )
        return Response(s.importacion(resultado))


class OTImportarApi(ModelApi):
    """Import the client's register of OTs."""

    queryset = OT.objects.all()
    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, _Permisos]
    permisos = ("ots.add_ot", "ots.change_ot")
    accepts_uploads = True
    # The register is read before the service's transaction opens (see ModelApi).
    una_transaccion = False

    @extend_schema(
        tags=["ots"],
        operation_id="ots_importar",
        request={"multipart/form-data": s.RegistroInputSerializer},
        responses={
            200: s.RegistroOTsSerializer,
            202: _EN_COLA,
            400: _NO_ES_LIBRO,
            422: OpenApiResponse(
                ErrorSerializer,
                description="A workbook that is not a register of OTs (no header row naming "
                "orden_trabajo, no rows): nothing was read.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        """Import the register of OTs from an .xlsx workbook (multipart `archivo`): one OT
        per row, the previous system's columns. Row by row: each OT in its own savepoint, a
        row that cannot be taken is in `rechazadas` with its reasons and the rest go in.
        Matched by (orden_trabajo, num_reprogramacion): the same register twice creates
        nothing; a changed row is an update, logged. Re-programmings are linked to their
        principal whatever the order. Unknown old catalog ids get placeholder entries
        (`catalogos_creados`); a date that does not parse is left empty, with a warning
        (`advertencias`). `simular=true`: the same answer, nothing stored. Needs
        `ots.add_ot` and `ots.change_ot`. A register of more rows than
        IMPORTAR_FILAS_EN_TAREA is imported by the task worker: 202, with the task to poll in
        `Location`."""
        data = s.RegistroInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        archivo = _archivo_subido(data.validated_data)
        tarea = tareas.importacion_si_grande(
            usuario=current_user(request),
            tipo=ArchivoImportacion.Tipo.OTS,
            simular=data.validated_data["simular"],
            libro=archivo,
            nombre_archivo=archivo.name or "",
        )
        if tarea is not None:
            return _en_cola(tarea)
        resultado = importar_ots.ots_importar(
            usuario=current_user(request),
            archivo=archivo,
            simular=data.validated_data["simular"],
        )
        return Response(s.registro_ots(resultado))


# --- an OT's anexo ----------------------------------------------------------------------------

TAGS_ANEXO = ["anexo de OT"]


class _XlsxTambien:
    """For views that may answer a workbook: an Accept naming only the workbook's type gets
    it (or the JSON error), not a 406 from the JSON-only renderers."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)  # type: ignore[misc]


def _xlsx(contenido: bytes, nombre: str) -> HttpResponse:
    respuesta = HttpResponse(contenido, content_type=libros_salida.TIPO_XLSX)
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    return respuesta


class AnexoOTApi(_XlsxTambien, ModelApi):
    """An OT's anexo: its priced partidas and programmed volumes, version by version."""

    queryset = AnexoOT.objects.all()
    parser_classes = [MultiPartParser]
    # Reading needs the OT view permission; importing, `precios.add_anexoot`.
    permission_classes = [IsAuthenticated, _Permisos]
    accepts_uploads = True
    # Not ModelApi's one transaction per write: the workbook is read before the service's
    # own transactions open, and a refused one is an error answer whose stored copy (for the
    # download with observations) must survive it.
    una_transaccion = False
    # A `version` or `formato` that is not one.
    extra_error_codes = ["400"]

    @property
    def permisos(self) -> tuple[str, ...]:
        if self.request.method in SAFE_METHODS:
            return ("ots.view_ot",)
        return ("precios.add_anexoot",)

    @extend_schema(
        tags=TAGS_ANEXO,
        operation_id="ots_anexo_retrieve",
        parameters=[s.AnexoQuerySerializer],
        responses={
            (200, "application/json"): s.AnexoOTSerializer,
            (200, libros_salida.TIPO_XLSX): OpenApiResponse(
                OpenApiTypes.BINARY, description="With `formato=xlsx`."
            ),
        },
    )
    def get(self, request: Request, ot_id: int) -> HttpResponseBase:
        """The OT's active anexo (or `version`): every partida with its volume, the price
        book's unit prices when it was imported, amounts and programmed daily volumes; the
        totals, and `homologado_mn` = M.N. + USD times the exchange rate in force today.
        `ejecutado` and `excedente`: the OT's production on each line's concept.
        With an ETag (versions never change; the rate may)."""
        query = s.AnexoQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        anexo = selectors.anexo_ot(ot_id, query.validated_data.get("version"))
        datos = s.anexo_ot(anexo, selectors.tipo_cambio_vigente(timezone.localdate()))
        if query.validated_data["formato"] == "xlsx":
            contenido = libros_salida.anexo_xlsx(datos, f"Anexo de la OT {ot_id}")
            return _xlsx(contenido, f"anexo-ot-{ot_id}-v{anexo.version}.xlsx")
        etiqueta = (
            '"' + hashlib.sha256(json.dumps(datos, sort_keys=True).encode()).hexdigest()[:32] + '"'
        )
        return Response(datos, headers={"ETag": etiqueta})

    @extend_schema(
        tags=TAGS_ANEXO,
        operation_id="ots_anexo_import",
        request={"multipart/form-data": s.AnexoInputSerializer},
        responses={
            201: s.ResultadoAnexoSerializer,
            202: _EN_COLA,
            400: _NO_ES_LIBRO,
            422: OpenApiResponse(
                s.AnexoErrorSerializer,
                description="Wrong rows (`invalid_workbook`): each in `filas` with its row "
                "number, partida and reasons; `observaciones` links to the workbook with an "
                "OBSERVACIONES column. Nothing was imported.",
            ),
        },
    )
    def post(self, request: Request, ot_id: int) -> Response:
        """Import the OT's anexo from an .xlsx workbook (multipart `archivo`, 10 MB at most)
        as its new active version; earlier versions stay readable with `?version=`. Every
        row must be a concept of the price book (anexo + partida, same concept and unit);
        the price book's prices are used. `modo=actualizar` adds only new partidas to the
        active version's. Needs `precios.add_anexoot` (Ingeniería, Administración). A
        workbook of more rows than IMPORTAR_FILAS_EN_TAREA is imported by the task worker:
        202, with the task to poll in `Location` (its `resultado` is this 201 body)."""
        data = s.AnexoInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        archivo = _archivo_subido(data.validated_data)
        try:
            resultado = tareas.anexo_importar_o_encolar(
                usuario=current_user(request),
                ot_id=ot_id,
                modo=data.validated_data["modo"],
                libro=archivo,
                nombre_archivo=archivo.name or "",
            )
        except services.AnexoInvalido as exc:
            importacion = exc.extra.pop("importacion")
            exc.extra["observaciones"] = reverse(
                "operaciones:ots-anexo-errores", args=[ot_id, importacion]
            )
            raise
        if isinstance(resultado, Tarea):
            return _en_cola(resultado)
        return Response(s.resultado_anexo(resultado), status=status.HTTP_201_CREATED)


class AnexoErroresApi(_XlsxTambien, ModelApi):
    queryset = AnexoOT.objects.all()
    permission_classes = [IsAuthenticated, _Permisos]
    permisos = ("precios.add_anexoot",)

    @extend_schema(
        tags=TAGS_ANEXO,
        responses={(200, libros_salida.TIPO_XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, ot_id: int, importacion_id: int) -> HttpResponse:
        """A refused anexo workbook as it was sent, with an OBSERVACIONES column saying
        what is wrong on each row. Kept for a day after the import."""
        fallida = selectors.importacion_fallida(ot_id, importacion_id)
        contenido = libros_salida.con_observaciones(
            bytes(fallida.contenido), fallida.encabezado, fallida.errores
        )
        return _xlsx(contenido, f"anexo-ot-{ot_id}-observaciones.xlsx")
