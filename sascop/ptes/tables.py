"""The PTE list as a django-tables2 table: sortable columns, links to each PTE, es-MX figures."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from sascop.core.templatetags.formato import dinero, fecha
from sascop.ptes.models import PTE


class PTETable(tables.Table):
    oficio_pte = tables.Column(
        "Oficio",
        linkify=("ptes:detalle", {"pte_id": tables.A("pk")}),
        order_by=("oficio_pte", "id"),
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
    fecha_solicitud = tables.Column(
        "Solicitud", order_by=("fecha_solicitud", "id"), attrs={"td": {"class": "nowrap"}}
    )
    estatus = tables.Column("Estatus", order_by=("estatus", "id"))
    total_homologado = tables.Column(
        "Total homologado",
        order_by=("total_homologado", "id"),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
    )
    progreso = tables.Column("Avance", empty_values=(), orderable=False)

    class Meta:
        model = PTE
        fields = ()
        sequence = (
            "oficio_pte",
            "descripcion_trabajo",
            "cliente",
            "responsable_proyecto",
            "fecha_solicitud",
            "estatus",
            "total_homologado",
            "progreso",
        )
        template_name = "core/tabla.html"
        order_by_field = "orden"
        page_field = "pagina"
        per_page_field = "por_pagina"
        empty_text = "Ninguna PTE coincide con los filtros."
        attrs = {
            "id": "ptes",
            "class": "lista-tabla",
            "aria_label": "Lista de PTEs",
            "thead": {"hx-boost": "true"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filled by the view with the page's progress (one query for the page).
        self.avance: dict[int, float] = {}

    def render_descripcion_trabajo(self, value: str) -> str:
        return value if len(value) <= 90 else f"{value[:89]}…"

    def render_fecha_solicitud(self, value: Any) -> str:
        return fecha(value)

    def render_estatus(self, record: PTE) -> SafeString:
        return render_to_string(
            "core/_estatus.html",
            {"valor": record.estatus, "texto": record.get_estatus_display()},
        )

    def render_total_homologado(self, value: Any) -> str:
        return dinero(value)

    def render_progreso(self, record: PTE) -> SafeString:
        return render_to_string(
            "core/_progreso.html",
            {
                "valor": self.avance.get(record.pk, 0.0),
                "etiqueta": f"Avance de {record.oficio_pte}",
            },
        )
