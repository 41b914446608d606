from __future__ import annotations

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from sascop.actividad import exports
from sascop.actividad.models import RegistroActividad
from sascop.actividad.selectors import ActividadFilter, actividad_lista
from sascop.actividad.serializers import ActividadPageSerializer, RegistroSerializer
from sascop.core import excel
from sascop.core.api.endpoints import ModelApi
from sascop.core.api.pagination import page_params, paginate
from sascop.core.api.schema import export_parameter, filter_parameters


class ActividadApi(ModelApi):
    queryset = RegistroActividad.objects.all()
    extra_error_codes = ["400", "404"]

    @extend_schema(
        tags=["actividad"],
        parameters=[
            *filter_parameters(
                ActividadFilter,
                {"accion": "Repeatable.", "entidad": "e.g. pte, ot, produccion"},
            ),
            export_parameter(),
        ],
        responses={
            (200, "application/json"): ActividadPageSerializer,
            (200, excel.XLSX): OpenApiResponse(
                OpenApiTypes.BINARY, description="With `formato=xlsx`: the workbook."
            ),
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        """The activity log, newest first (administrators): who changed what, and
        logins, failed logins, logouts, expiries and lock-outs; or, with `formato=xlsx`,
        every matching row as an Excel workbook."""
        registros = actividad_lista(request.query_params)
        if excel.pide_xlsx(request.query_params):
            page_params(request.query_params)  # refused as for a page, though not applied
            return exports.actividad_xlsx(registros)
        page, meta = paginate(registros, request.query_params)
        return Response({"actividad": RegistroSerializer(page, many=True).data, **meta})
