"""Excel export of any list: a real .xlsx (typed numbers and dates, a header row, frozen
panes, column widths) written row by row.

openpyxl's write-only workbook streams each row into a temporary file as it comes, so memory
stays bounded however many rows there are; the caller hands rows from
`QuerySet.values_list(...).iterator(chunk_size)`, never a list of model objects. The finished
file is sent in chunks by FileResponse.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.http import FileResponse, QueryDict
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from sascop.core.errors import InvalidInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Cell formats, as Excel writes them (the workbook's reader shows them in its own locale).
ENTERO = "#,##0"
DINERO = "#,##0.00"
VOLUMEN = "#,##0.0000"
PORCENTAJE = "0.00"
FECHA = "dd/mm/yyyy"
FECHA_HORA = "dd/mm/yyyy hh:mm"

# Rows read from the database at a time (`QuerySet.iterator(chunk_size=...)`).
LOTE = 2000

# Text starting with one of these is a formula to Excel or LibreOffice, on opening the file
# (`=`) or when someone edits the cell (`+`, `-`, `@`; a tab or line end ahead of them: XML
# reads a CR as a line feed). Such text is written as a string cell marked "quote prefix"
# (Excel's leading apostrophe): it shows and imports back as written, never evaluated.
PREFIJOS_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")

T = TypeVar("T")


@dataclass(frozen=True)
class Columna:
    titulo: StrOrPromise
    ancho: float = 14  # in characters, as Excel measures a column
    formato: str | None = None  # one of the formats above; None for text


def pide_xlsx(params: QueryDict) -> bool:
    """Whether a list request asks for the workbook (`?formato=xlsx`); `json` or nothing is
    the page. Any other value is a 400, like any filter value the list cannot use."""
    formato = params.get("formato", "")
    if formato not in ("", "json", "xlsx"):
        raise InvalidInput(fields={"formato": [gettext("Use json or xlsx.")]})
    return formato == "xlsx"


def lotes(filas: Iterable[T], tamano: int = LOTE) -> Iterator[list[T]]:
    """`filas` in lists of `tamano`, for work done once per batch (not once per row)."""
    iterador = iter(filas)
    while lote := list(islice(iterador, tamano)):
        yield lote


def parece_formula(valor: object) -> bool:
    """Whether `valor` is text a spreadsheet could take for a formula."""
    return isinstance(valor, str) and valor.startswith(PREFIJOS_DE_FORMULA)


def como_texto(celda: Any) -> Any:
    """`celda` (an openpyxl cell, write-only or not) stored as the text it holds when that
    text could be a formula; anything else (numbers, dates, plain text) unchanged. Every
    workbook the service writes passes user text through here."""
    if parece_formula(celda.value):
        celda.data_type = "s"
        celda.quotePrefix = True
    return celda


def _valor(valor: Any) -> Any:
    if isinstance(valor, datetime.datetime) and timezone.is_aware(valor):
        # Excel has no time zones: the local (Mexico City) time, as the pages show it.
        return timezone.localtime(valor).replace(tzinfo=None)
    if isinstance(valor, Decimal) and not valor.is_finite():
        return None
    return valor


def _encabezado(hoja: WriteOnlyWorksheet, columnas: Sequence[Columna]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    negrita, fondo = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0B3D62")
    celdas = []
    for columna in columnas:
        celda = WriteOnlyCell(hoja, value=str(columna.titulo))
        celda.font = negrita
        celda.fill = fondo
        celda.alignment = Alignment(vertical="center", wrap_text=True)
        celdas.append(celda)
    return celdas


def escribir_libro(
    columnas: Sequence[Columna], filas: Iterable[Sequence[Any]], *, hoja: StrOrPromise
) -> IO[bytes]:
    """The workbook in a temporary file, rewound and ready to send (closed when sent).

    In the pages' es-MX whoever asks (the API's workbook is the same document as the
    page's), its headers and labels translated as it is written."""
    with translation.override(settings.LANGUAGE_CODE):
        return _escribir_libro(columnas, filas, hoja=hoja)


def _escribir_libro(
    columnas: Sequence[Columna], filas: Iterable[Sequence[Any]], *, hoja: StrOrPromise
) -> IO[bytes]:
    # openpyxl (some 15 MiB) is loaded by the first export, not by every worker at start.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    libro = Workbook(write_only=True)
    ws = libro.create_sheet(title=str(hoja)[:31])
    ws.freeze_panes = "A2"  # the header stays in view while scrolling
    for numero, columna in enumerate(columnas, start=1):
        ws.column_dimensions[get_column_letter(numero)].width = columna.ancho
    ws.append(_encabezado(ws, columnas))
    formatos = [columna.formato for columna in columnas]
    for fila in filas:
        celdas: list[Any] = []
        for valor, formato in zip(fila, formatos, strict=True):
            valor = _valor(valor)
            if isinstance(valor, Promise):  # a label (a status, Sí/No) to translate now
                valor = str(valor)
            if parece_formula(valor):
                celdas.append(como_texto(WriteOnlyCell(ws, value=valor)))
                continue
            if formato is None or valor is None:
                celdas.append(valor)
                continue
            celda = WriteOnlyCell(ws, value=valor)
            celda.number_format = formato
            celdas.append(celda)
        ws.append(celdas)
    archivo = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    libro.save(archivo)
    archivo.seek(0)
    return archivo


def respuesta_xlsx(
    columnas: Sequence[Columna], filas: Iterable[Sequence[Any]], *, nombre: str, hoja: StrOrPromise
) -> FileResponse:
    """An attachment `<nombre>-<today>.xlsx` with the rows, sent in chunks."""
    archivo = escribir_libro(columnas, filas, hoja=hoja)
    return FileResponse(
        archivo,
        as_attachment=True,
        filename=f"{nombre}-{timezone.localdate().isoformat()}.xlsx",
        content_type=XLSX,
    )
