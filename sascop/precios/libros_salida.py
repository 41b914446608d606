"""Workbooks the service writes: an OT's anexo exported, and a refused anexo handed back
with an OBSERVACIONES column. Plain openpyxl, no database; every cell goes out through
core.excel's `como_texto`, so no text (nor a formula of a refused upload) is a live formula."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sascop.core.excel import como_texto
from sascop.precios.libro import errores_de_lectura

TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENCABEZADO_ANEXO = [
    "ANEXO",
    "PARTIDA",
    "CONCEPTO",
    "UNIDAD",
    "VOLUMEN PTE",
    "P.U. M.N.",
    "P.U. USD",
    "IMPORTE M.N.",
    "IMPORTE USD",
]


def _guardar(libro: Any) -> bytes:
    for hoja in libro.worksheets:
        # The cells that exist, not `iter_rows()`: that would create every empty cell of the
        # sheet's bounding box (one cell at XFD on row 99,000 is 1.6 billion of them).
        for celda in list(hoja._cells.values()):
            if celda.data_type == "f" and not isinstance(celda.value, str):
                # An array or data-table formula of an uploaded workbook: its text.
                celda.value = getattr(celda.value, "text", None) or ""
            como_texto(celda)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def anexo_xlsx(datos: dict[str, Any], titulo: str) -> bytes:
    """The anexo as the API returns it (`datos`), in the shape it is imported in: the same
    header, then one column per programmed day; it can be imported back."""
    import openpyxl  # loaded by the first workbook written, not by every worker at start
    from openpyxl.styles import Font

    libro = openpyxl.Workbook()
    hoja = libro.create_sheet("Anexo")
    libro.remove(libro.worksheets[0])
    hoja.append([titulo])
    hoja.append([f"Versión {datos['version']}"])
    hoja.append([])
    dias = sorted({dia for p in datos["partidas"] for dia in p["programa"]})
    hoja.append([*ENCABEZADO_ANEXO, *(datetime.date.fromisoformat(d) for d in dias)])
    for celda in hoja[hoja.max_row]:
        celda.font = Font(bold=True)
        if isinstance(celda.value, datetime.date):
            celda.number_format = "yyyy-mm-dd"
    for p in datos["partidas"]:
        hoja.append(
            [
                p["anexo"],
                p["partida"],
                p["concepto"],
                p["unidad"],
                Decimal(p["volumen"]),
                Decimal(p["pu_mn"]),
                Decimal(p["pu_usd"]),
                Decimal(p["importe_mn"]),
                Decimal(p["importe_usd"]),
                *(Decimal(p["programa"][d]) if d in p["programa"] else None for d in dias),
            ]
        )
    totales = datos["totales"]
    hoja.append([])
    hoja.append([None, None, "TOTAL", *[None] * 4, Decimal(totales["importe_mn"]),
                 Decimal(totales["importe_usd"])])  # fmt: skip
    return _guardar(libro)


def con_observaciones(
    contenido: bytes, encabezado: int | None, filas: Sequence[dict[str, Any]]
) -> bytes:
    """The refused workbook with an OBSERVACIONES column after its last one: each wrong
    row's reasons beside it; those about the whole sheet beside the header (or in row 1).

    A file the reader took but openpyxl cannot open for writing (or one with no sheet)
    comes back as a plain list of the observations instead of failing the download.
    """
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    try:
        libro = openpyxl.load_workbook(io.BytesIO(contenido))
    except errores_de_lectura():
        return _solo_observaciones(filas)
    if not libro.worksheets:
        return _solo_observaciones(filas)
    hoja = libro.worksheets[0]
    columna = hoja.max_column + 1
    fila_general = encabezado or 1
    hoja.cell(row=fila_general, column=columna, value="OBSERVACIONES").font = Font(bold=True)
    for fila in filas:
        texto = " ".join(fila["errores"])
        numero = fila["fila"] or fila_general
        celda = hoja.cell(row=numero, column=columna)
        celda.value = f"{celda.value} {texto}" if celda.value else texto
    hoja.column_dimensions[get_column_letter(columna)].width = 60
    return _guardar(libro)


def _solo_observaciones(filas: Sequence[dict[str, Any]]) -> bytes:
    import openpyxl

    libro = openpyxl.Workbook()
    hoja = libro.create_sheet("Observaciones")
    libro.remove(libro.worksheets[0])
    hoja.append(["FILA", "PARTIDA", "OBSERVACIONES"])
    for fila in filas:
        hoja.append([fila.get("fila"), fila.get("partida"), " ".join(fila["errores"])])
    return _guardar(libro)


def con_observaciones_por_hoja(contenido: bytes, filas: Sequence[dict[str, Any]]) -> bytes:
    """The refused price book with an OBSERVACIONES column on each sheet a reason names:
    each wrong row's reasons beside it, those about a whole sheet (or the book) in its
    first row. A file openpyxl cannot open for writing comes back as a plain list."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    try:
        libro = openpyxl.load_workbook(io.BytesIO(contenido))
    except errores_de_lectura():
        return _solo_observaciones(filas)
    if not libro.worksheets:
        return _solo_observaciones(filas)
    columnas: dict[str, int] = {}
    for fila in filas:
        hoja = libro[fila["hoja"]] if fila.get("hoja") in libro.sheetnames else libro.worksheets[0]
        if hoja.title not in columnas:
            columnas[hoja.title] = hoja.max_column + 1
            encabezado = hoja.cell(row=1, column=columnas[hoja.title])
            encabezado.value = "OBSERVACIONES"
            encabezado.font = Font(bold=True)
            hoja.column_dimensions[get_column_letter(columnas[hoja.title])].width = 60
        texto = " ".join(fila["errores"])
        celda = hoja.cell(row=fila.get("fila") or 1, column=columnas[hoja.title])
        celda.value = f"{celda.value} {texto}" if celda.value else texto
    return _guardar(libro)
