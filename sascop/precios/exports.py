"""The price book's concepts as an Excel workbook: the page's "Exportar a Excel" and the
API's `?formato=xlsx` write it from the same filtered queryset, in book order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from sascop.core import excel
from sascop.core.pages import columnas
from sascop.precios.models import Concepto
from sascop.precios.tables import COLUMNAS as _COLUMNAS

COLUMNAS = columnas.encabezados(_COLUMNAS)


def filas(conceptos: QuerySet[Concepto]) -> Iterator[list[Any]]:
    return columnas.filas(_COLUMNAS, conceptos)


def conceptos_xlsx(conceptos: QuerySet[Concepto]) -> FileResponse:
    """The workbook of exactly these concepts, in this order."""
    return excel.respuesta_xlsx(COLUMNAS, filas(conceptos), nombre="precios", hoja="Conceptos")
