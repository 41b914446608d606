"""Reading the client's price-book workbook (catálogo de precios) into plain rows.

Plain Python over openpyxl (read-only, cached values): no Django, no database. The
workbook has one sheet per anexo; a few title lines sit above a header row whose wording
varies from one issue of the book to the next; section rows (a description with no unit and
no price) group the concepts below them. `leer_libro()` finds the header row, maps its
columns, normalises keys and units, and returns every concept it could read together with
every row it could not, so that the caller can refuse the whole book and say why.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

from sascop.precios import paquete
from sascop.precios.avance import Avance

# The header row is looked for among the first rows of a sheet only: titles are a few lines.
FILAS_DE_TITULO = 30
# Far beyond any real price book; a bound on what a crafted file can make the server read.
MAX_FILAS_POR_HOJA = 100_000
DECIMALES_PRECIO = 2
DECIMALES_CANTIDAD = 4
MAX_PARTIDA = 40
MAX_UNIDAD = 30
MAX_ANEXO = 20
MAX_REFERENCIA = 60
# How far from a rounded value a number read from Excel may be and still be that value.
RUIDO = Decimal("1e-6")


class LibroIlegible(Exception):
    """The file is not a workbook openpyxl can read (not a zip, not .xlsx, broken XML)."""


class LibroExcesivo(LibroIlegible):
    """The workbook is beyond what the service reads (see precios.paquete)."""


@dataclass(frozen=True)
class FilaConcepto:
    """One concept as read: text normalised, money and quantities as Decimal."""

    hoja: str
    fila: int
    anexo: str
    partida: str
    concepto: str
    unidad: str
    pu_mn: Decimal
    pu_usd: Decimal
    cantidad_referencia: Decimal | None
    seccion: str
    extraordinario: bool
    pte: str = ""
    ot: str = ""

    @property
    def clave(self) -> str:
        return clave_concepto(self.concepto)


@dataclass(frozen=True)
class FilaPropuesta:
    """A PUE proposal of the PUE list not keyed yet: no anexo, no partida, price 0; the
    PTE (and perhaps OT) it was drawn up for, by oficio / orden de trabajo as written."""

    hoja: str
    fila: int
    concepto: str
    unidad: str
    cantidad_referencia: Decimal | None
    pte: str
    ot: str

    @property
    def clave(self) -> str:
        return clave_concepto(self.concepto)


@dataclass(frozen=True)
class ErrorFila:
    """A row (or, with `fila=None`, a whole sheet) that could not be read."""

    hoja: str
    fila: int | None
    partida: str | None
    errores: list[str]


@dataclass
class Hoja:
    nombre: str
    anexo: str
    titulos: list[str]
    extraordinaria: bool


@dataclass
class Libro:
    """What a workbook holds: its concepts, the rows it could not read, the sheets."""

    conceptos: list[FilaConcepto] = field(default_factory=list)
    errores: list[ErrorFila] = field(default_factory=list)
    hojas: list[Hoja] = field(default_factory=list)
    hojas_vacias: list[str] = field(default_factory=list)
    # Sheets of anexo totals (e.g. "Anexo C-CR"): no concept under their header.
    hojas_resumen: list[str] = field(default_factory=list)
    # The PUE list's proposals not keyed yet; `lista_pue` when the book is that list.
    propuestas: list[FilaPropuesta] = field(default_factory=list)
    lista_pue: bool = False


# --- normalisation ----------------------------------------------------------------------------


def sin_acentos(texto: str) -> str:
    """Upper case without accents; compatibility forms folded too ("M²" → "M2")."""
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).upper()


def _compacto(valor: Any) -> str:
    """A header cell reduced to letters and digits: "P.U. M.N." → "PUMN"."""
    if valor is None:
        return ""
    return re.sub(r"[^A-Z0-9]", "", sin_acentos(str(valor)))


def clave_concepto(texto: str) -> str:
    """A concept's text as it identifies the concept among those sharing a partida (C-4
    4.7. TUBERO, SOLDADOR…): spaces and case do not count."""
    return " ".join(texto.split()).upper()


def normalizar_partida(valor: Any) -> str:
    """The concept's key as one canonical text: "2.1.", "2.1" and 2.1 are all "2.1".

    Raises ValueError with a reason when the cell cannot be a key (a date Excel made of a
    typed "2.1", a boolean).
    """
    if valor is None:
        return ""
    if isinstance(valor, bool):
        raise ValueError(_("The item is not a key: «%(value)s».") % {"value": valor})
    if isinstance(valor, datetime.date | datetime.time):
        raise ValueError(
            _("Excel turned the item into the date %(date)s; write it as text.")
            % {"date": f"{valor:%d/%m/%Y}"}
        )
    if isinstance(valor, int):
        texto = str(valor)
    elif isinstance(valor, float):
        texto = str(int(valor)) if valor.is_integer() else repr(valor)
    elif isinstance(valor, Decimal):
        texto = format(valor.normalize(), "f")
    else:
        texto = str(valor)
    texto = re.sub(r"\s+", "", texto).upper().rstrip(".")
    if len(texto) > MAX_PARTIDA:
        raise ValueError(_("The item has more than %(n)d characters.") % {"n": MAX_PARTIDA})
    return texto


def orden_de_partida(partida: str) -> str:
    """A sort key that puts "2.9" before "2.10": numbers zero-padded, the rest kept."""
    return ".".join(
        parte.zfill(6) if parte.isdigit() else parte for parte in re.split(r"[^0-9A-Z]+", partida)
    )


def normalizar_unidad(valor: Any) -> str:
    """Units compared without accents, case or trailing dots: "Día", "DÍA" → "DIA"."""
    if valor is None:
        return ""
    texto = " ".join(sin_acentos(str(valor)).split()).rstrip(".").strip()
    return texto


_CLAVE_ANEXO = re.compile(r"([A-Z]{1,3})(?:[\s-]*(\d+(?:[-.]\d+)*))?(?![A-Z0-9])")


def normalizar_anexo(valor: Any) -> str:
    """An anexo's key from a cell or a sheet name: "Anexo c 5" → "C-5", "C-10 PUE" → "C-10"."""
    if valor is None:
        return ""
    texto = " ".join(sin_acentos(str(valor)).split())
    texto = re.sub(r"^ANEXO\b\s*", "", texto)
    clave = _CLAVE_ANEXO.match(texto)
    if clave is None:
        return texto.replace(" ", "")
    letras, numeros = clave.groups()
    return f"{letras}-{numeros}" if numeros else letras


def _texto(valor: Any) -> str:
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    return " ".join(str(valor).split())


_VACIOS = {"", "-", "--", "\u2014", "\u2013", "N/A", "NA"}  # dashes: em, en


def numero_de_celda(valor: Any, campo: str, decimales: int) -> tuple[Decimal | None, str | None]:
    """(value, None) or (None, reason): a non-negative amount with at most `decimales`
    decimals once Excel's float noise is rounded away; an empty cell is no value."""
    return _decimal(valor, campo, decimales)


def _no_es_numero(campo: str, valor: Any) -> str:
    return _("%(field)s is not a number: «%(value)s».") % {"field": campo, "value": _texto(valor)}


def _decimal(valor: Any, campo: str, decimales: int) -> tuple[Decimal | None, str | None]:
    """(value, None) or (None, reason). Empty cells and a lone dash are no value."""
    if valor is None:
        return None, None
    if isinstance(valor, bool | datetime.date | datetime.time):
        return None, _no_es_numero(campo, valor)
    if isinstance(valor, int | float | Decimal):
        texto = repr(valor) if isinstance(valor, float) else str(valor)
    else:
        texto = str(valor).strip()
        if texto.upper() in _VACIOS:
            return None, None
        texto = re.sub(r"[\s$,]", "", texto)
    try:
        numero = Decimal(texto)
    except InvalidOperation:
        return None, _no_es_numero(campo, valor)
    if not numero.is_finite():
        return None, _no_es_numero(campo, valor)
    if numero < 0:
        return None, _("%(field)s is negative: %(value)s.") % {"field": campo, "value": texto}
    paso = Decimal(1).scaleb(-decimales)
    redondeado = numero.quantize(paso)
    # Binary floats from Excel carry noise far below a cent (13362307.239999998 is
    # 13,362,307.24); real extra digits are an error rather than something to round away.
    if abs(numero - redondeado) > RUIDO:
        return None, _("%(field)s has more than %(n)d decimals: %(value)s.") % {
            "field": campo,
            "n": decimales,
            "value": texto,
        }
    return redondeado, None


# --- the header row ---------------------------------------------------------------------------

PARTIDA, CONCEPTO, UNIDAD, CANTIDAD, PU_MN, PU_USD, ANEXO, PTE, OT, VOLUMEN, ID_LISTA = (
    "partida",
    "concepto",
    "unidad",
    "cantidad",
    "pu_mn",
    "pu_usd",
    "anexo",
    "pte",
    "ot",
    "volumen",
    "id_lista",
)
_ENCABEZADOS_EXACTOS = {
    "PARTIDA": PARTIDA,
    "PART": PARTIDA,
    "PARTIDAS": PARTIDA,
    "NOPARTIDA": PARTIDA,
    "NODEPARTIDA": PARTIDA,
    "UNIDAD": UNIDAD,
    "UNID": UNIDAD,
    "UNIDADDEMEDIDA": UNIDAD,
    "UM": UNIDAD,
    "PUMN": PU_MN,
    "PUMXN": PU_MN,
    "PRECIOUNITARIOMN": PU_MN,
    "PUUSD": PU_USD,
    "PUDLS": PU_USD,
    "PRECIOUNITARIOUSD": PU_USD,
    "ANEXO": ANEXO,
    "PTE": PTE,
    "OFICIOPTE": PTE,
    "OT": OT,
    "ORDENDETRABAJO": OT,
    # The PUE list: the PTE / OT a PUE was drawn up for, and the old system's ids.
    "PTECREACION": PTE,
    "OTCREACION": OT,
    "IDPADRE": ID_LISTA,
    "VOLUMENPTE": VOLUMEN,
    "VOLUMEN": VOLUMEN,
    "VOLPTE": VOLUMEN,
}
_GRUPO_PRECIO = {"PRECIOUNITARIO", "PRECIOSUNITARIOS", "PU"}
_SUBENCABEZADOS = {"MN": PU_MN, "MXN": PU_MN, "USD": PU_USD, "DLS": PU_USD}


def _columna_de(compacto: str) -> str | None:
    if compacto in _ENCABEZADOS_EXACTOS:
        return _ENCABEZADOS_EXACTOS[compacto]
    if compacto.startswith(("CONCEPTO", "DESCRIPCION")):
        return CONCEPTO
    if compacto.startswith("CANT"):
        return CANTIDAD
    return None


@dataclass(frozen=True)
class Perfil:
    """What a header row must name for one kind of workbook."""

    requeridas: frozenset[str]
    precio_requerido: bool
    # Columns headed by a date: one per programmed day (the OT's anexo).
    fechas: bool
    descripcion: str


CATALOGO = Perfil(
    frozenset({PARTIDA, CONCEPTO, UNIDAD}),
    precio_requerido=True,
    fechas=False,
    descripcion="PARTIDA, CONCEPTO, UNIDAD y P.U. M.N. o P.U. USD",
)
ANEXO_OT = Perfil(
    frozenset({ANEXO, PARTIDA, CONCEPTO, UNIDAD, VOLUMEN}),
    precio_requerido=False,
    fechas=True,
    descripcion="ANEXO, PARTIDA, CONCEPTO, UNIDAD y VOLUMEN PTE",
)


@dataclass
class _Columnas:
    indices: dict[str, int]
    filas_de_encabezado: int  # 1, or 2 when a PRECIO UNITARIO cell spans M.N. / U.S.D.
    fechas: dict[int, datetime.date] = field(default_factory=dict)


_FECHA_TEXTO = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%d/%m/%Y"),
)


def fecha_de_encabezado(valor: Any) -> datetime.date | None:
    """The day a header cell names: a date cell, "2026-03-05" or "05/03/2026" (day first)."""
    if isinstance(valor, datetime.datetime):
        return valor.date()
    if isinstance(valor, datetime.date):
        return valor
    if isinstance(valor, str):
        texto = valor.strip()
        for patron, formato in _FECHA_TEXTO:
            if patron.match(texto):
                try:
                    return datetime.datetime.strptime(texto, formato).date()
                except ValueError:
                    return None
    return None


def _columnas(
    fila: Sequence[Any], siguiente: Sequence[Any], perfil: Perfil = CATALOGO
) -> _Columnas | None:
    """The column of each field when `fila` is the header row of `perfil`, else None."""
    compactos = [_compacto(v) for v in fila]
    indices: dict[str, int] = {}
    for i, compacto in enumerate(compactos):
        nombre = _columna_de(compacto)
        if nombre is not None and nombre not in indices:
            indices[nombre] = i
    if not perfil.requeridas <= indices.keys():
        return None
    filas = 1
    if PU_MN not in indices and PU_USD not in indices:
        # "PRECIO UNITARIO" over two cells, with M.N. and U.S.D. on the row below; the merged
        # cell's span ends where the next header (IMPORTE, say) starts.
        for i, compacto in enumerate(compactos):
            if compacto not in _GRUPO_PRECIO:
                continue
            fin = next((j for j in range(i + 1, len(compactos)) if compactos[j]), None)
            debajo = [_compacto(v) for v in siguiente]
            for j in range(i, fin if fin is not None else len(debajo)):
                nombre = _SUBENCABEZADOS.get(debajo[j]) if j < len(debajo) else None
                if nombre is not None and nombre not in indices:
                    indices[nombre] = j
            filas = 2
            break
    if perfil.precio_requerido and PU_MN not in indices and PU_USD not in indices:
        return None
    fechas: dict[int, datetime.date] = {}
    if perfil.fechas:
        for i, valor in enumerate(fila):
            dia = fecha_de_encabezado(valor)
            if dia is not None and i not in indices.values():
                fechas[i] = dia
    return _Columnas(indices, filas, fechas)


# --- reading ----------------------------------------------------------------------------------


def _filas(
    hoja: Any, plazo: paquete.Plazo | None = None, avance: Avance | None = None
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    # Producers of these workbooks often write a wrong <dimension>; read every row there is
    # (paquete.revisar has bounded how many and how wide), within the read's time.
    plazo = plazo or paquete.Plazo()
    hoja.reset_dimensions()
    for numero, fila in enumerate(hoja.iter_rows(values_only=True), start=1):
        if numero % 500 == 0:
            plazo.revisar()
        if avance is not None:
            avance.fila()
        yield numero, fila


def _cantidad(fila: Sequence[Any], columnas: _Columnas) -> tuple[Decimal | None, str | None]:
    """The row's reference quantity, or why it is not one."""
    return _decimal(_celda(fila, columnas, CANTIDAD), _("Reference quantity"), DECIMALES_CANTIDAD)


def _concepto_y_unidad(concepto: str, unidad: str) -> list[str]:
    """What is wrong with a price-book row's concept and unit."""
    errores = []
    if not concepto:
        errores.append(_("The concept (description) is missing."))
    if not unidad:
        errores.append(_("The unit is missing."))
    elif len(unidad) > MAX_UNIDAD:
        errores.append(_("The unit has more than %(n)d characters.") % {"n": MAX_UNIDAD})
    return errores


def _vacia(fila: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in fila)


def _partida(fila: Sequence[Any], columnas: _Columnas, errores: list[str]) -> str:
    """The row's key, normalised; as written (with the reason in `errores`) if it cannot be."""
    try:
        return normalizar_partida(_celda(fila, columnas, PARTIDA))
    except ValueError as exc:
        errores.append(str(exc))
        return _texto(_celda(fila, columnas, PARTIDA))


def _celda(fila: Sequence[Any], columnas: _Columnas, nombre: str) -> Any:
    i = columnas.indices.get(nombre)
    if i is None or i >= len(fila):
        return None
    valor = fila[i]
    if isinstance(valor, str) and not valor.strip():
        return None
    return valor


_TOTAL = re.compile(r"^(SUB ?TOTAL|TOTAL|SUMA|IMPORTE TOTAL)\b")
_EXTRAORDINARIO = re.compile(r"EXTRAORDINARI|\bPUE\b")


Numerada = tuple[int, tuple[Any, ...]]


@dataclass
class Encabezado:
    """Where a sheet's header row is, and what lies above it."""

    columnas: _Columnas | None
    fila: int | None  # the header's (first) row number
    siguiente: Numerada | None  # the first row after the header, already consumed
    titulos: list[str]
    contenido: bool  # False: nothing at all on the sheet


def sin_encabezado(perfil: Perfil) -> str:
    return _(
        "The header was not found: the columns %(columns)s were expected in the first "
        "%(rows)d rows."
    ) % {"columns": perfil.descripcion, "rows": FILAS_DE_TITULO}


def buscar_encabezado(filas: Iterator[Numerada], perfil: Perfil) -> Encabezado:
    """Consume title lines up to the header row of `perfil` (a row and the one below it are
    looked at together, for two-row price headers)."""
    titulos: list[str] = []
    anterior: Numerada | None = None
    contenido = False
    for numero, fila in filas:
        if anterior is not None:
            columnas = _columnas(anterior[1], fila, perfil)
            if columnas is not None:
                siguiente = (numero, fila) if columnas.filas_de_encabezado == 1 else None
                return Encabezado(columnas, anterior[0], siguiente, titulos, True)
            texto = " ".join(_texto(v) for v in anterior[1] if _texto(v))
            if texto:
                titulos.append(texto)
        contenido = contenido or not _vacia(fila)
        if numero > FILAS_DE_TITULO:
            contenido = contenido or any(not _vacia(resto) for _, resto in filas)
            break
        anterior = (numero, fila)
    else:
        # The header may be the sheet's last row (an anexo with no concepts yet).
        if anterior is not None and (columnas := _columnas(anterior[1], (), perfil)) is not None:
            return Encabezado(columnas, anterior[0], None, titulos, True)
    return Encabezado(None, None, None, titulos, contenido)


_FIN_DE_TABLA = re.compile(r"^(TOTAL|IMPORTE TOTAL)\b")
_RESUMEN = re.compile(r"\b(IMPORTE|TOTAL|MONTO)\b")


def _es_resumen(titulos: list[str]) -> bool:
    """A sheet with no concept header whose lines speak of amounts and no unit: anexo
    totals (the client's "Anexo C-CR"), not a price table with a mistyped header."""
    texto = sin_acentos(" ".join(titulos))
    return "UNIDAD" not in texto and "UNID" not in texto and bool(_RESUMEN.search(texto))


class _LectorHoja:
    def __init__(self, libro: Libro, nombre: str, vistas: dict[tuple[str, str, str], int]) -> None:
        self.libro = libro
        self.nombre = nombre
        self.hoja = Hoja(nombre, normalizar_anexo(nombre), [], extraordinaria=False)
        self.seccion = ""
        # (anexo, partida, concept's text) → row, shared by the sheets of one book: an anexo
        # may span sheets, and one partida may name several concepts.
        self.vistas = vistas
        self.lista_pue = False
        self.leidas = 0
        self.columnas_de_total: list[int] = []

    def error(self, fila: int | None, partida: str | None, *errores: str) -> None:
        self.libro.errores.append(ErrorFila(self.nombre, fila, partida or None, list(errores)))

    def encabezado(
        self, filas: Iterator[tuple[int, tuple[Any, ...]]]
    ) -> tuple[_Columnas | None, tuple[int, tuple[Any, ...]] | None]:
        """The header's columns and the first row after it that may hold data."""
        hallado = buscar_encabezado(filas, CATALOGO)
        self.hoja.titulos.extend(hallado.titulos)
        if hallado.columnas is None:
            if hallado.contenido and _es_resumen(hallado.titulos):
                self.libro.hojas_resumen.append(self.nombre)
            elif hallado.contenido:
                self.error(None, None, sin_encabezado(CATALOGO))
            else:
                self.libro.hojas_vacias.append(self.nombre)
        return hallado.columnas, hallado.siguiente

    def leer(self, filas: Iterable[tuple[int, tuple[Any, ...]]]) -> None:
        iterador = iter(filas)
        columnas, primera = self.encabezado(iterador)
        if columnas is None:
            return
        self.lista_pue = ID_LISTA in columnas.indices
        self.columnas_de_total = [
            columnas.indices[n] for n in (PARTIDA, CONCEPTO, ANEXO) if n in columnas.indices
        ]
        self.libro.lista_pue = self.libro.lista_pue or self.lista_pue
        self.hoja.extraordinaria = self.lista_pue or bool(
            _EXTRAORDINARIO.search(sin_acentos(" ".join([self.nombre, *self.hoja.titulos])))
        )
        self.libro.hojas.append(self.hoja)
        resto = iterador if primera is None else itertools.chain([primera], iterador)
        # Rows with neither unit nor price are sections when concepts follow them, and the
        # footer (amount in words, place and date, signatures) when none does.
        pendientes: list[Numerada] = []
        for numero, fila in resto:
            if numero > MAX_FILAS_POR_HOJA:
                self.error(
                    None,
                    None,
                    _("The sheet has more than %(n)d rows.") % {"n": MAX_FILAS_POR_HOJA},
                )
                return
            if _vacia(fila):
                continue
            if self.fin_de_tabla(fila, columnas):
                break
            if self.sin_unidad_ni_precio(fila, columnas):
                pendientes.append((numero, fila))
                continue
            for anterior in pendientes:
                self.fila(*anterior, columnas)
            pendientes.clear()
            self.fila(numero, fila, columnas)
        if not self.leidas and pendientes:
            # Rows under the header and not one concept: anexo totals, not a price table.
            self.libro.hojas.remove(self.hoja)
            self.libro.hojas_resumen.append(self.nombre)

    def fin_de_tabla(self, fila: tuple[Any, ...], columnas: _Columnas) -> bool:
        """The TOTAL row that closes the table (a subtotal does not)."""
        for i in self.columnas_de_total:
            valor = fila[i] if i < len(fila) else None
            # Only the start of the text counts (and TOTAL has no accents to fold).
            if isinstance(valor, str) and _FIN_DE_TABLA.match(valor.lstrip()[:20].upper()):
                return True
        return False

    def sin_unidad_ni_precio(self, fila: tuple[Any, ...], columnas: _Columnas) -> bool:
        i = columnas.indices.get(UNIDAD)
        unidad = fila[i] if i is not None and i < len(fila) else None
        if unidad is not None and (not isinstance(unidad, str) or unidad.strip()):
            return False
        for nombre in (PU_MN, PU_USD):
            valor, _motivo = _decimal(_celda(fila, columnas, nombre), "", DECIMALES_PRECIO)
            if valor is not None:
                return False
        return True

    def propuesta(
        self, numero: int, fila: tuple[Any, ...], columnas: _Columnas, concepto: str, unidad: str
    ) -> None:
        """A row of the PUE list with no key: a proposal drawn up for a PTE (and OT)."""
        self.leidas += 1
        errores: list[str] = []
        cantidad, error = _cantidad(fila, columnas)
        errores += [error] if error else []
        pte = _texto(_celda(fila, columnas, PTE))
        ot = _texto(_celda(fila, columnas, OT))
        errores += _concepto_y_unidad(concepto, unidad)
        if len(pte) > MAX_REFERENCIA or len(ot) > MAX_REFERENCIA:
            errores.append(_("PTE and OT have at most %(n)d characters.") % {"n": MAX_REFERENCIA})
        if errores:
            self.error(numero, None, *errores)
            return
        self.libro.propuestas.append(
            FilaPropuesta(self.nombre, numero, concepto, unidad, cantidad, pte, ot)
        )

    def fila(self, numero: int, fila: tuple[Any, ...], columnas: _Columnas) -> None:
        errores: list[str] = []
        partida = _partida(fila, columnas, errores)
        concepto = _texto(_celda(fila, columnas, CONCEPTO))
        unidad = normalizar_unidad(_celda(fila, columnas, UNIDAD))
        anexo_celda = normalizar_anexo(_celda(fila, columnas, ANEXO))
        if self.lista_pue and not partida and not anexo_celda and not errores:
            self.propuesta(numero, fila, columnas, concepto, unidad)
            return
        pu_mn, error_mn = _decimal(_celda(fila, columnas, PU_MN), "P.U. M.N.", DECIMALES_PRECIO)
        pu_usd, error_usd = _decimal(_celda(fila, columnas, PU_USD), "P.U. USD", DECIMALES_PRECIO)
        cantidad, error_cantidad = _cantidad(fila, columnas)
        sin_precio = pu_mn is None and pu_usd is None and not error_mn and not error_usd
        if not unidad and sin_precio and not errores:
            if not concepto and not partida:
                return  # only amounts (importes) or stray marks: nothing to read
            if concepto and not partida and _TOTAL.match(sin_acentos(concepto)):
                return  # a totals line
            if concepto:
                self.seccion = f"{partida} {concepto}" if partida else concepto
                return
        self.leidas += 1
        errores += [e for e in (error_mn, error_usd, error_cantidad) if e]
        if not partida:
            errores.append(_("The item (key) is missing."))
        errores += _concepto_y_unidad(concepto, unidad)
        if sin_precio:
            errores.append(_("The price is missing: P.U. M.N. and P.U. USD are empty."))
        if self.lista_pue and not anexo_celda:
            errores.append(_("The anexo is missing: a PUE with a key carries anexo and item."))
        anexo = anexo_celda or self.hoja.anexo
        if len(anexo) > MAX_ANEXO:
            errores.append(
                _("The anexo «%(anexo)s» has more than %(n)d characters.")
                % {"anexo": anexo, "n": MAX_ANEXO}
            )
        pte = _texto(_celda(fila, columnas, PTE))
        ot = _texto(_celda(fila, columnas, OT))
        extraordinario = self.hoja.extraordinaria
        if (pte or ot) and not extraordinario:
            errores.append(
                _("Only extraordinary concepts (PUE) carry the PTE or OT they come from.")
            )
        if len(pte) > MAX_REFERENCIA or len(ot) > MAX_REFERENCIA:
            errores.append(_("PTE and OT have at most %(n)d characters.") % {"n": MAX_REFERENCIA})
        if partida:
            clave = (anexo, partida, clave_concepto(concepto))
            repetida = self.vistas.get(clave)
            if repetida is not None:
                errores.append(
                    _("Item %(item)s of anexo %(anexo)s repeats row %(row)s (the same concept).")
                    % {"item": partida, "anexo": anexo, "row": repetida}
                )
            else:
                self.vistas[clave] = numero
        if errores:
            self.error(numero, partida, *errores)
            return
        self.libro.conceptos.append(
            FilaConcepto(
                hoja=self.nombre,
                fila=numero,
                anexo=anexo,
                partida=partida,
                concepto=concepto,
                unidad=unidad,
                pu_mn=pu_mn or Decimal("0.00"),
                pu_usd=pu_usd or Decimal("0.00"),
                cantidad_referencia=cantidad,
                seccion=self.seccion,
                extraordinario=extraordinario,
                pte=pte,
                ot=ot,
            )
        )


def _revisar_zip(archivo: IO[bytes]) -> None:
    try:
        paquete.revisar(archivo)
    except paquete.NoEsZip as exc:
        raise LibroIlegible(str(exc)) from exc
    except paquete.PaqueteInvalido as exc:
        raise LibroExcesivo(str(exc)) from exc


@functools.cache
def errores_de_lectura() -> tuple[type[BaseException], ...]:
    """What openpyxl raises on files that are zips but not workbooks, or broken ones."""
    from openpyxl.utils.exceptions import InvalidFileException

    return (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ParseError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        EOFError,
        OSError,
    )


@contextlib.contextmanager
def _abrir(archivo: IO[bytes]) -> Iterator[Any]:
    """The workbook in `archivo`, read-only; every way a file can fail to be one is a
    `LibroIlegible`, whether it shows on opening or while the sheets are read."""
    cabecera = archivo.read(8)
    archivo.seek(0)
    if cabecera.startswith(b"\xd0\xcf\x11\xe0"):
        raise LibroIlegible(
            _("The file is an old .xls workbook; save it as .xlsx and send it again.")
        )
    _revisar_zip(archivo)
    # openpyxl (some 15 MiB) is loaded by the first workbook read, not by every worker.
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(archivo, read_only=True, data_only=True)
    except errores_de_lectura() as exc:
        raise LibroIlegible(
            _("The file is not a readable .xlsx workbook (%(cause)s).") % {"cause": _causa(exc)}
        ) from exc
    try:
        yield workbook
    except paquete.PaqueteInvalido as exc:
        raise LibroExcesivo(str(exc)) from exc
    except errores_de_lectura() as exc:
        raise LibroIlegible(
            _("The file is not a readable .xlsx workbook (%(cause)s).") % {"cause": _causa(exc)}
        ) from exc
    finally:
        workbook.close()


def abrir_libro(archivo: IO[bytes]) -> contextlib.AbstractContextManager[Any]:
    """The workbook in `archivo`, read-only, with the checks every import makes (an old .xls,
    not a zip, a zip bomb): each way of failing is a `LibroIlegible`."""
    return _abrir(archivo)


def filas_de(hoja: Any, avance: Avance | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Every row of a read-only sheet with its number, whatever its <dimension> says; each
    counted on `avance` when given."""
    return _filas(hoja, avance=avance)


def leer_libro(archivo: IO[bytes], avance: Avance | None = None) -> Libro:
    """Read every sheet of the workbook in `archivo` (a binary, seekable file), each row
    counted on `avance` when given (an import run as a task).

    Raises `LibroIlegible` when the file is not a readable .xlsx workbook; rows and sheets
    that cannot be read are in the result's `errores`, each with its sheet and row number.
    """
    libro = Libro()
    vistas: dict[tuple[str, str, str], int] = {}
    plazo = paquete.Plazo()
    with _abrir(archivo) as workbook:
        for hoja in workbook.worksheets:
            _LectorHoja(libro, hoja.title, vistas).leer(_filas(hoja, plazo, avance))
    return libro


# --- an OT's anexo (programmed volumes) -------------------------------------------------------


@dataclass(frozen=True)
class FilaAnexo:
    """One line of an OT's anexo as read: the concept it names and its volumes."""

    fila: int
    anexo: str
    partida: str
    concepto: str
    unidad: str
    volumen: Decimal
    pu_mn: Decimal | None
    pu_usd: Decimal | None
    programa: dict[datetime.date, Decimal]


@dataclass
class LibroAnexo:
    """The first sheet of an OT's anexo workbook: its lines and the rows it could not read.
    `encabezado` is the header's row number (None when there is none)."""

    filas: list[FilaAnexo] = field(default_factory=list)
    errores: list[ErrorFila] = field(default_factory=list)
    encabezado: int | None = None
    hoja: str = ""


def leer_anexo(archivo: IO[bytes], avance: Avance | None = None) -> LibroAnexo:
    """Read an OT's anexo from the first sheet of the workbook in `archivo`, each row counted
    on `avance` when given (an import run as a task).

    The header (below any title lines) names ANEXO, PARTIDA, CONCEPTO, UNIDAD and VOLUMEN
    PTE, optionally the unit prices and one column per programmed day. Section and total
    lines are skipped. Raises `LibroIlegible` when the file is not a readable workbook.
    """
    resultado = LibroAnexo()
    with _abrir(archivo) as workbook:
        if not workbook.worksheets:
            resultado.errores.append(ErrorFila("", None, None, [_("The workbook has no sheets.")]))
            return resultado
        hoja = workbook.worksheets[0]
        resultado.hoja = hoja.title
        filas = _filas(hoja, avance=avance)
        hallado = buscar_encabezado(filas, ANEXO_OT)
        if hallado.columnas is None:
            motivo = sin_encabezado(ANEXO_OT) if hallado.contenido else _("The sheet is empty.")
            resultado.errores.append(ErrorFila(hoja.title, None, None, [motivo]))
            return resultado
        resultado.encabezado = hallado.fila
        resto = filas if hallado.siguiente is None else itertools.chain([hallado.siguiente], filas)
        vistas: dict[tuple[str, str, str], int] = {}
        for numero, fila in resto:
            if numero > MAX_FILAS_POR_HOJA:
                resultado.errores.append(
                    ErrorFila(
                        hoja.title,
                        None,
                        None,
                        [_("More than %(n)d rows.") % {"n": MAX_FILAS_POR_HOJA}],
                    )
                )
                break
            if not _vacia(fila):
                _fila_anexo(resultado, hoja.title, numero, fila, hallado.columnas, vistas)
    if not resultado.filas and not resultado.errores:
        resultado.errores.append(
            ErrorFila(resultado.hoja, None, None, [_("The anexo has no items.")])
        )
    return resultado


def _fila_anexo(
    resultado: LibroAnexo,
    hoja: str,
    numero: int,
    fila: tuple[Any, ...],
    columnas: _Columnas,
    vistas: dict[tuple[str, str, str], int],
) -> None:
    errores: list[str] = []
    partida = _partida(fila, columnas, errores)
    concepto = _texto(_celda(fila, columnas, CONCEPTO))
    unidad = normalizar_unidad(_celda(fila, columnas, UNIDAD))
    anexo = normalizar_anexo(_celda(fila, columnas, ANEXO))
    crudo = _celda(fila, columnas, VOLUMEN)
    if not partida and not unidad and crudo is None and not errores:
        return  # a section line, or only amounts
    if not partida and not errores and _TOTAL.match(sin_acentos(concepto)):
        return  # a totals line
    volumen, error = _decimal(crudo, "VOLUMEN PTE", DECIMALES_CANTIDAD)
    errores += [error] if error else []
    pu_mn, error = _decimal(_celda(fila, columnas, PU_MN), "P.U. M.N.", DECIMALES_PRECIO)
    errores += [error] if error else []
    pu_usd, error = _decimal(_celda(fila, columnas, PU_USD), "P.U. USD", DECIMALES_PRECIO)
    errores += [error] if error else []
    programa: dict[datetime.date, Decimal] = {}
    for indice, dia in columnas.fechas.items():
        valor = fila[indice] if indice < len(fila) else None
        cantidad, error = _decimal(
            valor, _("Volume of %(date)s") % {"date": f"{dia:%d/%m/%Y}"}, DECIMALES_CANTIDAD
        )
        if error:
            errores.append(error)
        elif cantidad:
            programa[dia] = cantidad
    if not anexo:
        errores.append(_("The anexo is missing."))
    if not partida:
        errores.append(_("The item (key) is missing."))
    if not concepto:
        errores.append(_("The concept (description) is missing."))
    if not unidad:
        errores.append(_("The unit is missing."))
    if volumen is None and not any("VOLUMEN" in e for e in errores):
        errores.append(_("VOLUMEN PTE is missing."))
    if anexo and partida:
        clave = (anexo, partida, clave_concepto(concepto))
        repetida = vistas.get(clave)
        if repetida is not None:
            errores.append(
                _("Item %(item)s of anexo %(anexo)s repeats row %(row)s.")
                % {"item": partida, "anexo": anexo, "row": repetida}
            )
        else:
            vistas[clave] = numero
    if errores or volumen is None:
        resultado.errores.append(ErrorFila(hoja, numero, partida or None, errores))
        return
    resultado.filas.append(
        FilaAnexo(numero, anexo, partida, concepto, unidad, volumen, pu_mn, pu_usd, programa)
    )


def mismo_concepto(uno: str, otro: str) -> bool:
    """Descriptions compared as people retype them: accents, case, spacing and a final dot
    do not count."""

    def clave(texto: str) -> str:
        return " ".join(sin_acentos(texto).split()).rstrip(". ")

    return clave(uno) == clave(otro)


def _causa(exc: BaseException) -> str:
    return type(exc).__name__
