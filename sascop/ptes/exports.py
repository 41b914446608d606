"""The PTE list as an Excel workbook: the page's "Exportar a Excel" and the API's
`?formato=xlsx` both write it from the same filtered (and sorted) queryset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from sascop.catalogos.estatus import EstatusPTE
from sascop.core import excel
from sascop.core.excel import Columna
from sascop.ptes import selectors
from sascop.ptes.models import PTE

COLUMNAS = [
    Columna("Oficio PTE", 18),
    Columna("Oficio de solicitud", 18),
    Columna("Descripción del trabajo", 50),
    Columna("Cliente", 28),
    Columna("Tipo", 22),
    Columna("Responsable", 26),
    Columna("Fecha de solicitud", 12, excel.FECHA),
    Columna("Plazo (días)", 10, excel.ENTERO),
    Columna("Fecha de entrega", 12, excel.FECHA),
    Columna("Prioridad", 10),
    Columna("Estatus", 13),
    Columna("Total homologado (MXN)", 18, excel.DINERO),
    Columna("Avance (%)", 10, excel.PORCENTAJE),
]
_CAMPOS = (
    "id",
    "oficio_pte",
    "oficio_solicitud",
    "descripcion_trabajo",
    "cliente__descripcion",
    "tipo__descripcion",
    "responsable_proyecto__nombre",
    "fecha_solicitud",
    "plazo_dias",
    "fecha_entrega",
    "prioridad",
    "estatus",
    "total_homologado",
)
_PRIORIDAD = dict(PTE.Prioridad.choices)
_ESTATUS = dict(EstatusPTE.choices)


def filas(ptes: QuerySet[PTE], lote: int = excel.LOTE) -> Iterator[list[Any]]:
    """One row per PTE, read `lote` at a time as plain tuples; progress once per batch."""
    tuplas = ptes.values_list(*_CAMPOS).iterator(chunk_size=lote)
    for grupo in excel.lotes(tuplas, lote):
        avance = selectors.progreso_de(t[0] for t in grupo)
        for pk, *valores, prioridad, estatus, total in grupo:
            yield [
                *valores,
                _PRIORIDAD.get(prioridad, prioridad),
                _ESTATUS.get(estatus, estatus),
                total,
                avance.get(pk, 0.0),
            ]


def ptes_xlsx(ptes: QuerySet[PTE]) -> FileResponse:
    """The workbook of exactly these PTEs, in this order."""
    return excel.respuesta_xlsx(COLUMNAS, filas(ptes), nombre="ptes", hoja="PTEs")
