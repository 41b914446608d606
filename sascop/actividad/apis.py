from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from sascop.actividad.models import RegistroActividad
from sascop.actividad.selectors import ActividadFilter, actividad_lista
from sascop.actividad.serializers import ActividadPageSerializer, RegistroSerializer
from sascop.core.apis import ModelApi
from sascop.core.pagination import paginate
from sascop.core.schema import filter_parameters


class ActividadApi(ModelApi):
    queryset = RegistroActividad.objects.all()
    extra_error_codes = ["400", "404"]

    @extend_schema(
        tags=["actividad"],
        parameters=filter_parameters(
            ActividadFilter,
            {"accion": "Repeatable.", "entidad": "e.g. pte, ot, produccion"},
        ),
        responses={200: ActividadPageSerializer},
    )
    def get(self, request: Request) -> Response:
        """The activity log, newest first (administrators): who changed what, and
        logins, failed logins, logouts, expiries and lock-outs."""
        page, meta = paginate(actividad_lista(request.query_params), request.query_params)
        return Response({"actividad": RegistroSerializer(page, many=True).data, **meta})
