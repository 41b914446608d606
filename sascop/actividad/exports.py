"""The activity log as an Excel workbook: the page's "Exportar a Excel" and the API's
`?formato=xlsx` write it from the same filtered queryset, row by row (the log is large)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from sascop.actividad.models import RegistroActividad
from sascop.core import excel
from sascop.core.excel import Columna

COLUMNAS = [
    Columna("Id", 10, excel.ENTERO),
    Columna("Fecha", 17, excel.FECHA_HORA),
    Columna("Usuario", 22),
    Columna("Acción", 16),
    Columna("Modelo", 16),
    Columna("Registro", 10),
    Columna("Campo", 18),
    Columna("Antes", 40),
    Columna("Después", 40),
    Columna("IP", 16),
]
_CAMPOS = (
    "id",
    "fecha",
    "nombre_usuario",
    "accion",
    "entidad",
    "entidad_id",
    "campo",
    "valor_anterior",
    "valor_nuevo",
    "ip",
)
_ACCION = dict(RegistroActividad.Accion.choices)


def filas(registros: QuerySet[RegistroActividad]) -> Iterator[list[Any]]:
    for pk, fecha, usuario, accion, *resto in registros.values_list(*_CAMPOS).iterator(
        chunk_size=excel.LOTE
    ):
        yield [pk, fecha, usuario, _ACCION.get(accion, accion), *resto]


def actividad_xlsx(registros: QuerySet[RegistroActividad]) -> FileResponse:
    """The workbook of exactly these log rows, newest first."""
    return excel.respuesta_xlsx(COLUMNAS, filas(registros), nombre="actividad", hoja="Actividad")
