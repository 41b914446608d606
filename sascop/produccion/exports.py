"""Production as Excel workbooks (core/excel.py machinery): the list of rows (the page's
"Exportar a Excel" and the API's `?formato=xlsx`, from the same filtered queryset, in its
order) and the monthly sheet (per line of the anexo a programmed row and an executed row,
one column per day, then the month's amounts)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy, pgettext_lazy

from sascop.core import excel
from sascop.core.pages import columnas
from sascop.produccion.models import Produccion
from sascop.produccion.tables import COLUMNAS as _COLUMNAS

COLUMNAS = columnas.encabezados(_COLUMNAS)


def filas(produccion: QuerySet[Produccion], lote: int = excel.LOTE) -> Iterator[list[Any]]:
    """One row per production row, read `lote` at a time as plain tuples."""
    return columnas.filas(_COLUMNAS, produccion, lote=lote)


def produccion_xlsx(produccion: QuerySet[Produccion]) -> FileResponse:
    """The workbook of exactly these rows, in this order."""
    return excel.respuesta_xlsx(
        COLUMNAS, filas(produccion), nombre="produccion", hoja=gettext_lazy("Production")
    )


def _dia(valores: dict[str, str], dia: int) -> Decimal | None:
    valor = valores.get(str(dia))
    return Decimal(valor) if valor is not None else None


def sabana_xlsx(datos: dict[str, Any]) -> FileResponse:
    columnas = [
        excel.Columna(pgettext_lazy("sheet header", "ANEXO"), 9),
        excel.Columna(pgettext_lazy("sheet header", "PARTIDA"), 10),
        excel.Columna(pgettext_lazy("sheet header", "CONCEPT"), 50),
        excel.Columna(pgettext_lazy("sheet header", "UNIT"), 10),
        excel.Columna(pgettext_lazy("sheet header", "AUTHORISED"), 14, excel.VOLUMEN),
        excel.Columna("", 7),
        *(excel.Columna(str(dia), 10, excel.VOLUMEN) for dia in datos["dias"]),
        excel.Columna(pgettext_lazy("sheet header", "EXCEDENTE"), 12, excel.VOLUMEN),
        excel.Columna(pgettext_lazy("sheet header", "AMOUNT MXN"), 16, excel.DINERO),
        excel.Columna(pgettext_lazy("sheet header", "AMOUNT USD"), 14, excel.DINERO),
    ]
    vacios = [None] * len(datos["dias"])
    programado, ejecutado = pgettext_lazy("sheet row", "PROG."), pgettext_lazy("sheet row", "EXEC.")
    subtotal_, total = pgettext_lazy("sheet row", "SUBTOTAL"), pgettext_lazy("sheet row", "TOTAL")

    def filas() -> Iterator[list[Any]]:
        for p in datos["partidas"]:
            base = [p["anexo"], p["partida"], p["concepto"], p["unidad"]]
            yield [
                *base,
                Decimal(p["autorizado"]),
                programado,
                *(_dia(p["programado"], d) for d in datos["dias"]),
                None,
                None,
                None,
            ]
            excedente = sum((Decimal(v) for v in p["excedente"].values()), Decimal("0"))
            yield [
                *base,
                None,
                ejecutado,
                *(_dia(p["ejecutado"], d) for d in datos["dias"]),
                excedente,
                Decimal(p["importe_mn"]),
                Decimal(p["importe_usd"]),
            ]
        for subtotal in datos["subtotales"]:
            yield [subtotal["anexo"], None, subtotal_, None, None, None, *vacios, None,
                   Decimal(subtotal["importe_mn"]), Decimal(subtotal["importe_usd"])]  # fmt: skip
        totales = datos["totales"]
        yield [None, None, total, None, None, None, *vacios, None,
               Decimal(totales["importe_mn"]), Decimal(totales["importe_usd"])]  # fmt: skip

    nombre = f"sabana-{datos['orden_trabajo']}-{datos['anio']}-{datos['mes']:02d}"
    return excel.respuesta_xlsx(
        columnas, filas(), nombre=nombre, hoja=f"{datos['anio']}-{datos['mes']:02d}"
    )
