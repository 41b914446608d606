"""Reading the client's register of OTs (one sheet, one OT per row, the old system's
columns) into plain rows. No Django, no database: what each row says, its errors (the row
cannot be taken) and its warnings (a date that does not parse: imported empty).

Columns, by their header (case and spacing do not count): `orden_trabajo`,
`descripcion_trabajo`, `responsable_cliente`, `oficio_ot`, the four dates
(`fecha_inicio_programado`, `fecha_termino_programado`, `fecha_inicio_real`,
`fecha_termino_real`), `comentario`, `id_estatus_ot_id` (the OT status code),
`id_pte_header_id` (the PTE's oficio), `id_tipo_id` (4 initial, 5 re-programming),
`num_reprogramacion`, `ot_principal` (the principal's orden de trabajo), `monto_mxn`,
`monto_usd`, `plazo_dias`, and the old system's catalog ids `id_frente`, `id_intercom`,
`id_patio`, `id_plataforma`, `id_embarcacion`, `id_responsable_proyecto_id`,
`id_cliente_id`. Others (`id`, `estatus`) are not read.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext

from sascop.precios.avance import Avance
from sascop.precios.libro import (
    FILAS_DE_TITULO,
    MAX_FILAS_POR_HOJA,
    abrir_libro,
    filas_de,
    numero_de_celda,
)

TIPO_INICIAL = 4
TIPO_REPROGRAMACION = 5
FECHAS = (
    "fecha_inicio_programado",
    "fecha_termino_programado",
    "fecha_inicio_real",
    "fecha_termino_real",
)
# Old catalog ids: column → the catalog it points into.
CATALOGOS = {
    "id_frente": "frente",
    "id_embarcacion": "embarcacion",
    "id_plataforma": "plataforma",
    "id_intercom": "intercom",
    "id_patio": "patio",
    "id_responsable_proyecto_id": "responsable_proyecto",
    "id_cliente_id": "cliente",
}
TEXTOS = {
    "orden_trabajo": 60,
    "oficio_ot": 60,
    "responsable_cliente": 150,
    "ot_principal": 60,
    "id_pte_header_id": 60,
}
REQUERIDAS = ("orden_trabajo", "id_estatus_ot_id")


@dataclass
class FilaOT:
    """One row as read. `errores`: why it cannot be imported; `advertencias`: what was
    left empty, as (column, message)."""

    fila: int
    orden_trabajo: str = ""
    datos: dict[str, Any] = field(default_factory=dict)
    catalogos: dict[str, int | None] = field(default_factory=dict)
    tipo: int = TIPO_INICIAL
    num_reprogramacion: int = 0
    ot_principal: str = ""
    pte: str = ""
    errores: list[str] = field(default_factory=list)
    advertencias: list[tuple[str, str]] = field(default_factory=list)

    @property
    def clave(self) -> tuple[str, int]:
        return (self.orden_trabajo, self.num_reprogramacion)


@dataclass
class Registro:
    filas: list[FilaOT] = field(default_factory=list)
    # What is wrong with the sheet as a whole (no header, no rows).
    errores: list[str] = field(default_factory=list)
    encabezado: int | None = None
    hoja: str = ""


def _nombre(valor: Any) -> str:
    return re.sub(r"\s+", "_", str(valor).strip().lower()) if valor is not None else ""


def _texto(valor: Any) -> str:
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    if isinstance(valor, datetime.datetime | datetime.date):
        return valor.strftime("%d/%m/%Y")
    return " ".join(str(valor).split())


_FORMATOS = (
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%d/%m/%Y"),
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), "%d-%m-%Y"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$"), None),
)


def fecha(valor: Any) -> tuple[datetime.date | None, bool]:
    """(the date, True) when the cell is one (a datetime, or text as dd/mm/aaaa or
    aaaa-mm-dd); (None, True) when empty; (None, False) when it cannot be read as a date
    without guessing (`13/112023`, `15/04/204`, a bare number)."""
    if valor is None:
        return None, True
    if isinstance(valor, datetime.datetime):
        return valor.date(), True
    if isinstance(valor, datetime.date):
        return valor, True
    if not isinstance(valor, str):
        return None, False
    texto = valor.strip()
    if not texto:
        return None, True
    for patron, formato in _FORMATOS:
        if patron.match(texto):
            try:
                if formato is None:
                    return datetime.date.fromisoformat(texto[:10]), True
                return datetime.datetime.strptime(texto, formato).date(), True
            except ValueError:
                return None, False
    return None, False


def _entero(valor: Any) -> int | str | None:
    """An integer cell (3, 3.0, "3"); None when empty; the text when it is not one."""
    if valor is None or (isinstance(valor, str) and not valor.strip()):
        return None
    if isinstance(valor, bool):
        return str(valor)
    if isinstance(valor, int):
        return valor
    if isinstance(valor, float) and valor.is_integer():
        return int(valor)
    if isinstance(valor, str) and re.fullmatch(r"\s*\d+(\.0+)?\s*", valor):
        return int(float(valor))
    return _texto(valor)


def _fila(numero: int, valores: dict[str, Any], codigos: set[int]) -> FilaOT:
    fila = FilaOT(numero)
    errores = fila.errores
    textos = {}
    for nombre, largo in TEXTOS.items():
        texto = _texto(valores.get(nombre))
        if len(texto) > largo:
            errores.append(
                gettext("%(column)s has more than %(n)d characters.")
                % {"column": nombre, "n": largo}
            )
        textos[nombre] = texto
    fila.orden_trabajo = textos["orden_trabajo"]
    if not fila.orden_trabajo:
        errores.append(gettext("orden_trabajo is missing."))
    descripcion = _texto(valores.get("descripcion_trabajo"))
    if not descripcion:
        errores.append(gettext("descripcion_trabajo is missing."))
    estatus = _entero(valores.get("id_estatus_ot_id"))
    if estatus is None:
        errores.append(gettext("id_estatus_ot_id (the OT's status) is missing."))
    elif not isinstance(estatus, int) or estatus not in codigos:
        errores.append(
            gettext("id_estatus_ot_id «%(value)s» is not an OT status.") % {"value": estatus}
        )
    tipo = _entero(valores.get("id_tipo_id"))
    num = _entero(valores.get("num_reprogramacion"))
    if isinstance(num, str) or (isinstance(num, int) and num < 0):
        errores.append(
            gettext("num_reprogramacion «%(value)s» is not a re-programming number.")
            % {"value": num}
        )
        num = None
    if tipo is None:
        tipo = TIPO_REPROGRAMACION if num else TIPO_INICIAL
    if tipo == TIPO_REPROGRAMACION:
        if not num:
            errores.append(
                gettext("A re-programming (id_tipo_id 5) carries num_reprogramacion 1, 2…")
            )
        fila.ot_principal = textos["ot_principal"] or fila.orden_trabajo
    elif tipo == TIPO_INICIAL:
        if num:
            errores.append(
                gettext("An initial OT (id_tipo_id 4) carries no num_reprogramacion (%(n)s).")
                % {"n": num}
            )
            num = 0
    else:
        errores.append(
            gettext("id_tipo_id «%(value)s» is neither 4 (initial) nor 5 (re-programming).")
            % {"value": tipo}
        )
    fila.tipo = tipo if isinstance(tipo, int) else TIPO_INICIAL
    fila.num_reprogramacion = num if isinstance(num, int) else 0
    fila.pte = textos["id_pte_header_id"]
    datos: dict[str, Any] = {
        "descripcion_trabajo": descripcion,
        "oficio_ot": textos["oficio_ot"],
        "responsable_cliente": textos["responsable_cliente"],
        "comentario": _texto(valores.get("comentario")),
        "estatus": estatus if isinstance(estatus, int) else None,
    }
    for nombre in FECHAS:
        dia, legible = fecha(valores.get(nombre))
        if not legible:
            fila.advertencias.append(
                (
                    nombre,
                    gettext(
                        "Row %(row)s, column %(column)s: «%(value)s» is not a dd/mm/aaaa date; "
                        "the OT was imported without that date."
                    )
                    % {"row": numero, "column": nombre, "value": _texto(valores.get(nombre))},
                )
            )
        datos[nombre] = dia
    for nombre in ("monto_mxn", "monto_usd"):
        monto, error = numero_de_celda(valores.get(nombre), nombre, 2)
        if error:
            errores.append(
                gettext(
                    "%(column)s «%(value)s» is not an amount: a number, not negative, with at "
                    "most 2 decimals."
                )
                % {"column": nombre, "value": _texto(valores.get(nombre))}
            )
        datos[nombre] = monto if monto is not None else Decimal("0.00")
    plazo = _entero(valores.get("plazo_dias"))
    if isinstance(plazo, str):
        errores.append(
            gettext("plazo_dias «%(value)s» is not a number of days.") % {"value": plazo}
        )
        plazo = None
    datos["plazo_dias"] = plazo or None
    for columna, catalogo in CATALOGOS.items():
        clave = _entero(valores.get(columna))
        if isinstance(clave, str):
            errores.append(
                gettext("%(column)s «%(value)s» is not a key of the former system.")
                % {"column": columna, "value": clave}
            )
            clave = None
        fila.catalogos[catalogo] = clave
    for columna in ("id_responsable_proyecto_id", "id_cliente_id"):
        if fila.catalogos[CATALOGOS[columna]] is None and not any(columna in e for e in errores):
            errores.append(gettext("%(column)s is missing.") % {"column": columna})
    fila.datos = datos
    return fila


def leer_registro(archivo: IO[bytes], codigos: set[int], avance: Avance | None = None) -> Registro:
    """Read the register in the first sheet of the workbook in `archivo`; `codigos` are the
    OT status codes there are; each row counted on `avance` when given (an import run as a
    task). Raises `libro.LibroIlegible` when the file is not a workbook."""
    registro = Registro()
    with abrir_libro(archivo) as workbook:
        if not workbook.worksheets:
            registro.errores.append(gettext("The workbook has no sheets."))
            return registro
        hoja = workbook.worksheets[0]
        registro.hoja = hoja.title
        columnas: list[str] | None = None
        for numero, fila in filas_de(hoja, avance):
            if columnas is None:
                nombres = [_nombre(v) for v in fila]
                if "orden_trabajo" in nombres:
                    columnas = nombres
                    registro.encabezado = numero
                elif numero > FILAS_DE_TITULO:
                    break
                continue
            if numero > MAX_FILAS_POR_HOJA:
                registro.errores.append(
                    gettext("The sheet has more than %(n)d rows.") % {"n": MAX_FILAS_POR_HOJA}
                )
                break
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in fila):
                continue
            valores = {n: v for n, v in zip(columnas, fila, strict=False) if n}
            registro.filas.append(_fila(numero, valores, codigos))
        if columnas is None:
            registro.errores.append(
                gettext(
                    "The header was not found: a row with the columns orden_trabajo, "
                    "descripcion_trabajo, id_estatus_ot_id…"
                )
            )
        elif faltan := [c for c in REQUERIDAS if c not in columnas]:
            registro.errores.append(
                gettext("Columns missing: %(columns)s.") % {"columns": ", ".join(faltan)}
            )
            registro.filas = []
        elif not registro.filas:
            registro.errores.append(gettext("The register has no OTs."))
    return registro
