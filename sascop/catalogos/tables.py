"""A catalog's entries as a django-tables2 table, built from its registry entry: one
column per field the API edits, the entry's state, and its actions."""

from __future__ import annotations

from functools import cache
from typing import Any

import django_tables2 as tables
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from sascop.catalogos.registro import Catalogo, catalogo, mayuscula, nombre_de


class CatalogoTable(tables.Table):
    """Base of every catalog's table (see `tabla_de`)."""

    activo = tables.Column("Estado", order_by=("activo", "id"))
    acciones = tables.Column("Acciones", empty_values=(), orderable=False)

    class Meta:
        template_name = "core/tabla.html"
        order_by_field = "orden"
        page_field = "pagina"
        per_page_field = "por_pagina"
        empty_text = "Ninguna entrada coincide con los filtros."
        attrs = {"id": "catalogo", "class": "lista-tabla", "thead": {"hx-boost": "true"}}

    def __init__(
        self,
        *args: Any,
        catalogo: Catalogo,
        puede_editar: bool,
        request: HttpRequest,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "attrs", {**CatalogoTable.Meta.attrs, "aria_label": f"Entradas de {catalogo.titulo}"}
        )
        super().__init__(*args, **kwargs)
        # The row's forms carry the CSRF token and come back to this very list.
        self.request = request
        self.catalogo = catalogo
        self.puede_editar = puede_editar

    def render_activo(self, value: bool) -> SafeString:
        return render_to_string(
            "core/_estatus.html",
            {"valor": 3 if value else 14, "texto": "Activo" if value else "Inactivo"},
        )

    def render_acciones(self, record: Any) -> SafeString:
        return render_to_string(
            "catalogos/_acciones.html",
            {
                "catalogo": self.catalogo,
                "entrada": record,
                "puede_editar": self.puede_editar,
                "etiqueta": getattr(record, nombre_de(type(record)), record),
            },
            request=self.request,
        )


def _columna(cat: Catalogo, nombre: str) -> tables.Column:
    campo = cat.campo(nombre)
    titulo = mayuscula(str(campo.verbose_name))
    attrs: dict[str, Any] = {}
    if campo.get_internal_type() in {"DecimalField", "PositiveIntegerField", "IntegerField"}:
        attrs = {"th": {"class": "num"}, "td": {"class": "num"}}
    if campo.is_relation:
        mostrado = f"{nombre}__{nombre_de(campo.related_model)}"
        return tables.Column(titulo, accessor=mostrado, order_by=(mostrado, "id"))
    return tables.Column(titulo, order_by=(nombre, "id"), attrs=attrs)


@cache
def tabla_de(nombre: str) -> type[CatalogoTable]:
    """The table class of catalog `nombre` (built once)."""
    cat = catalogo(nombre)
    assert cat is not None
    columnas: dict[str, Any] = {n: _columna(cat, n) for n in cat.campos}
    meta = type("Meta", (CatalogoTable.Meta,), {"sequence": (*cat.campos, "activo", "acciones")})
    return type(f"{cat.modelo.__name__}Table", (CatalogoTable,), {**columnas, "Meta": meta})
