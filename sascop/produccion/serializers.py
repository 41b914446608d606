from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sascop.catalogos.estatus import EstatusCobro
from sascop.catalogos.models import Partida, Sitio, UnidadMedida
from sascop.core.serializers import page_serializer
from sascop.ots.models import OT
from sascop.produccion.models import Produccion


def produccion_item(fila: Produccion) -> dict[str, Any]:
    return {
        "id": fila.pk,
        "ot_id": fila.ot_id,
        "orden_trabajo": fila.ot.orden_trabajo,
        "partida_id": fila.partida_id,
        "partida_clave": fila.partida.clave,
        "partida_descripcion": fila.partida.descripcion,
        "unidad_id": fila.unidad_id,
        "unidad": fila.unidad.clave,
        "sitio_id": fila.sitio_id,
        "sitio": fila.sitio.descripcion,
        "fecha_produccion": fila.fecha_produccion.isoformat(),
        "volumen_produccion": format(fila.volumen_produccion, "f"),
        "tipo_tiempo": fila.tipo_tiempo,
        "es_excedente": fila.es_excedente,
        "estatus_cobro": fila.estatus_cobro,
        "estatus_cobro_texto": EstatusCobro(fila.estatus_cobro).label,
        "comentario": fila.comentario,
    }


class ProduccionInputSerializer(serializers.Serializer):
    ot = serializers.PrimaryKeyRelatedField(queryset=OT.objects.all())
    partida = serializers.PrimaryKeyRelatedField(queryset=Partida.objects.all())
    unidad = serializers.PrimaryKeyRelatedField(
        queryset=UnidadMedida.objects.all(), required=False, help_text="Default: the partida's."
    )
    sitio = serializers.PrimaryKeyRelatedField(
        queryset=Sitio.objects.all(), required=False, help_text="Default: the OT's site."
    )
    fecha_produccion = serializers.DateField()
    volumen_produccion = serializers.DecimalField(
        max_digits=16, decimal_places=4, min_value=0, help_text="Greater than 0."
    )
    tipo_tiempo = serializers.ChoiceField(choices=Produccion.TipoTiempo.choices, required=False)
    es_excedente = serializers.BooleanField(required=False)
    estatus_cobro = serializers.ChoiceField(choices=EstatusCobro.choices, required=False)
    comentario = serializers.CharField(required=False, allow_blank=True)

    def validate_volumen_produccion(self, value: Any) -> Any:
        if value <= 0:
            raise serializers.ValidationError("Must be greater than 0.")
        return value


class ProduccionLoteInputSerializer(serializers.Serializer):
    filas = ProduccionInputSerializer(many=True)


class ProduccionItemSerializer(serializers.Serializer):
    """Documents `produccion_item()`."""

    id = serializers.IntegerField()
    ot_id = serializers.IntegerField()
    orden_trabajo = serializers.CharField()
    partida_id = serializers.IntegerField()
    partida_clave = serializers.CharField()
    partida_descripcion = serializers.CharField()
    unidad_id = serializers.IntegerField()
    unidad = serializers.CharField()
    sitio_id = serializers.IntegerField()
    sitio = serializers.CharField()
    fecha_produccion = serializers.DateField()
    volumen_produccion = serializers.DecimalField(max_digits=16, decimal_places=4)
    tipo_tiempo = serializers.ChoiceField(choices=Produccion.TipoTiempo.choices)
    es_excedente = serializers.BooleanField()
    estatus_cobro = serializers.ChoiceField(choices=EstatusCobro.choices)
    estatus_cobro_texto = serializers.CharField()
    comentario = serializers.CharField()


ProduccionPageSerializer = page_serializer("ProduccionPage", "produccion", ProduccionItemSerializer)


class ProduccionLoteSerializer(serializers.Serializer):
    creadas = serializers.IntegerField()
    produccion = ProduccionItemSerializer(many=True)
