"""The production list as an Excel workbook: the page's "Exportar a Excel" and the API's
`?formato=xlsx` both write it from the same filtered queryset, in its order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from sascop.catalogos.estatus import EstatusCobro
from sascop.core import excel
from sascop.core.excel import Columna
from sascop.produccion.models import Produccion

COLUMNAS = [
    Columna("Fecha", 12, excel.FECHA),
    Columna("Orden de trabajo", 18),
    Columna("Partida", 12),
    Columna("Concepto", 50),
    Columna("Unidad", 10),
    Columna("Sitio", 26),
    Columna("Tipo de tiempo", 10),
    Columna("Volumen", 14, excel.VOLUMEN),
    Columna("Excedente", 10),
    Columna("Estatus de cobro", 16),
    Columna("Comentario", 40),
]
_CAMPOS = (
    "fecha_produccion",
    "ot__orden_trabajo",
    "partida__clave",
    "partida__descripcion",
    "unidad__clave",
    "sitio__descripcion",
    "tipo_tiempo",
    "volumen_produccion",
    "es_excedente",
    "estatus_cobro",
    "comentario",
)
_COBRO = dict(EstatusCobro.choices)


def filas(produccion: QuerySet[Produccion], lote: int = excel.LOTE) -> Iterator[list[Any]]:
    """One row per production row, read `lote` at a time as plain tuples."""
    for *valores, excedente, cobro, comentario in produccion.values_list(*_CAMPOS).iterator(
        chunk_size=lote
    ):
        yield [*valores, "Sí" if excedente else "No", _COBRO.get(cobro, cobro), comentario]


def produccion_xlsx(produccion: QuerySet[Produccion]) -> FileResponse:
    """The workbook of exactly these rows, in this order."""
    return excel.respuesta_xlsx(COLUMNAS, filas(produccion), nombre="produccion", hoja="Producción")
