"""The guard calendar of a site: who is on duty each day of a month (read-only; the cycles
are administered as catalogs, `catalogos/guardias/`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sascop.catalogos import guardias
from sascop.catalogos.models import CicloGuardia, Sitio, Superintendente
from sascop.core.api.endpoints import ModelApi
from sascop.core.api.serializers import MesQuerySerializer
from sascop.core.errors import NotFound

TAGS = ["catalogos"]


class GuardiasQuerySerializer(MesQuerySerializer):
    """The month (query parameters; an empty one is a 400, not a default)."""


class SuperintendenteDeGuardiaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nombre = serializers.CharField()
    color = serializers.ChoiceField(
        choices=Superintendente.Color.choices, help_text="The colour that marks his days (1-8)."
    )


class GuardiasSerializer(serializers.Serializer):
    sitio = serializers.IntegerField()
    sitio_descripcion = serializers.CharField()
    anio = serializers.IntegerField()
    mes = serializers.IntegerField()
    dias = serializers.DictField(
        child=SuperintendenteDeGuardiaSerializer(allow_null=True),
        help_text='Each day of the month (`"1"`…`"31"`): who is on duty, or null before '
        "the site's first cycle.",
    )


class GuardiasApi(ModelApi):
    """Read with the permission other catalog reads need (`view_cicloguardia`)."""

    queryset = CicloGuardia.objects.all()
    extra_error_codes = ["400"]

    @extend_schema(
        tags=TAGS,
        operation_id="sitios_guardias_retrieve",
        parameters=[GuardiasQuerySerializer],
        responses={200: GuardiasSerializer},
    )
    def get(self, request: Request, sitio_id: int) -> Response:
        """Who is on duty at the site each day of the month: two superintendents take turns,
        14 days on and 14 off, from their cycle's start date (the latest active cycle that
        has begun decides each day)."""
        query = GuardiasQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        sitio = Sitio.objects.filter(pk=sitio_id).first()
        if sitio is None:
            raise NotFound()
        return Response(guardias.guardias_del_mes(sitio=sitio, **query.validated_data))
