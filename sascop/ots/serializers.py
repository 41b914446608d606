"""OT shapes: plain functions build the output, Serializer classes validate input and
document the output."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from sascop.catalogos.estatus import EstatusOT, EstatusPaso
from sascop.catalogos.models import Cliente, Frente, ResponsableProyecto, Sitio
from sascop.core.api.serializers import UTCDateTimeField, iso, page_serializer
from sascop.flujo.serializers import DetalleSerializer, PasoInputSerializer, detalle_item
from sascop.ots.models import LUGARES, OT, OTDetalle
from sascop.ots.selectors import Avance


def _nombre(obj: Any, attr: str = "descripcion") -> str | None:
    return getattr(obj, attr) if obj is not None else None


def _centavos(valor: Decimal) -> str:
    # An expression's decimal comes back from SQLite without its scale (16095 for 16095.00).
    return format(Decimal(valor).quantize(Decimal("0.01")), "f")


def ot_item(ot: OT, avance: Avance) -> dict[str, Any]:
    return {
        "id": ot.pk,
        "orden_trabajo": ot.orden_trabajo,
        "oficio_ot": ot.oficio_ot,
        "descripcion_trabajo": ot.descripcion_trabajo,
        "pte_id": ot.pte_id,
        "oficio_pte": _nombre(ot.pte, "oficio_pte"),
        "ot_principal_id": ot.ot_principal_id,
        "num_reprogramacion": ot.num_reprogramacion,
        "responsable_proyecto": ot.responsable_proyecto.nombre,
        "responsable_proyecto_id": ot.responsable_proyecto_id,
        "responsable_cliente": ot.responsable_cliente,
        "cliente": ot.cliente.descripcion,
        "cliente_id": ot.cliente_id,
        "frente": _nombre(ot.frente),
        "frente_id": ot.frente_id,
        "sitio": _nombre(ot.sitio),
        "sitio_id": ot.sitio_id,
        **{
            campo: valor
            for lugar in LUGARES
            for campo, valor in (
                (lugar, _nombre(getattr(ot, lugar))),
                (f"{lugar}_id", getattr(ot, f"{lugar}_id")),
            )
        },
        "referencia_pte": ot.referencia_pte,
        "estatus": ot.estatus,
        "estatus_texto": EstatusOT(ot.estatus).label,
        "fecha_inicio_programado": iso(ot.fecha_inicio_programado),
        "fecha_termino_programado": iso(ot.fecha_termino_programado),
        "fecha_inicio_real": iso(ot.fecha_inicio_real),
        "fecha_termino_real": iso(ot.fecha_termino_real),
        "monto_mxn": format(ot.monto_mxn, "f"),
        "monto_usd": format(ot.monto_usd, "f"),
        "plazo_dias": ot.plazo_dias,
        "progreso": avance.progreso,
        "dias_transcurridos": avance.dias_transcurridos,
        "dias_restantes": avance.dias_restantes,
        "dias_atraso": avance.dias_atraso,
        "monto_contratado_mxn": _centavos(ot.monto_contratado_mxn),  # type: ignore[attr-defined]
        "monto_contratado_usd": _centavos(ot.monto_contratado_usd),  # type: ignore[attr-defined]
        "monto_origen": ot.monto_origen,  # type: ignore[attr-defined]
    }


def ot_detalle_item(detalle: OTDetalle) -> dict[str, Any]:
    return detalle_item(detalle, estatus_key="estatus_ot")


def ot_completa(
    ot: OT, detalles: list[OTDetalle], reprogramaciones: list[int], avance: Avance
) -> dict[str, Any]:
    return {
        **ot_item(ot, avance),
        "comentario": ot.comentario,
        "creado_en": iso(ot.creado_en),
        "actualizado_en": iso(ot.actualizado_en),
        "detalles": [ot_detalle_item(d) for d in detalles],
        "reprogramaciones": reprogramaciones,
    }


class OTInputSerializer(serializers.Serializer):
    orden_trabajo = serializers.CharField(max_length=60)
    oficio_ot = serializers.CharField(max_length=60, required=False, allow_blank=True)
    descripcion_trabajo = serializers.CharField()
    responsable_proyecto = serializers.PrimaryKeyRelatedField(
        queryset=ResponsableProyecto.objects.all()
    )
    responsable_cliente = serializers.CharField(max_length=150, required=False, allow_blank=True)
    cliente = serializers.PrimaryKeyRelatedField(queryset=Cliente.objects.all())
    frente = serializers.PrimaryKeyRelatedField(
        queryset=Frente.objects.all(), required=False, allow_null=True
    )
    sitio = serializers.PrimaryKeyRelatedField(
        queryset=Sitio.objects.all(), required=False, allow_null=True
    )
    embarcacion = serializers.PrimaryKeyRelatedField(
        queryset=Sitio.objects.filter(tipo=Sitio.Tipo.EMBARCACION), required=False, allow_null=True
    )
    plataforma = serializers.PrimaryKeyRelatedField(
        queryset=Sitio.objects.filter(tipo=Sitio.Tipo.PLATAFORMA), required=False, allow_null=True
    )
    intercom = serializers.PrimaryKeyRelatedField(
        queryset=Sitio.objects.filter(tipo=Sitio.Tipo.INTERCOM), required=False, allow_null=True
    )
    patio = serializers.PrimaryKeyRelatedField(
        queryset=Sitio.objects.filter(tipo=Sitio.Tipo.PATIO), required=False, allow_null=True
    )
    estatus = serializers.ChoiceField(choices=EstatusOT.choices, required=False)
    fecha_inicio_programado = serializers.DateField(required=False, allow_null=True)
    fecha_termino_programado = serializers.DateField(required=False, allow_null=True)
    fecha_inicio_real = serializers.DateField(required=False, allow_null=True)
    fecha_termino_real = serializers.DateField(required=False, allow_null=True)
    monto_mxn = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False
    )
    monto_usd = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, required=False
    )
    plazo_dias = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    comentario = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        inicio = attrs.get("fecha_inicio_programado")
        termino = attrs.get("fecha_termino_programado")
        if inicio and termino and termino < inicio:
            raise serializers.ValidationError(
                {"fecha_termino_programado": _("Must not be before fecha_inicio_programado.")}
            )
        return attrs


class OTDesdePTEInputSerializer(OTInputSerializer):
    """From a PTE: description, client and responsible default to the PTE's."""

    descripcion_trabajo = serializers.CharField(required=False)
    responsable_proyecto = serializers.PrimaryKeyRelatedField(
        queryset=ResponsableProyecto.objects.all(), required=False
    )
    cliente = serializers.PrimaryKeyRelatedField(queryset=Cliente.objects.all(), required=False)


class ReprogramacionInputSerializer(OTDesdePTEInputSerializer):
    """Everything defaults to the re-programmed OT; send what changes (dates, amounts)."""

    orden_trabajo = serializers.CharField(max_length=60, required=False)


OTPasoInputSerializer = PasoInputSerializer  # the same rules for OT steps


class OTItemSerializer(serializers.Serializer):
    """Documents `ot_item()`."""

    id = serializers.IntegerField()
    orden_trabajo = serializers.CharField()
    oficio_ot = serializers.CharField()
    descripcion_trabajo = serializers.CharField()
    pte_id = serializers.IntegerField(allow_null=True)
    oficio_pte = serializers.CharField(allow_null=True)
    ot_principal_id = serializers.IntegerField(allow_null=True)
    num_reprogramacion = serializers.IntegerField()
    responsable_proyecto = serializers.CharField()
    responsable_proyecto_id = serializers.IntegerField()
    responsable_cliente = serializers.CharField()
    cliente = serializers.CharField()
    cliente_id = serializers.IntegerField()
    frente = serializers.CharField(allow_null=True)
    frente_id = serializers.IntegerField(allow_null=True)
    sitio = serializers.CharField(allow_null=True)
    sitio_id = serializers.IntegerField(allow_null=True)
    embarcacion = serializers.CharField(allow_null=True, help_text="The vessel it is on.")
    embarcacion_id = serializers.IntegerField(allow_null=True)
    plataforma = serializers.CharField(allow_null=True)
    plataforma_id = serializers.IntegerField(allow_null=True)
    intercom = serializers.CharField(allow_null=True)
    intercom_id = serializers.IntegerField(allow_null=True)
    patio = serializers.CharField(allow_null=True, help_text="The yard.")
    patio_id = serializers.IntegerField(allow_null=True)
    referencia_pte = serializers.CharField(
        help_text="The PTE's oficio as an imported register named it, when no such PTE is "
        "registered ('' otherwise)."
    )
    estatus = serializers.ChoiceField(choices=EstatusOT.choices)
    estatus_texto = serializers.CharField()
    fecha_inicio_programado = serializers.DateField(allow_null=True)
    fecha_termino_programado = serializers.DateField(allow_null=True)
    fecha_inicio_real = serializers.DateField(allow_null=True)
    fecha_termino_real = serializers.DateField(allow_null=True)
    monto_mxn = serializers.DecimalField(max_digits=18, decimal_places=2)
    monto_usd = serializers.DecimalField(max_digits=18, decimal_places=2)
    plazo_dias = serializers.IntegerField(allow_null=True)
    progreso = serializers.FloatField(
        allow_null=True,
        help_text="Percent, 0 to 100: OT_PESO_TIEMPO (default 0.7) x share of the programmed "
        "plan elapsed (0 while Asignada or Diferida (sin iniciar)) + OT_PESO_PASOS (default "
        "0.3) x share of steps completed or not applicable; 100 once Terminada, null when "
        "Cancelada.",
    )
    dias_transcurridos = serializers.IntegerField(
        allow_null=True,
        help_text="Days from the start (real, else programmed) to today or the real end; "
        "null without a start date.",
    )
    dias_restantes = serializers.IntegerField(
        allow_null=True,
        help_text="Days from today to the end (real, else programmed), never negative; 0 "
        "once finished, null without an end date.",
    )
    dias_atraso = serializers.IntegerField(
        help_text="Days since the programmed end passed (today minus fecha_termino_programado) "
        "for an OT neither Terminada nor Cancelada; 0 when it is not late (due today is not "
        "late)."
    )
    monto_contratado_mxn = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        help_text="The contracted amount: the active Anexo C's M.N. total when the OT has one, "
        "else monto_mxn.",
    )
    monto_contratado_usd = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        help_text="The active Anexo C's USD total when the OT has one, else monto_usd.",
    )
    monto_origen = serializers.ChoiceField(
        choices=["anexo", "capturado"],
        help_text="Where the contracted amount comes from: the active Anexo C, or the "
        "amounts typed or imported.",
    )


class OTDetalleSerializer(DetalleSerializer):
    """Documents `ot_detalle_item()`: like a PTE step, with `estatus_ot`."""

    estatus_pte = None  # type: ignore[assignment]
    estatus_ot = serializers.ChoiceField(choices=EstatusPaso.choices)


class OTDetailSerializer(OTItemSerializer):
    comentario = serializers.CharField()
    creado_en = UTCDateTimeField()
    actualizado_en = UTCDateTimeField()
    detalles = OTDetalleSerializer(many=True)
    reprogramaciones = serializers.ListField(child=serializers.IntegerField())


OTPageSerializer = page_serializer("OTPage", "ots", OTItemSerializer)
