"""The activity log as an Excel workbook: the page's "Exportar a Excel" and the API's
`?formato=xlsx` write it from the same filtered queryset, row by row (the log is large)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from sascop.actividad.models import RegistroActividad
from sascop.actividad.tables import COLUMNAS as _COLUMNAS
from sascop.core import excel
from sascop.core.pages import columnas

COLUMNAS = columnas.encabezados(_COLUMNAS)


def filas(registros: QuerySet[RegistroActividad]) -> Iterator[list[Any]]:
    return columnas.filas(_COLUMNAS, registros)


def actividad_xlsx(registros: QuerySet[RegistroActividad]) -> FileResponse:
    """The workbook of exactly these log rows, newest first."""
    return excel.respuesta_xlsx(COLUMNAS, filas(registros), nombre="actividad", hoja=_("Activity"))
