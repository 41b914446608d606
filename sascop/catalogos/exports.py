"""A catalog's entries as an Excel workbook: the page's "Exportar a Excel" and the API's
`?formato=xlsx` write it from the same filtered queryset, with the list's columns
(`tables.columnas_de`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from sascop.catalogos.declaraciones import Catalogo
from sascop.catalogos.tables import columnas_de
from sascop.core import excel
from sascop.core.pages import columnas


def catalogo_xlsx(catalogo: Catalogo, entradas: QuerySet[Any]) -> FileResponse:
    """The workbook of exactly these entries, in this order."""
    cols = columnas_de(catalogo.nombre)
    return excel.respuesta_xlsx(
        columnas.encabezados(cols),
        columnas.filas(cols, entradas),
        nombre=catalogo.nombre,
        hoja=catalogo.titulo,
    )
