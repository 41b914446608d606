"""The price book's concepts as an Excel workbook: the page's "Exportar a Excel" and the
API's `?formato=xlsx` write it from the same filtered queryset, in book order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from sascop.core import excel
from sascop.core.excel import Columna
from sascop.precios.models import Concepto

COLUMNAS = [
    Columna("Contrato", 14),
    Columna("Anexo", 9),
    Columna("Partida", 10),
    Columna("Concepto", 60),
    Columna("Unidad", 10),
    Columna("P.U. M.N.", 15, excel.DINERO),
    Columna("P.U. USD", 15, excel.DINERO),
    Columna("Cantidad de referencia", 14, excel.VOLUMEN),
    Columna("Sección", 30),
    Columna("Tipo", 18),
    Columna("Estatus", 15),
    Columna("Autorizado en", 17, excel.FECHA_HORA),
]
_CAMPOS = (
    "anexo__contrato__numero",
    "anexo__clave",
    "partida",
    "concepto",
    "unidad",
    "pu_mn",
    "pu_usd",
    "cantidad_referencia",
    "seccion",
    "tipo",
    "estatus",
    "autorizado_en",
)
_TIPO = dict(Concepto.Tipo.choices)
_ESTATUS = dict(Concepto.Estatus.choices)


def filas(conceptos: QuerySet[Concepto]) -> Iterator[list[Any]]:
    for *valores, tipo, estatus, autorizado in conceptos.values_list(*_CAMPOS).iterator(
        chunk_size=excel.LOTE
    ):
        yield [*valores, _TIPO.get(tipo, tipo), _ESTATUS.get(estatus, estatus), autorizado]


def conceptos_xlsx(conceptos: QuerySet[Concepto]) -> FileResponse:
    """The workbook of exactly these concepts, in this order."""
    return excel.respuesta_xlsx(COLUMNAS, filas(conceptos), nombre="precios", hoja="Conceptos")
