"""The production list as a django-tables2 table: sortable columns, es-MX figures."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables

from sascop.core.templatetags.formato import fecha, volumen
from sascop.produccion.models import Produccion


class ProduccionTable(tables.Table):
    fecha_produccion = tables.Column(
        "Fecha", order_by=("fecha_produccion", "id"), attrs={"td": {"class": "nowrap"}}
    )
    ot = tables.Column(
        "OT",
        accessor="ot__orden_trabajo",
        order_by=("ot__orden_trabajo", "id"),
        attrs={"td": {"class": "nowrap"}},
    )
    partida = tables.Column(
        "Partida",
        accessor="partida_anexo__concepto__partida",
        order_by=("partida_anexo__concepto__anexo__clave", "partida_anexo__concepto__orden", "id"),
        attrs={"td": {"class": "nowrap"}},
    )
    concepto = tables.Column(
        "Concepto", accessor="partida_anexo__concepto__concepto", orderable=False
    )
    sitio = tables.Column("Sitio", accessor="sitio__descripcion", order_by=("sitio", "id"))
    tipo_tiempo = tables.Column("Tipo", order_by=("tipo_tiempo", "id"))
    volumen_produccion = tables.Column(
        "Volumen",
        order_by=("volumen_produccion", "id"),
        attrs={"th": {"class": "num"}, "td": {"class": "num nowrap"}},
    )
    excedente = tables.Column(
        "Excedente",
        order_by=("excedente", "id"),
        attrs={"th": {"class": "num"}, "td": {"class": "num nowrap"}},
    )
    estatus_cobro = tables.Column("Cobro", order_by=("estatus_cobro", "id"))

    class Meta:
        model = Produccion
        fields = ()
        sequence = (
            "fecha_produccion",
            "ot",
            "partida",
            "concepto",
            "sitio",
            "tipo_tiempo",
            "volumen_produccion",
            "excedente",
            "estatus_cobro",
        )
        template_name = "core/tabla.html"
        order_by_field = "orden"
        page_field = "pagina"
        per_page_field = "por_pagina"
        empty_text = "Ninguna producción coincide con los filtros."
        attrs = {
            "id": "produccion",
            "class": "lista-tabla",
            "aria_label": "Producción",
            "thead": {"hx-boost": "true"},
        }

    def render_fecha_produccion(self, value: Any) -> str:
        return fecha(value)

    def render_concepto(self, value: str) -> str:
        return value if len(value) <= 70 else f"{value[:69]}…"

    def render_partida(self, record: Produccion) -> str:
        concepto = record.partida_anexo.concepto
        return f"{concepto.anexo.clave} {concepto.partida}"

    def render_volumen_produccion(self, record: Produccion) -> str:
        return volumen(record.volumen_produccion, record.partida_anexo.concepto.unidad)

    def render_excedente(self, record: Produccion) -> str:
        if not record.excedente:
            return "—"
        return volumen(record.excedente, record.partida_anexo.concepto.unidad)

    def render_estatus_cobro(self, record: Produccion) -> str:
        return record.get_estatus_cobro_display()
