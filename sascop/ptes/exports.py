"""The PTE list as an Excel workbook: the page's "Exportar a Excel" and the API's
`?formato=xlsx` both write it from the same filtered (and sorted) queryset, with the
list's columns (`tables.COLUMNAS`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy

from sascop.core import excel
from sascop.core.pages import columnas
from sascop.ptes import selectors
from sascop.ptes.models import PTE
from sascop.ptes.tables import COLUMNAS as _COLUMNAS

COLUMNAS = columnas.encabezados(_COLUMNAS)


def filas(ptes: QuerySet[PTE], lote: int = excel.LOTE) -> Iterator[list[Any]]:
    """One row per PTE, read `lote` at a time as plain tuples; progress once per batch."""
    return columnas.filas(
        _COLUMNAS,
        ptes,
        lote=lote,
        por_lote=lambda grupo: selectors.progreso_de(f["id"] for f in grupo),
    )


def ptes_xlsx(ptes: QuerySet[PTE]) -> FileResponse:
    """The workbook of exactly these PTEs, in this order."""
    return excel.respuesta_xlsx(COLUMNAS, filas(ptes), nombre="ptes", hoja=gettext_lazy("PTEs"))
