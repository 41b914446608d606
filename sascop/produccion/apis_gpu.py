"""The GPU board's API: `GET/PUT /operaciones/api/ots/<id>/gpu/?anio=&mes=`."""

from __future__ import annotations

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sascop.accounts.current import current_user
from sascop.core.api.endpoints import ModelApi, if_match
from sascop.core.excel import XLSX
from sascop.produccion import gpu, selectors
from sascop.produccion import serializers as s
from sascop.produccion.apis import TAGS, _Permisos, _XlsxTambien
from sascop.produccion.models import RegistroGPU, ReporteDiario


class GPUQuerySerializer(s.MesSerializer):
    formato = serializers.ChoiceField(
        choices=["json", "xlsx"], default="json", help_text="`xlsx`: the board as a workbook."
    )


class RegistroGPUSerializer(serializers.Serializer):
    produccion = serializers.IntegerField(help_text="The production row (its id).")
    partida_anexo = serializers.IntegerField()
    anexo = serializers.CharField()
    partida = serializers.CharField()
    concepto = serializers.CharField()
    unidad = serializers.CharField()
    tipo_tiempo = serializers.CharField()
    sitio = serializers.IntegerField()
    sitio_descripcion = serializers.CharField()
    fecha = serializers.DateField()
    dia = serializers.IntegerField()
    volumen = serializers.DecimalField(max_digits=16, decimal_places=4)
    estatus = serializers.ChoiceField(
        choices=ReporteDiario.Estatus.choices, help_text="GPU state (PENDIENTE when never set)."
    )
    evidencia = serializers.CharField(allow_blank=True, help_text="Link (URL) to the evidence.")
    nota = serializers.CharField(allow_blank=True)
    dia_firmado = serializers.BooleanField(
        help_text="The day's report (OT, site, date) is FIRMADO: the record cannot change."
    )


class TableroGPUSerializer(serializers.Serializer):
    """Documents `gpu.tablero()`."""

    ot = serializers.IntegerField()
    orden_trabajo = serializers.CharField()
    anio = serializers.IntegerField()
    mes = serializers.IntegerField()
    dias = serializers.ListField(child=serializers.IntegerField())
    registros = RegistroGPUSerializer(many=True)


class RegistroGPUInputSerializer(serializers.Serializer):
    produccion = serializers.IntegerField()
    estatus = serializers.ChoiceField(choices=ReporteDiario.Estatus.choices, required=False)
    evidencia = serializers.CharField(allow_blank=True, required=False)
    nota = serializers.CharField(allow_blank=True, required=False)


class TableroGPUInputSerializer(serializers.Serializer):
    """Documents the PUT body: the GET's shape; only `produccion`, `estatus`, `evidencia`
    and `nota` are read, a field left out is left alone."""

    registros = RegistroGPUInputSerializer(many=True)


class TableroGPUApi(_XlsxTambien, ModelApi):
    """The GPU evidence of an OT's C-2 and C-3 production in a month."""

    queryset = RegistroGPU.objects.all()
    permission_classes = [IsAuthenticated, _Permisos]
    permisos = {
        "lectura": ("produccion.view_produccion", "produccion.view_registrogpu"),
        "escritura": ("produccion.add_registrogpu", "produccion.change_registrogpu"),
    }
    extra_error_codes = ["400", "403", "404", "409", "412"]

    @extend_schema(
        tags=TAGS,
        operation_id="ots_gpu_retrieve",
        parameters=[GPUQuerySerializer],
        responses={
            (200, "application/json"): TableroGPUSerializer,
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="With `formato=xlsx`."),
        },
    )
    def get(self, request: Request, ot_id: int) -> HttpResponseBase:
        """Every production row of the OT's anexo C-2 and C-3 lines in the month with its
        GPU state (PENDIENTE, PROCESO, FALTA FIRMA PEMEX, FIRMADO), evidence link and note.
        With an ETag; `formato=xlsx` answers a workbook."""
        query = GPUQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        datos = gpu.tablero(ot_id=ot_id, anio=query.validated_data["anio"],
                            mes=query.validated_data["mes"])  # fmt: skip
        if query.validated_data["formato"] == "xlsx":
            return gpu.tablero_xlsx(datos)
        return Response(datos, headers={"ETag": selectors.etiqueta(datos)})

    @extend_schema(
        tags=TAGS,
        operation_id="ots_gpu_update",
        parameters=[s.MesSerializer],
        request=TableroGPUInputSerializer,
        responses={200: TableroGPUSerializer, 409: s.SabanaErrorSerializer},
    )
    def put(self, request: Request, ot_id: int) -> Response:
        """Set GPU states, evidence links and notes (the GET's shape; records not sent are
        left alone). All or nothing: a bad record is a 400 naming it, a record of a
        FIRMADO day a 409, setting or clearing FIRMADO without the signing permissions a
        403, a stale If-Match a 412. Each change is logged. Answers the board."""
        query = s.MesSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        cuerpo = request.data if isinstance(request.data, dict) else {}
        gpu.gpu_guardar(
            usuario=current_user(request),
            ot_id=ot_id,
            registros=cuerpo.get("registros"),
            if_match=if_match(request),
            **query.validated_data,
        )
        datos = gpu.tablero(ot_id=ot_id, **query.validated_data)
        return Response(datos, headers={"ETag": selectors.etiqueta(datos)})
