"""Workbooks built for the tests, shaped like the ones the client issues."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl

Filas = Sequence[Sequence[Any]]

TITULOS = [
    ["PEMEX EXPLORACIÓN Y PRODUCCIÓN"],
    ["CONTRATO 640857800: SERVICIOS DE BUCEO Y APOYO A INSTALACIONES COSTA AFUERA"],
    [],
]
# The whole 400 answer to an upload that is no .xlsx workbook at all.
NO_ES_UN_LIBRO = {
    "error": "Invalid workbook",
    "code": "invalid_workbook",
    "detail": "El archivo no es un libro .xlsx (no es un archivo zip).",
    "filas": [],
}
ENCABEZADO = [
    "ANEXO",
    "PARTIDA",
    "CONCEPTO",
    "UNIDAD",
    "CANTIDADES DE REFERENCIA",
    "P.U. MN",
    "P.U. USD",
    "M.N.",
    "U.S.D.",
]


def xlsx(hojas: dict[str, Filas], *, combinar: dict[str, list[str]] | None = None) -> bytes:
    """An .xlsx with one sheet per entry (rows as lists; None is an empty cell)."""
    libro = openpyxl.Workbook()
    for vacia in list(libro.worksheets):
        libro.remove(vacia)
    for nombre, filas in hojas.items():
        hoja = libro.create_sheet(nombre)
        for fila in filas:
            hoja.append(list(fila))
        for rango in (combinar or {}).get(nombre, []):
            hoja.merge_cells(rango)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def libro_completo() -> bytes:
    """Every variant the client's books show, in three sheets."""
    c5: list[list[Any]] = [
        *TITULOS,
        ENCABEZADO,
        [None, None, "Tubos"],
        ["C-5", "2.1.", "Tubería de acero al carbón de 8 pulgadas", "Día", 10, 1234.5, None, 12345],
        ["C-5", 2.2, "Tubería de 10 pulgadas", "DÍA", None, "1,500.00", "15.5"],
        [None, None, "Estructuras", None, None, None, None, None],
        ["C-5", 4.4, "Abrazadera estructural", "JORNADA", 3, 800, 0],
        [],
        ["C-5", "5.1.", "Buzo de saturación", "HOM/DÍA", None, None, 950.25],
        ["C-5", 1, "Supervisor", "H-H", 1, 420, None],
        [None, None, "TOTAL", None, None, None, None, 99999, 950.25],
    ]
    c51: list[list[Any]] = [
        ["ANEXO C-5-1 PROGRAMA DE BUCEO"],
        [None, "PART.", "DESCRIPCIÓN DE CONCEPTOS", "UNID.", "CANT.", "PRECIO UNITARIO", None],
        [None, None, None, None, None, "M.N.", "U.S.D."],
        [None, None, "Tubos"],
        [None, "5.1", "Buzo de saturación (programa)", "hom/día", 2, 1000, 10.1],
    ]
    c10: list[list[Any]] = [
        ["PRECIOS UNITARIOS EXTRAORDINARIOS (PUE)"],
        ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U. M.N.", "P.U. U.S.D.", "PTE", "OT"],
        ["PUE-1", "Reparación de ducto con grapa", "PZA.", 5000, None, "PTE-2026-0001", None],
    ]
    return xlsx(
        {"C-5": c5, "C-5-1": c51, "C-10": c10},
        combinar={"C-5-1": ["F2:G2"]},
    )


def libro_simple(precio: Any = 1234.5, anexo: str = "C-5") -> bytes:
    return xlsx(
        {
            anexo: [
                *TITULOS,
                ENCABEZADO,
                [None, None, "Tubos"],
                [anexo, "2.1.", "Tubería de 8 pulgadas", "Día", 10, precio, None],
                [anexo, "2.2", "Tubería de 10 pulgadas", "DÍA", None, 1500, 15.5],
            ]
        }
    )


def libro_de_conceptos(conceptos: int, *malas: list[Any]) -> bytes:
    """A sheet C-7 of a header and `conceptos` rows (then `malas`): 1 + conceptos +
    len(malas) rows."""
    filas = [["C-7", f"1.{n}", f"Concepto {n}", "DIA", 1, 10 + n, None] for n in range(conceptos)]
    return xlsx({"C-7": [ENCABEZADO, *filas, *malas]})
