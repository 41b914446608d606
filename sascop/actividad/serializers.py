from __future__ import annotations

from rest_framework import serializers

from sascop.actividad.models import RegistroActividad
from sascop.core.api.serializers import UTCDateTimeField, page_serializer


class RegistroSerializer(serializers.ModelSerializer):
    fecha = UTCDateTimeField(read_only=True)

    class Meta:
        model = RegistroActividad
        fields = [
            "id",
            "fecha",
            "usuario",
            "nombre_usuario",
            "accion",
            "entidad",
            "entidad_id",
            "campo",
            "valor_anterior",
            "valor_nuevo",
            "ip",
        ]


ActividadPageSerializer = page_serializer("ActividadPage", "actividad", RegistroSerializer)
