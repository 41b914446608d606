"""A catalog's columns, built from its registry entry: one per field the API edits and the
entry's state. The page's table (with the entry's actions), its Excel export and its
column chooser all come from them."""

from __future__ import annotations

from functools import cache
from typing import Any

import django_tables2 as tables
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext, pgettext_lazy

from sascop.catalogos.declaraciones import Catalogo, catalogo, mayuscula, nombre_de
from sascop.core import excel
from sascop.core.pages.columnas import Columna, Tabla, fecha, insignia
from sascop.core.pages.columnas import tabla_de as tabla_de_columnas

_SI_NO = {True: _("Yes"), False: _("No")}


class CatalogoTable(Tabla):
    """Base of every catalog's table (see `tabla_de`)."""

    clave = "catalogo"
    sustantivos = ngettext_lazy("%(cifra)s entry", "%(cifra)s entries", "n")

    acciones = tables.Column(_("Actions"), empty_values=(), orderable=False)

    class Meta(Tabla.Meta):
        empty_text = _("No entry matches the filters.")

    def __init__(
        self,
        *args: Any,
        catalogo: Catalogo,
        puede_editar: bool,
        request: HttpRequest,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The row's forms carry the CSRF token and come back to this very list.
        self.request = request
        self.catalogo = catalogo
        self.puede_editar = puede_editar

    def render_activo(self, value: bool) -> SafeString:
        return insignia(
            3 if value else 14,
            pgettext("entry", "Active") if value else pgettext("entry", "Inactive"),
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


_NUMEROS = {"DecimalField", "PositiveIntegerField", "IntegerField"}
_FORMATOS = {
    "DecimalField": excel.DINERO,
    "PositiveIntegerField": excel.ENTERO,
    "IntegerField": excel.ENTERO,
}


def _columna(cat: Catalogo, nombre: str) -> Columna:
    campo = cat.campo(nombre)
    titulo = mayuscula(str(campo.verbose_name))
    if campo.is_relation:
        return Columna(nombre, titulo, f"{nombre}__{nombre_de(campo.related_model)}", ancho=30)
    tipo = campo.get_internal_type()
    if tipo == "DateField":
        return fecha(nombre, titulo)
    return Columna(
        nombre,
        titulo,
        nombre,
        ancho=40 if tipo in {"CharField", "EmailField"} else 12,
        formato=_FORMATOS.get(tipo),
        clase="num" if tipo in _NUMEROS else "",
        # A field with choices reads as its label ("Cliente", not "cliente").
        opciones=dict(campo.choices) if campo.choices else None,
    )


@cache
def columnas_de(nombre: str) -> tuple[Columna, ...]:
    """Catalog `nombre`'s columns: its id (exported only), the fields the API edits, and
    its state."""
    cat = catalogo(nombre)
    assert cat is not None
    return (
        Columna("id", _("Id"), "id", ancho=8, formato=excel.ENTERO, en_tabla=False),
        *(_columna(cat, n) for n in cat.campos),
        Columna(
            "activo",
            _("State"),
            "activo",
            excel=pgettext_lazy("column", "Active"),
            ancho=8,
            opciones=_SI_NO,
        ),
    )


@cache
def tabla_de(nombre: str) -> type[CatalogoTable]:
    """The table class of catalog `nombre` (built once)."""
    cat = catalogo(nombre)
    assert cat is not None
    return tabla_de_columnas(columnas_de(nombre), CatalogoTable, f"{cat.modelo.__name__}Table")
