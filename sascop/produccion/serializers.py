from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sascop.catalogos.estatus import EstatusCobro
from sascop.catalogos.models import Partida, Sitio, UnidadMedida
from sascop.core.errors import InvalidInput
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


def campos_de_fila(index: int, fields: dict[str, Any]) -> dict[str, list[str]]:
    """A row's field errors as the bulk answer names them: `filas[3].volumen_produccion`."""
    return {
        f"filas[{index}].{name}": [str(m) for m in messages] for name, messages in fields.items()
    }


class ProduccionLoteInputSerializer(serializers.Serializer):
    """`{"filas": [...]}` (or the bare list), each row as `ProduccionInputSerializer` takes it."""

    filas = ProduccionInputSerializer(many=True, allow_empty=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if isinstance(kwargs.get("data"), list):
            kwargs["data"] = {"filas": kwargs["data"]}
        super().__init__(*args, **kwargs)

    def lote(self) -> list[dict[str, Any]]:
        """The valid rows; else a 400 naming every bad field as `filas[i].campo`."""
        if self.is_valid():
            filas: list[dict[str, Any]] = self.validated_data["filas"]
            return filas
        errores = self.errors.get("filas")
        # DRF names a bad row by its index (a dict of them, or a list with {} for good rows).
        por_fila = dict(enumerate(errores)) if isinstance(errores, list) else errores
        if isinstance(por_fila, dict) and all(isinstance(e, dict) for e in por_fila.values()):
            fields: dict[str, list[str]] = {}
            for index, fila in sorted(por_fila.items()):
                fields.update(campos_de_fila(int(index), fila))
            raise InvalidInput("Some rows are not valid; nothing was saved.", fields=fields)
        raise InvalidInput(fields={"filas": ["Send a non-empty list of rows."]})


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
