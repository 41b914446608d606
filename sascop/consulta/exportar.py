"""The workbook of what a search found: every result, kind by kind, best first."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import pgettext

from sascop.consulta import texto
from sascop.consulta.selectors import TIPOS, Busqueda, todos
from sascop.core import excel


def consulta_xlsx(busqueda: Busqueda, base_url: str) -> FileResponse:
    columnas = [
        excel.Columna(pgettext("consulta", "Kind"), 18),
        excel.Columna(pgettext("consulta", "Title"), 36),
        excel.Columna(pgettext("consulta", "Excerpt"), 80),
        excel.Columna(pgettext("consulta", "Link"), 50),
    ]
    filas = (
        (str(TIPOS[tipo]), r["titulo"], texto.sin_marcas(r["extracto"]), base_url + r["url"])
        for tipo, r in todos(busqueda)
    )
    return excel.respuesta_xlsx(
        columnas, filas, nombre="consulta", hoja=pgettext("consulta", "Search")
    )
