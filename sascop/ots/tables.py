"""The OT list as a django-tables2 table: sortable columns, links to each OT, es-MX figures,
progress with the days remaining."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sascop.core.templatetags.formato import dinero, fecha
from sascop.ots.models import LUGARES, OT
from sascop.ots.selectors import Avance

_NUM = {"th": {"class": "num"}, "td": {"class": "num nowrap"}}


class OTTable(tables.Table):
    orden_trabajo = tables.Column(
        "Orden",
        accessor="pk",
        linkify=("ots:detalle", {"ot_id": tables.A("pk")}),
        order_by=("orden_trabajo", "num_reprogramacion", "id"),
        attrs={"td": {"class": "nowrap"}},
    )
    descripcion_trabajo = tables.Column("Descripción", orderable=False)
    cliente = tables.Column(
        "Cliente", accessor="cliente__descripcion", order_by=("cliente__descripcion", "id")
    )
    responsable_proyecto = tables.Column(
        "Responsable",
        accessor="responsable_proyecto__nombre",
        order_by=("responsable_proyecto__nombre", "id"),
    )
    estatus = tables.Column("Estatus", order_by=("estatus", "id"))
    fecha_inicio_programado = tables.Column(
        "Programado",
        empty_values=(),
        order_by=("fecha_inicio_programado", "id"),
        attrs={"td": {"class": "nowrap"}},
    )
    lugares = tables.Column("Lugares", empty_values=(), orderable=False)
    monto_mxn = tables.Column("Monto", empty_values=(), order_by=("monto_mxn", "id"), attrs=_NUM)
    progreso = tables.Column("Avance", empty_values=(), orderable=False)

    class Meta:
        model = OT
        fields = ()
        sequence = (
            "orden_trabajo",
            "descripcion_trabajo",
            "cliente",
            "responsable_proyecto",
            "estatus",
            "fecha_inicio_programado",
            "lugares",
            "monto_mxn",
            "progreso",
        )
        template_name = "core/tabla.html"
        order_by_field = "orden"
        page_field = "pagina"
        per_page_field = "por_pagina"
        empty_text = "Ninguna OT coincide con los filtros."
        attrs = {
            "id": "ots",
            "class": "lista-tabla",
            "aria_label": "Lista de OTs",
            "thead": {"hx-boost": "true"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filled by the view with the page's progress (one query for the page).
        self.avance: dict[int, Avance] = {}

    def render_orden_trabajo(self, record: OT) -> str:
        return str(record)

    def render_descripcion_trabajo(self, value: str) -> str:
        return value if len(value) <= 90 else f"{value[:89]}…"

    def render_fecha_inicio_programado(self, record: OT) -> SafeString | str:
        if record.fecha_termino_programado is None:
            return fecha(record.fecha_inicio_programado)
        return format_html(
            '{}<br><span class="tenue">al {}</span>',
            fecha(record.fecha_inicio_programado),
            fecha(record.fecha_termino_programado),
        )

    def render_estatus(self, record: OT) -> SafeString:
        return render_to_string(
            "core/_estatus.html",
            {"valor": record.estatus, "texto": record.get_estatus_display()},
        )

    def render_lugares(self, record: OT) -> str:
        """Where the OT stands (vessel, platform, intercom, yard), or its site."""
        lugares = [getattr(record, lugar) for lugar in LUGARES]
        nombres = [str(lugar) for lugar in lugares if lugar is not None]
        if not nombres and record.sitio is not None:
            nombres = [str(record.sitio)]
        return " · ".join(nombres) or "—"

    def render_monto_mxn(self, record: OT) -> SafeString:
        return format_html(
            '{}<br><span class="tenue">{}</span>',
            dinero(record.monto_mxn, "MXN"),
            dinero(record.monto_usd, "USD"),
        )

    def render_progreso(self, record: OT) -> SafeString:
        avance = self.avance.get(record.pk)
        return render_to_string(
            "ots/_avance.html", {"avance": avance, "etiqueta": f"Avance de {record}"}
        )
