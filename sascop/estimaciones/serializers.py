from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sascop.core.api.serializers import UTCDateTimeField, iso, page_serializer
from sascop.estimaciones import selectors
from sascop.estimaciones.models import Estimacion


def _dinero(valor: Any) -> str:
    return format(valor, "f")


def estimacion_item(e: Estimacion) -> dict[str, Any]:
    return {
        "id": e.pk,
        "ot_id": e.ot_id,
        "orden_trabajo": e.ot.orden_trabajo,
        "cliente": e.ot.cliente.descripcion if e.ot.cliente_id else "",
        "numero": e.numero,
        "desde": e.desde.isoformat(),
        "hasta": e.hasta.isoformat(),
        "estatus": e.estatus,
        "oficio": e.oficio,
        "motivo_rechazo": e.motivo_rechazo,
        "importe_mn": _dinero(e.importe_mn),
        "importe_usd": _dinero(e.importe_usd),
        "version": e.version,
    }


def estimacion_completa(e: Estimacion) -> dict[str, Any]:
    return {
        **estimacion_item(e),
        "oficio_ot": e.ot.oficio_ot,
        "partidas": [
            {
                "partida_anexo": p.partida_anexo_id,
                "anexo": p.anexo,
                "partida": p.partida,
                "concepto": p.concepto,
                "unidad": p.unidad,
                "volumen": format(p.volumen, "f"),
                "excedente": format(p.excedente, "f"),
                "pu_mn": _dinero(p.pu_mn),
                "pu_usd": _dinero(p.pu_usd),
                "importe_mn": _dinero(p.importe_mn),
                "importe_usd": _dinero(p.importe_usd),
            }
            for p in e.partidas.all()
        ],
        "subtotales": [
            {
                "anexo": s["anexo"],
                "importe_mn": _dinero(s["importe_mn"]),
                "importe_usd": _dinero(s["importe_usd"]),
            }
            for s in selectors.subtotales(e)
        ],
        "eventos": [
            {
                "estatus_anterior": ev.estatus_anterior,
                "estatus": ev.estatus,
                "motivo": ev.motivo,
                "usuario": ev.usuario.username if ev.usuario else None,
                "fecha": iso(ev.fecha),
            }
            for ev in e.eventos.all()
        ],
    }


class EstimacionInputSerializer(serializers.Serializer):
    desde = serializers.DateField()
    hasta = serializers.DateField()
    oficio = serializers.CharField(max_length=60, required=False, allow_blank=True)


class EstimacionPatchSerializer(serializers.Serializer):
    estatus = serializers.ChoiceField(choices=Estimacion.Estatus.choices, required=False)
    motivo_rechazo = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    desde = serializers.DateField(required=False, help_text="Drafts only.")
    hasta = serializers.DateField(required=False, help_text="Drafts only.")
    oficio = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text="Drafts only."
    )


class EstimacionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ot_id = serializers.IntegerField()
    orden_trabajo = serializers.CharField()
    cliente = serializers.CharField()
    numero = serializers.IntegerField()
    desde = serializers.DateField()
    hasta = serializers.DateField()
    estatus = serializers.ChoiceField(choices=Estimacion.Estatus.choices)
    oficio = serializers.CharField()
    motivo_rechazo = serializers.CharField()
    importe_mn = serializers.DecimalField(max_digits=20, decimal_places=2)
    importe_usd = serializers.DecimalField(max_digits=20, decimal_places=2)
    version = serializers.IntegerField()


class _PartidaSerializer(serializers.Serializer):
    partida_anexo = serializers.IntegerField(allow_null=True)
    anexo = serializers.CharField()
    partida = serializers.CharField()
    concepto = serializers.CharField()
    unidad = serializers.CharField()
    volumen = serializers.DecimalField(max_digits=18, decimal_places=4)
    excedente = serializers.DecimalField(
        max_digits=18, decimal_places=4, help_text="Listed, not claimed nor summed."
    )
    pu_mn = serializers.DecimalField(max_digits=18, decimal_places=2)
    pu_usd = serializers.DecimalField(max_digits=18, decimal_places=2)
    importe_mn = serializers.DecimalField(max_digits=20, decimal_places=2)
    importe_usd = serializers.DecimalField(max_digits=20, decimal_places=2)


class _SubtotalSerializer(serializers.Serializer):
    anexo = serializers.CharField()
    importe_mn = serializers.DecimalField(max_digits=20, decimal_places=2)
    importe_usd = serializers.DecimalField(max_digits=20, decimal_places=2)


class _EventoSerializer(serializers.Serializer):
    estatus_anterior = serializers.CharField()
    estatus = serializers.CharField()
    motivo = serializers.CharField()
    usuario = serializers.CharField(allow_null=True)
    fecha = UTCDateTimeField()


class EstimacionDetalleSerializer(EstimacionSerializer):
    oficio_ot = serializers.CharField()
    partidas = _PartidaSerializer(many=True)
    subtotales = _SubtotalSerializer(many=True)
    eventos = _EventoSerializer(many=True)


EstimacionPageSerializer = page_serializer("EstimacionPage", "estimaciones", EstimacionSerializer)
