"""The OT list as an Excel workbook: the page's "Exportar a Excel" and the API's
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
from sascop.ots import selectors
from sascop.ots.models import OT
from sascop.ots.tables import COLUMNAS as _COLUMNAS

COLUMNAS = columnas.encabezados(_COLUMNAS)


def filas(ots: QuerySet[OT], lote: int = excel.LOTE) -> Iterator[list[Any]]:
    """One row per OT, read `lote` at a time as plain tuples; steps once per batch."""
    return columnas.filas(
        _COLUMNAS, ots, lote=lote, por_lote=lambda grupo: selectors.pasos_de(f["id"] for f in grupo)
    )


def ots_xlsx(ots: QuerySet[OT]) -> FileResponse:
    """The workbook of exactly these OTs, in this order."""
    return excel.respuesta_xlsx(COLUMNAS, filas(ots), nombre="ots", hoja=gettext_lazy("OTs"))
