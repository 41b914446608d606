"""PTE shapes (a step's is in `flujo.serializers`). Output is built by plain functions (fast,
exact keys of contract B); the Serializer classes validate input and document the output in
the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from sascop.catalogos.estatus import EstatusPTE
from sascop.catalogos.models import Cliente, ResponsableProyecto, Tipo
from sascop.core.api.serializers import UTCDateTimeField, iso, page_serializer
from sascop.flujo.serializers import DetalleSerializer, detalle_item
from sascop.ptes.models import PTE, PTEDetalle


def pte_item(pte: PTE, progreso: float | None) -> dict[str, Any]:
    return {
        "id": pte.pk,
        "oficio_pte": pte.oficio_pte,
        "oficio_solicitud": pte.oficio_solicitud,
        "descripcion_trabajo": pte.descripcion_trabajo,
        "fecha_solicitud": iso(pte.fecha_solicitud),
        "fecha_entrega": iso(pte.fecha_entrega),
        "plazo_dias": pte.plazo_dias,
        "responsable_proyecto": pte.responsable_proyecto.nombre,
        "responsable_proyecto_id": pte.responsable_proyecto_id,
        "cliente": pte.cliente.descripcion,
        "cliente_id": pte.cliente_id,
        "tipo": pte.tipo.descripcion,
        "tipo_id": pte.tipo_id,
        "prioridad": pte.prioridad,
        "total_homologado": format(pte.total_homologado, "f"),
        "estatus": pte.estatus,
        "estatus_texto": EstatusPTE(pte.estatus).label,
        "progreso": progreso if progreso is not None else 0.0,
    }


def pte_completa(pte: PTE, detalles: list[PTEDetalle], progreso: float | None) -> dict[str, Any]:
    return {
        **pte_item(pte, progreso),
        "comentario": pte.comentario,
        "creado_en": iso(pte.creado_en),
        "actualizado_en": iso(pte.actualizado_en),
        "detalles": [detalle_item(d) for d in detalles],
    }


class PTEInputSerializer(serializers.Serializer):
    oficio_pte = serializers.CharField(max_length=60)
    oficio_solicitud = serializers.CharField(max_length=60, required=False, allow_blank=True)
    descripcion_trabajo = serializers.CharField()
    fecha_solicitud = serializers.DateField()
    fecha_entrega = serializers.DateField(required=False, allow_null=True)
    plazo_dias = serializers.IntegerField(min_value=1)
    responsable_proyecto = serializers.PrimaryKeyRelatedField(
        queryset=ResponsableProyecto.objects.all()
    )
    cliente = serializers.PrimaryKeyRelatedField(queryset=Cliente.objects.all())
    tipo = serializers.PrimaryKeyRelatedField(
        queryset=Tipo.objects.filter(aplica_a=Tipo.AplicaA.PTE)
    )
    prioridad = serializers.ChoiceField(choices=PTE.Prioridad.choices, required=False)
    total_homologado = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False
    )
    estatus = serializers.ChoiceField(choices=EstatusPTE.choices, required=False)
    comentario = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        solicitud, entrega = attrs.get("fecha_solicitud"), attrs.get("fecha_entrega")
        if solicitud and entrega and entrega < solicitud:
            raise serializers.ValidationError(
                {"fecha_entrega": _("Must not be before fecha_solicitud.")}
            )
        return attrs


class PTEItemSerializer(serializers.Serializer):
    """Documents `pte_item()`."""

    id = serializers.IntegerField()
    oficio_pte = serializers.CharField()
    oficio_solicitud = serializers.CharField()
    descripcion_trabajo = serializers.CharField()
    fecha_solicitud = serializers.DateField()
    fecha_entrega = serializers.DateField(allow_null=True)
    plazo_dias = serializers.IntegerField()
    responsable_proyecto = serializers.CharField(help_text="The person's name.")
    responsable_proyecto_id = serializers.IntegerField()
    cliente = serializers.CharField()
    cliente_id = serializers.IntegerField()
    tipo = serializers.CharField()
    tipo_id = serializers.IntegerField()
    prioridad = serializers.IntegerField()
    total_homologado = serializers.DecimalField(max_digits=16, decimal_places=2)
    estatus = serializers.ChoiceField(choices=EstatusPTE.choices)
    estatus_texto = serializers.CharField()
    progreso = serializers.FloatField(help_text="Percent of steps Completado or No aplica.")


class PTEDetailSerializer(PTEItemSerializer):
    """Documents `pte_completa()`."""

    comentario = serializers.CharField()
    creado_en = UTCDateTimeField()
    actualizado_en = UTCDateTimeField()
    detalles = DetalleSerializer(many=True)


PTEPageSerializer = page_serializer("PTEPage", "ptes", PTEItemSerializer)
