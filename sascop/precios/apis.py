"""The price-book API (`/operaciones/api/precios/`): concepts, PUE authorisation, import."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sascop.accounts.current import current_user
from sascop.core.apis import ModelApi, if_match, with_etag
from sascop.core.errors import PayloadTooLarge
from sascop.core.pagination import paginate
from sascop.core.schema import filter_parameters
from sascop.precios import selectors, services
from sascop.precios import serializers as s
from sascop.precios.models import Anexo, Concepto

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
        parameters=LIST_PARAMS,
        responses={200: s.ConceptoPageSerializer},
    )
    def get(self, request: Request) -> Response:
        """The price book's concepts in book order (contract, anexo, key), a page at a time.
        Money is decimal strings."""
        page, meta = paginate(
            selectors.concepto_lista(request.query_params),
            request.query_params,
            counted_as="conceptos",
            depends_on=[Concepto, Anexo],
        )
        return Response({"conceptos": [s.concepto_item(c) for c in page], **meta})

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


class ImportarApi(ModelApi):
    """Import the client's price-book workbook."""

    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, _Permisos]
    permisos = ("precios.add_concepto", "precios.change_concepto")
    # RequestSizeLimitMiddleware lets bodies up to MAX_UPLOAD_BODY_BYTES through to this
    # view only; every other endpoint keeps the general limit.
    accepts_uploads = True
    extra_error_codes = ["409"]

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": s.ImportarInputSerializer},
        responses={
            200: s.ImportacionSerializer,
            400: OpenApiResponse(
                s.ImportarErrorSerializer,
                description="Not a readable .xlsx workbook (`invalid_workbook`, empty "
                "`filas`), or no `archivo` (`invalid`, with `fields`).",
            ),
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
        grouping the concepts below them. All-or-nothing, and idempotent: the same book
        twice changes nothing; a changed price updates its concept and is logged."""
        data = s.ImportarInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        archivo: Any = data.validated_data["archivo"]
        # Content-Length was checked before the body was read; a chunked upload has none.
        if archivo.size > settings.MAX_UPLOAD_BODY_BYTES:
            raise PayloadTooLarge(
                f"The file may not exceed {settings.MAX_UPLOAD_BODY_BYTES} bytes."
            )
        resultado = services.conceptos_importar(
            usuario=current_user(request),
            archivo=archivo,
            contrato=data.validated_data.get("contrato"),
        )
        return Response(s.importacion(resultado))
