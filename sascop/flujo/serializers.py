"""A workflow step's shape (PTE and OT steps alike) and the input a step edit takes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sascop.catalogos.estatus import EstatusPaso
from sascop.core.api.serializers import iso


def detalle_item(detalle: Any, estatus_key: str = "estatus_pte") -> dict[str, Any]:
    """A workflow step (of a PTE, or of an OT with `estatus_key="estatus_ot"`)."""
    return {
        "id": detalle.pk,
        "paso_id": detalle.paso_id,
        "paso_descripcion": detalle.paso.descripcion,
        "orden": detalle.paso.orden,
        estatus_key: detalle.estatus,
        "estatus_texto": EstatusPaso(detalle.estatus).label,
        "fecha_inicio": iso(detalle.fecha_inicio),
        "fecha_termino": iso(detalle.fecha_termino),
        "fecha_entrega": iso(detalle.fecha_entrega),
        "comentario": detalle.comentario,
        "archivo": detalle.archivo,
    }


class PasoInputSerializer(serializers.Serializer):
    estatus = serializers.ChoiceField(choices=EstatusPaso.choices, required=False)
    fecha_inicio = serializers.DateField(required=False, allow_null=True)
    fecha_termino = serializers.DateField(required=False, allow_null=True)
    fecha_entrega = serializers.DateField(required=False, allow_null=True)
    comentario = serializers.CharField(required=False, allow_blank=True)
    archivo = serializers.URLField(max_length=500, required=False, allow_blank=True)


class DetalleSerializer(serializers.Serializer):
    """Documents `detalle_item()`."""

    id = serializers.IntegerField()
    paso_id = serializers.IntegerField()
    paso_descripcion = serializers.CharField()
    orden = serializers.IntegerField()
    estatus_pte = serializers.ChoiceField(choices=EstatusPaso.choices)
    estatus_texto = serializers.CharField()
    fecha_inicio = serializers.DateField(allow_null=True)
    fecha_termino = serializers.DateField(allow_null=True)
    fecha_entrega = serializers.DateField(allow_null=True)
    comentario = serializers.CharField()
    archivo = serializers.CharField()
