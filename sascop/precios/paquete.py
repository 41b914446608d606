"""The bounds a workbook must keep before openpyxl reads it.

An .xlsx is a zip of XML parts, and a small file can unpack into a great deal of work: a part
of hundreds of megabytes of XML comments, millions of shared strings (openpyxl keeps them
all in memory before the first row), rows with one cell in column XFD (a read-only sheet
fills every row out to its last column), a sheet nobody imports holding millions of cells.
Each is found here by streaming the parts once, without parsing them (about 1 s for the
largest file allowed), and refused with the reason; while the rows are then read,
`Plazo` stops a read that takes longer than LIBRO_MAX_SEGUNDOS (below gunicorn's timeout, so
the client is told why instead of the worker being killed).
"""

from __future__ import annotations

import re
import time
import zipfile
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

# The whole file unpacked, one part, and how much one part may grow when unpacked (XML
# compresses 5 to 20 times; a part of repeated filler, hundreds of times).
MAX_DESCOMPRIMIDO = 300 * 1024 * 1024
MAX_PARTE = 150 * 1024 * 1024
MAX_PROPORCION = 100
PROPORCION_DESDE = 1024 * 1024  # small parts may compress as they like
MAX_PARTES = 1_000
MAX_TEXTOS = 1_000_000  # shared strings (distinct texts in the workbook)
MAX_CELDAS_POR_HOJA = 10_000_000
MAX_COLUMNA = 1_000  # "ALL": an anexo has one column per programmed day

SEGUNDOS_PREDETERMINADOS = 25.0  # LIBRO_MAX_SEGUNDOS' default
_TROZO = 4 * 1024 * 1024
_COLUMNA_LARGA = re.compile(rb'<c r="([A-Z]{3})[0-9]')


class PaqueteInvalido(ValueError):
    """The file breaks one of the bounds; the message says which."""


class NoEsZip(ValueError):
    """The file is no zip at all, so no workbook (not a matter of bounds)."""


def _numero_de_columna(letras: bytes) -> int:
    numero = 0
    for letra in letras:
        numero = numero * 26 + (letra - ord("A") + 1)
    return numero


def _miles(n: int) -> str:
    """A count as the messages write it: 1,000,000."""
    return f"{n:,}"


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"


def _contar_en(paquete: zipfile.ZipFile, nombre: str, marca: bytes) -> tuple[int, int]:
    """How many times `marca` occurs in the part, and the largest column a cell names."""
    veces, columna, cola = 0, 0, b""
    with paquete.open(nombre) as parte:
        while trozo := parte.read(_TROZO):
            texto = cola + trozo
            # A mark split between two chunks is counted in the second (the tail is kept).
            veces += texto.count(marca) - cola.count(marca)
            for letras in _COLUMNA_LARGA.findall(texto):
                columna = max(columna, _numero_de_columna(letras))
            cola = texto[-16:]
    return veces, columna


def filas(archivo: IO[bytes]) -> int | None:
    """How many rows the workbook's sheets hold, counted in their XML without reading a cell;
    None when it is no zip or its parts break a bound (then the import refuses it the usual
    way, and nothing here decompressed more than the bounds allow). Leaves the file at its
    start."""
    try:
        with zipfile.ZipFile(archivo) as paquete:
            _revisar_partes(paquete)
            # Every row element starts so (`<row r="12" ...>`); `<rowBreaks>` does not.
            return sum(
                _contar_en(paquete, nombre, b"<row ")[0]
                for nombre in paquete.namelist()
                if nombre.startswith("xl/worksheets/") and nombre.endswith(".xml")
            )
    except (zipfile.BadZipFile, PaqueteInvalido, OSError, EOFError, ValueError):
        return None
    finally:
        archivo.seek(0)


def revisar(archivo: IO[bytes]) -> None:
    """Raise PaqueteInvalido when the workbook in `archivo` breaks a bound (NoEsZip when it is
    no zip at all); leave the file at its start either way."""
    try:
        with zipfile.ZipFile(archivo) as paquete:
            _revisar_partes(paquete)
            _revisar_contenido(paquete)
    except zipfile.BadZipFile as exc:
        raise NoEsZip(_("The file is not an .xlsx workbook (it is not a zip file).")) from exc
    finally:
        archivo.seek(0)


def _revisar_partes(paquete: zipfile.ZipFile) -> None:
    partes = paquete.infolist()
    if len(partes) > MAX_PARTES:
        raise PaqueteInvalido(
            _("The workbook has more than %(n)s parts.") % {"n": _miles(MAX_PARTES)}
        )
    if sum(p.file_size for p in partes) > MAX_DESCOMPRIMIDO:
        raise PaqueteInvalido(
            _("The workbook unpacked is larger than %(mb)s.") % {"mb": _mb(MAX_DESCOMPRIMIDO)}
        )
    for parte in partes:
        if parte.file_size > MAX_PARTE:
            raise PaqueteInvalido(
                _("The workbook's part %(parte)s unpacked is larger than %(mb)s.")
                % {"parte": parte.filename, "mb": _mb(MAX_PARTE)}
            )
        crece = parte.file_size / max(1, parte.compress_size)
        if parte.file_size > PROPORCION_DESDE and crece > MAX_PROPORCION:
            raise PaqueteInvalido(
                _(
                    "The workbook's part %(parte)s grows %(veces)s times when unpacked (more "
                    "than %(maximo)s): it does not look like a workbook of data."
                )
                % {"parte": parte.filename, "veces": f"{crece:.0f}", "maximo": MAX_PROPORCION}
            )


def _revisar_contenido(paquete: zipfile.ZipFile) -> None:
    for nombre in paquete.namelist():
        if nombre == "xl/sharedStrings.xml":
            textos, _columna = _contar_en(paquete, nombre, b"<si")
            if textos > MAX_TEXTOS:
                raise PaqueteInvalido(
                    _("The workbook has more than %(n)s distinct texts.")
                    % {"n": _miles(MAX_TEXTOS)}
                )
        elif nombre.startswith("xl/worksheets/") and nombre.endswith(".xml"):
            celdas, columna = _contar_en(paquete, nombre, b"<c ")
            hoja = nombre.rsplit("/", 1)[1].removesuffix(".xml")
            if columna > MAX_COLUMNA:
                raise PaqueteInvalido(
                    _("The sheet %(hoja)s has cells beyond column %(columna)s.")
                    % {"hoja": hoja, "columna": MAX_COLUMNA}
                )
            if celdas > MAX_CELDAS_POR_HOJA:
                raise PaqueteInvalido(
                    _("The sheet %(hoja)s has more than %(n)s cells.")
                    % {"hoja": hoja, "n": _miles(MAX_CELDAS_POR_HOJA)}
                )


class Plazo:
    """The time a read may take: `revisar()` is called every few hundred rows."""

    def __init__(self) -> None:
        # The reader also runs outside the service (bench/precios.py): then the default.
        configurado = settings.configured and hasattr(settings, "LIBRO_MAX_SEGUNDOS")
        self.segundos = settings.LIBRO_MAX_SEGUNDOS if configurado else SEGUNDOS_PREDETERMINADOS
        self.hasta = time.monotonic() + self.segundos

    def revisar(self) -> None:
        if time.monotonic() > self.hasta:
            raise PaqueteInvalido(
                _(
                    "Reading the workbook took more than %(segundos)s seconds; split it into "
                    "smaller workbooks."
                )
                % {"segundos": f"{self.segundos:.0f}"}
            )
