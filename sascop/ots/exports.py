"""The OT list as an Excel workbook: the page's "Exportar a Excel" and the API's
`?formato=xlsx` both write it from the same filtered (and sorted) queryset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse

from sascop.catalogos.estatus import EstatusOT
from sascop.core import excel
from sascop.core.excel import Columna
from sascop.ots import selectors
from sascop.ots.models import OT

COLUMNAS = [
    Columna("Orden de trabajo", 18),
    Columna("Reprogramación", 8, excel.ENTERO),
    Columna("Oficio OT", 18),
    Columna("Oficio PTE", 18),
    Columna("Descripción del trabajo", 50),
    Columna("Cliente", 28),
    Columna("Responsable", 26),
    Columna("Responsable del cliente", 22),
    Columna("Frente", 18),
    Columna("Sitio", 18),
    Columna("Estatus", 16),
    Columna("Inicio programado", 12, excel.FECHA),
    Columna("Término programado", 12, excel.FECHA),
    Columna("Inicio real", 12, excel.FECHA),
    Columna("Término real", 12, excel.FECHA),
    Columna("Plazo (días)", 10, excel.ENTERO),
    Columna("Monto MXN", 18, excel.DINERO),
    Columna("Monto USD", 16, excel.DINERO),
    Columna("Días transcurridos", 11, excel.ENTERO),
    Columna("Días restantes", 11, excel.ENTERO),
    Columna("Avance (%)", 10, excel.PORCENTAJE),
]
_CAMPOS = (
    "id",
    "orden_trabajo",
    "num_reprogramacion",
    "oficio_ot",
    "pte__oficio_pte",
    "descripcion_trabajo",
    "cliente__descripcion",
    "responsable_proyecto__nombre",
    "responsable_cliente",
    "frente__descripcion",
    "sitio__descripcion",
    "estatus",
    "fecha_inicio_programado",
    "fecha_termino_programado",
    "fecha_inicio_real",
    "fecha_termino_real",
    "plazo_dias",
    "monto_mxn",
    "monto_usd",
    "dias_transcurridos",
    "dias_restantes",
    "avance_tiempo",
)
_ESTATUS = dict(EstatusOT.choices)


def filas(ots: QuerySet[OT], lote: int = excel.LOTE) -> Iterator[list[Any]]:
    """One row per OT, read `lote` at a time as plain tuples; steps once per batch."""
    tuplas = ots.values_list(*_CAMPOS).iterator(chunk_size=lote)
    for grupo in excel.lotes(tuplas, lote):
        pasos = selectors.pasos_de(t[0] for t in grupo)
        for pk, *valores, estatus, i_p, t_p, i_r, t_r, plazo, mxn, usd, dt, dr, tiempo in grupo:
            yield [
                *valores,
                _ESTATUS.get(estatus, estatus),
                i_p,
                t_p,
                i_r,
                t_r,
                plazo,
                mxn,
                usd,
                dt,
                dr,
                selectors.progreso_ponderado(tiempo, pasos.get(pk, 0.0)),
            ]


def ots_xlsx(ots: QuerySet[OT]) -> FileResponse:
    """The workbook of exactly these OTs, in this order."""
    return excel.respuesta_xlsx(COLUMNAS, filas(ots), nombre="ots", hoja="OTs")
