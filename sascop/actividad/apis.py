from __future__ import annotations

from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request

from sascop.actividad import exports
from sascop.actividad.models import RegistroActividad
from sascop.actividad.selectors import ActividadFilter, actividad_lista
from sascop.actividad.serializers import ActividadPageSerializer, RegistroSerializer
from sascop.core.api.endpoints import ModelApi
from sascop.core.api.pagination import page_or_workbook
from sascop.core.api.schema import export_parameter, filter_parameters, list_responses


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
        responses=list_responses(ActividadPageSerializer),
    )
    def get(self, request: Request) -> HttpResponseBase:
        """The activity log, newest first (administrators): who changed what, and
        logins, failed logins, logouts, expiries and lock-outs; or, with `formato=xlsx`,
        every matching row as an Excel workbook."""
        return page_or_workbook(
            request.query_params,
            actividad_lista(request.query_params),
            "actividad",
            lambda page: RegistroSerializer(page, many=True).data,
            exports.actividad_xlsx,
        )
