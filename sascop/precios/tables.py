"""The price book's concepts as a django-tables2 table: book order, es-MX money, and
"Autorizar" on a PUE still being drawn up, for those allowed."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from sascop.core.etags import etag_for
from sascop.core.templatetags.formato import dinero, volumen
from sascop.precios.models import Concepto

_NUM = {"th": {"class": "num"}, "td": {"class": "num"}}


class ConceptoTable(tables.Table):
    anexo = tables.Column(
        "Anexo", accessor="anexo__clave", order_by=("anexo__clave", "orden", "id")
    )
    partida = tables.Column("Partida", order_by=("orden", "id"), attrs={"td": {"class": "nowrap"}})
    concepto = tables.Column("Concepto", orderable=False, attrs={"td": {"class": "texto-largo"}})
    unidad = tables.Column("Unidad", orderable=False)
    pu_mn = tables.Column("P.U. M.N.", order_by=("pu_mn", "id"), attrs=_NUM)
    pu_usd = tables.Column("P.U. USD", order_by=("pu_usd", "id"), attrs=_NUM)
    cantidad_referencia = tables.Column("Cant. de referencia", orderable=False, attrs=_NUM)
    # The status, and "Autorizar" under a PUE being drawn up (for those allowed).
    estatus = tables.Column("Estatus", order_by=("estatus", "id"))

    class Meta:
        model = Concepto
        fields = ()
        sequence = (
            "anexo",
            "partida",
            "concepto",
            "unidad",
            "pu_mn",
            "pu_usd",
            "cantidad_referencia",
            "estatus",
        )
        template_name = "core/tabla.html"
        order_by_field = "orden"
        page_field = "pagina"
        per_page_field = "por_pagina"
        empty_text = "Ningún concepto coincide con los filtros."
        attrs = {
            "id": "conceptos",
            "class": "lista-tabla",
            "aria_label": "Conceptos del catálogo de precios",
            "thead": {"hx-boost": "true"},
        }

    def __init__(
        self, *args: Any, request: HttpRequest, puede_autorizar: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The row's "Autorizar" form carries the CSRF token and comes back to this list.
        self.request = request
        self.puede_autorizar = puede_autorizar

    def render_concepto(self, record: Concepto) -> str:
        texto = record.concepto
        return texto if len(texto) <= 160 else f"{texto[:159]}…"

    def render_pu_mn(self, value: Any) -> str:
        return dinero(value)

    def render_pu_usd(self, value: Any) -> str:
        return dinero(value)

    def render_cantidad_referencia(self, value: Any) -> str:
        return volumen(value)

    def render_estatus(self, record: Concepto) -> SafeString:
        # A proposal not keyed yet (no partida) is keyed before it can be authorised.
        autorizable = (
            self.puede_autorizar
            and record.estatus == Concepto.Estatus.EN_ELABORACION
            and bool(record.partida)
        )
        return render_to_string(
            "precios/_estatus.html",
            {
                "concepto": record,
                "texto": record.get_estatus_display(),
                "autorizable": autorizable,
                "version": etag_for(record) if autorizable else "",
            },
            request=self.request,
        )
