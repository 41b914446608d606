"""The workbook of what a search found: every result, kind by kind, best first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import pgettext

from sascop.consulta import texto
from sascop.consulta.selectors import TIPOS, Busqueda, todos
from sascop.core import excel


def _columnas() -> list[excel.Columna]:
    return [
        excel.Columna(pgettext("consulta", "Kind"), 18),
        excel.Columna(pgettext("consulta", "Title"), 36),
        excel.Columna(pgettext("consulta", "Excerpt"), 80),
        excel.Columna(pgettext("consulta", "Link"), 50),
    ]


def _filas(busqueda: Busqueda, base_url: str) -> Iterator[tuple[str, str, str, str]]:
    # Read as the workbook is written (in its language: the kinds' names are lazy).
    return (
        (str(TIPOS[tipo]), r["titulo"], texto.sin_marcas(r["extracto"]), base_url + r["url"])
        for tipo, r in todos(busqueda)
    )


def nombre_archivo() -> str:
    return f"consulta-{timezone.localdate().isoformat()}.xlsx"


def consulta_libro(busqueda: Busqueda, base_url: str) -> IO[bytes]:
    """The workbook as a file (what the e-mail attaches)."""
    return excel.escribir_libro(
        _columnas(), _filas(busqueda, base_url), hoja=pgettext("consulta", "Search")
    )


def consulta_xlsx(busqueda: Busqueda, base_url: str) -> FileResponse:
    return excel.respuesta_xlsx(
        _columnas(),
        _filas(busqueda, base_url),
        nombre="consulta",
        hoja=pgettext("consulta", "Search"),
    )
