from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from sascop.accounts.current import current_user
from sascop.core.apis import ModelApi, if_match, with_etag
from sascop.core.errors import NotFound
from sascop.core.pagination import paginate
from sascop.core.schema import filter_parameters
from sascop.produccion import selectors, services
from sascop.produccion import serializers as s
from sascop.produccion.models import Produccion

TAGS = ["produccion"]


class ProduccionListApi(ModelApi):
    queryset = Produccion.objects.all()
    extra_error_codes = ["400", "404", "409"]

    @extend_schema(
        tags=TAGS,
        operation_id="produccion_list",
        parameters=filter_parameters(selectors.ProduccionFilter),
        responses={200: s.ProduccionPageSerializer},
    )
    def get(self, request: Request) -> Response:
        """Production rows, newest date first (rows of deleted OTs are left out)."""
        page, meta = paginate(
            selectors.produccion_lista(request.query_params), request.query_params
        )
        return Response({"produccion": [s.produccion_item(f) for f in page], **meta})

    @extend_schema(
        tags=TAGS, request=s.ProduccionInputSerializer, responses={201: s.ProduccionItemSerializer}
    )
    def post(self, request: Request) -> Response:
        """Record one row. The same OT, partida, date, kind of time and site twice is a 409."""
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
            raise NotFound(f"Production row {produccion_id} does not exist.")
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
