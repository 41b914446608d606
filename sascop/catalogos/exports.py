"""A catalog's entries as an Excel workbook: the page's "Exportar a Excel" and the API's
`?formato=xlsx` write it from the same filtered queryset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from sascop.catalogos.registro import Catalogo, mayuscula, nombre_de
from sascop.core import excel
from sascop.core.excel import Columna

_FORMATOS = {
    "DecimalField": excel.DINERO,
    "PositiveIntegerField": excel.ENTERO,
    "IntegerField": excel.ENTERO,
}


def columnas(catalogo: Catalogo) -> tuple[list[Columna], list[str]]:
    """The workbook's columns and the `values_list` fields that fill them."""
    cols, campos = [Columna("Id", 8, excel.ENTERO)], ["id"]
    for nombre in catalogo.campos:
        campo = catalogo.campo(nombre)
        if campo.is_relation:
            cols.append(Columna(mayuscula(str(campo.verbose_name)), 30))
            campos.append(f"{nombre}__{nombre_de(campo.related_model)}")
        else:
            formato = _FORMATOS.get(campo.get_internal_type())
            ancho = 40 if campo.get_internal_type() in {"CharField", "EmailField"} else 12
            cols.append(Columna(mayuscula(str(campo.verbose_name)), ancho, formato))
            campos.append(nombre)
    cols.append(Columna("Activo", 8))
    campos.append("activo")
    return cols, campos


def _filas(catalogo: Catalogo, entradas: QuerySet[Any], campos: list[str]) -> Iterator[list[Any]]:
    # A field with choices is written as its label ("Cliente", not "cliente").
    etiquetas = [
        dict(catalogo.campo(c).choices or {}) if c in catalogo.campos else {} for c in campos
    ]
    for fila in entradas.values_list(*campos).iterator(chunk_size=excel.LOTE):
        *valores, activo = (m.get(v, v) if m else v for m, v in zip(etiquetas, fila, strict=True))
        yield [*valores, "Sí" if activo else "No"]


def catalogo_xlsx(catalogo: Catalogo, entradas: QuerySet[Any]) -> FileResponse:
    """The workbook of exactly these entries, in this order."""
    cols, campos = columnas(catalogo)
    return excel.respuesta_xlsx(
        cols, _filas(catalogo, entradas, campos), nombre=catalogo.nombre, hoja=catalogo.titulo
    )
