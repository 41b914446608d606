"""Workbooks the service writes: an OT's anexo exported, and a refused anexo handed back
with an OBSERVACIONES column. Plain openpyxl, no database; every cell goes out through
core.excel's `como_texto`, so no text (nor a formula of a refused upload) is a live formula."""

from __future__ import annotations

import datetime
import io
import tempfile
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
    """The refused workbook with an OBSERVACIONES column after its first sheet's last one:
    each wrong row's reasons beside it; those about the whole sheet beside the header (or in
    row 1). Every sheet comes back (see `_anotar`).

    A file the reader took but openpyxl cannot open for writing (or one with no sheet)
    comes back as a plain list of the observations instead of failing the download.
    """
    titulo = encabezado or 1
    notas: dict[int, list[str]] = {}
    for fila in filas:
        notas.setdefault(fila["fila"] or titulo, []).extend(fila["errores"])
    return _anotar(contenido, {"": notas}, titulo, filas)


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
    notas: dict[str, dict[int, list[str]]] = {}
    for fila in filas:
        por_fila = notas.setdefault(fila.get("hoja") or "", {})
        por_fila.setdefault(fila.get("fila") or 1, []).extend(fila["errores"])
    return _anotar(contenido, notas, 1, filas)


def _anotar(
    contenido: bytes,
    notas: dict[str, dict[int, list[str]]],
    encabezado: int,
    filas: Sequence[dict[str, Any]],
) -> bytes:
    """`contenido` copied sheet by sheet, with an OBSERVACIONES column on each sheet `notas`
    names (by title → row number → reasons; reasons naming no sheet of the book go on the
    first one): its title in the header row (`encabezado` on the first sheet, 1 on the
    others), each row's reasons beside it.

    The workbook is streamed, never held: read-only in, write-only out, so memory follows one
    row and the texts the workbook shares, not its cells (a 50,000-row anexo loaded whole
    took some 175 MiB). The column goes after the last value of the sheet's widest row, which
    takes one pass over an annotated sheet before its copy. Values and number formats come
    back; other styling, merged cells and widths do not; formulas come back as their text.
    """
    import openpyxl

    try:
        entrada = openpyxl.load_workbook(io.BytesIO(contenido), read_only=True)
    except errores_de_lectura():
        return _solo_observaciones(filas)
    try:
        if not entrada.worksheets:
            return _solo_observaciones(filas)
        return _copiar_anotado(entrada, notas, encabezado)
    except errores_de_lectura():
        return _solo_observaciones(filas)
    finally:
        entrada.close()


def _notas_de_hoja(
    notas: dict[str, dict[int, list[str]]], titulo: str, primera: bool, titulos: list[str]
) -> dict[int, list[str]]:
    propias: dict[int, list[str]] = {}
    for clave, por_fila in notas.items():
        if clave == titulo or (primera and clave not in titulos):
            for numero, textos in por_fila.items():
                propias.setdefault(numero, []).extend(textos)
    return propias


def _copiar_anotado(entrada: Any, notas: dict[str, dict[int, list[str]]], encabezado: int) -> bytes:
    import openpyxl
    from openpyxl.utils import get_column_letter

    salida = openpyxl.Workbook(write_only=True)
    for indice, hoja in enumerate(entrada.worksheets):
        por_fila = _notas_de_hoja(notas, hoja.title, indice == 0, entrada.sheetnames)
        # Producers often write a wrong <dimension>: every row there is, as the reader does.
        hoja.reset_dimensions()
        copia = salida.create_sheet(title=hoja.title)
        columna = titulo = 0
        if por_fila:
            columna = _ultima_columna(hoja) + 1
            titulo = encabezado if indice == 0 else 1
            por_fila[titulo] = ["OBSERVACIONES", *por_fila.get(titulo, [])]
            copia.column_dimensions[get_column_letter(columna)].width = 60
        numero = 0
        for numero, celdas in enumerate(hoja.iter_rows(), start=1):
            fila = [_copia(copia, celda) for celda in celdas]
            if numero in por_fila:
                fila += [None] * (columna - 1 - len(fila))
                fila.append(_nota(copia, por_fila.pop(numero), numero == titulo))
            copia.append(fila)
        # Reasons about rows past the sheet's last one (or an empty sheet's): rows of their own.
        for resto in sorted(por_fila):
            while numero < resto - 1:
                copia.append([])
                numero += 1
            copia.append([*[None] * (columna - 1), _nota(copia, por_fila[resto], resto == titulo)])
            numero += 1
    with tempfile.TemporaryFile() as archivo:
        salida.save(archivo)
        archivo.seek(0)
        return archivo.read()


def _ultima_columna(hoja: Any) -> int:
    """The column of the last value in the sheet's widest row (0 for an empty sheet)."""
    ultima = 0
    for fila in hoja.iter_rows(values_only=True):
        for posicion in range(len(fila), ultima, -1):
            if fila[posicion - 1] is not None:
                ultima = posicion
                break
    return ultima


def _copia(hoja: Any, celda: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    valor = celda.value
    if valor is None:
        return None
    if not isinstance(valor, str | int | float | Decimal | datetime.date | datetime.time):
        # An array or data-table formula: its text.
        valor = getattr(valor, "text", None) or ""
    nueva = como_texto(WriteOnlyCell(hoja, value=valor))
    formato = getattr(celda, "number_format", "General")
    if formato != "General" and nueva.data_type in ("n", "d"):
        nueva.number_format = formato
    return nueva


def _nota(hoja: Any, textos: list[str], titulo: bool) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    celda = como_texto(WriteOnlyCell(hoja, value=" ".join(textos)))
    if titulo:
        celda.font = Font(bold=True)
    return celda
