from __future__ import annotations

from rest_framework import serializers

from sascop.actividad.models import RegistroActividad


class RegistroSerializer(serializers.ModelSerializer):
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


class ActividadPageSerializer(serializers.Serializer):
    actividad = RegistroSerializer(many=True)
    total = serializers.IntegerField()
    total_paginas = serializers.IntegerField()
    pagina_actual = serializers.IntegerField()
    elementos_por_pagina = serializers.IntegerField()
