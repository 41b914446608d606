"""Production captured in the browser: one day's volumes for an OT's lines, or rows pasted
from an Excel sheet. No HTTP here: the pages hand over what was typed and show the answer.

Both ways end in `services.produccion_crear_lote`, all-or-nothing. `revisar` runs the same
checks (the service's included, duplicates against stored rows too) and saves nothing, so
the preview marks every bad row with its reason before anything is stored.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy, ngettext

from sascop.accounts.models import User
from sascop.catalogos.models import Sitio
from sascop.core.errors import ApplicationError
from sascop.ots.models import OT
from sascop.precios.libro import clave_concepto, normalizar_anexo, normalizar_partida, sin_acentos
from sascop.precios.models import PartidaAnexoOT
from sascop.produccion import services
from sascop.produccion.models import Produccion

MAX_FILAS = services.MAX_FILAS

# The columns of a paste without a header row, in this order.
COLUMNAS = (
    "fecha",
    "anexo",
    "partida",
    "volumen",
    "tipo_tiempo",
    "sitio",
    "comentario",
    "concepto",
)
TITULOS = {
    "fecha": gettext_lazy("Date"),
    "anexo": gettext_lazy("Anexo"),
    "partida": gettext_lazy("Partida"),
    "volumen": gettext_lazy("Volume"),
    "tipo_tiempo": gettext_lazy("Kind of time"),
    "sitio": gettext_lazy("Site"),
    "comentario": gettext_lazy("Comment"),
    "concepto": gettext_lazy("Concept"),
}
# Header cells a sheet may use for each column, compared without accents, case or spaces.
_ENCABEZADOS = {
    "FECHA": "fecha",
    "FECHADEPRODUCCION": "fecha",
    "DIA": "fecha",
    "ANEXO": "anexo",
    "PARTIDA": "partida",
    "PART": "partida",
    "CLAVE": "partida",
    "VOLUMEN": "volumen",
    "VOL": "volumen",
    "CANTIDAD": "volumen",
    "CANT": "volumen",
    "VOLUMENEJECUTADO": "volumen",
    "TIPO": "tipo_tiempo",
    "TIPODETIEMPO": "tipo_tiempo",
    "TIPOTIEMPO": "tipo_tiempo",
    "SITIO": "sitio",
    "COMENTARIO": "comentario",
    "COMENTARIOS": "comentario",
    "OBSERVACIONES": "comentario",
    "CONCEPTO": "concepto",
    "DESCRIPCION": "concepto",
    "DESCRIPCIONDELCONCEPTO": "concepto",
}
_TIPOS = {
    "TE": Produccion.TipoTiempo.TE,
    "TIEMPOEFECTIVO": Produccion.TipoTiempo.TE,
    "CMA": Produccion.TipoTiempo.CMA,
    "COSTOMINIMOAPLICADO": Produccion.TipoTiempo.CMA,
}
_FECHA_DMA = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_MILES = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def _compacto(texto: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", sin_acentos(texto).upper())


@dataclass(frozen=True)
class Linea:
    """Something an OT's production can be recorded against, with what the service takes."""

    anexo: str
    partida: str
    concepto: str
    unidad: str
    campos: dict[str, Any]

    @property
    def clave(self) -> str:
        """How people name the line: "C-5 2.1" (the seven trades of C-4 4.7 share it: their
        concept text tells them apart)."""
        return f"{self.anexo} {self.partida}".strip()

    @property
    def id(self) -> str:
        """What identifies the line in a form: its anexo line's id."""
        return str(self.campos["partida_anexo"].pk)


@dataclass
class Fila:
    """One row of a capture as it was typed, what it means, and what is wrong with it."""

    numero: int
    celdas: dict[str, str]
    datos: dict[str, Any] | None = None
    linea: Linea | None = None
    errores: list[str] = field(default_factory=list)


@dataclass
class Revision:
    filas: list[Fila]
    errores: list[str] = field(default_factory=list)
    guardadas: int = 0

    @property
    def con_errores(self) -> int:
        return sum(1 for fila in self.filas if fila.errores)

    @property
    def valida(self) -> bool:
        return bool(self.filas) and not self.errores and not self.con_errores


def lineas_de(ot: OT) -> list[Linea]:
    """What production of `ot` may be recorded against: the lines of its active anexo, in
    the anexo's order."""
    lineas = (
        PartidaAnexoOT.objects.filter(anexo_ot__ot=ot, anexo_ot__activo=True)
        .select_related("concepto__anexo")
        .order_by("orden", "pk")
    )
    return [
        Linea(
            anexo=linea.concepto.anexo.clave,
            partida=linea.concepto.partida,
            concepto=linea.concepto.concepto,
            unidad=linea.concepto.unidad,
            campos={"partida_anexo": linea},
        )
        for linea in lineas
    ]


class _Contexto:
    """What the rows of one capture are read against: the OT's lines and the sites."""

    def __init__(self, ot: OT) -> None:
        self.ot = ot
        self.lineas = lineas_de(ot)
        self.por_partida: dict[str, list[Linea]] = {}
        for linea in self.lineas:
            self.por_partida.setdefault(linea.partida, []).append(linea)
        self.sitios: dict[str, list[Sitio]] = {}
        for sitio in Sitio.objects.filter(activo=True).select_related("frente").order_by("pk"):
            self.sitios.setdefault(_compacto(sitio.descripcion), []).append(sitio)

    def linea(self, anexo: str, partida: str, concepto: str, errores: list[str]) -> Linea | None:
        try:
            clave = normalizar_partida(partida)
        except ValueError:
            errores.append(
                gettext("«%(partida)s…» is not a partida key.") % {"partida": partida.strip()[:40]}
            )
            return None
        if not clave:
            errores.append(gettext("The partida is missing."))
            return None
        candidatas = self.por_partida.get(clave, [])
        if anexo.strip():
            candidatas = [c for c in candidatas if c.anexo == normalizar_anexo(anexo)]
        if len({c.anexo for c in candidatas}) == 1 and len(candidatas) > 1:
            return self._por_concepto(candidatas, concepto, errores)
        if len(candidatas) == 1:
            return candidatas[0]
        if not candidatas:
            if anexo.strip():
                mensaje = gettext(
                    "The partida %(partida)s of the anexo %(anexo)s is not among this OT's."
                ) % {"partida": partida.strip(), "anexo": anexo.strip()}
            else:
                mensaje = gettext("The partida %(partida)s is not among this OT's.") % {
                    "partida": partida.strip()
                }
            errores.append(mensaje)
        else:
            anexos = ", ".join(c.anexo for c in candidatas)
            errores.append(
                gettext("The partida %(partida)s is in several anexos (%(anexos)s): say which.")
                % {"partida": clave, "anexos": anexos}
            )
        return None

    @staticmethod
    def _por_concepto(candidatas: list[Linea], concepto: str, errores: list[str]) -> Linea | None:
        """One of the concepts sharing a partida in one anexo (C-4 4.7's trades), by its
        text: spaces, case and accents do not count."""
        nombres = ", ".join(c.concepto for c in candidatas)
        if not concepto.strip():
            errores.append(
                gettext(
                    "The partida %(partida)s has several concepts in this OT (%(conceptos)s): "
                    "write which one in the Concept column."
                )
                % {"partida": candidatas[0].clave, "conceptos": nombres}
            )
            return None
        buscado = sin_acentos(clave_concepto(concepto))
        for candidata in candidatas:
            if sin_acentos(clave_concepto(candidata.concepto)) == buscado:
                return candidata
        errores.append(
            gettext(
                "«%(concepto)s» is not one of the concepts of the partida %(partida)s in this OT "
                "(%(conceptos)s)."
            )
            % {
                "concepto": concepto.strip()[:80],
                "partida": candidatas[0].clave,
                "conceptos": nombres,
            }
        )
        return None

    def sitio(self, texto: str, errores: list[str]) -> Sitio | None:
        if not texto.strip():
            return None  # the OT's own (the service says so if it has none)
        sitios = self.sitios.get(_compacto(texto), [])
        if len(sitios) > 1:  # the same name on several fronts: the OT's own front decides
            sitios = [s for s in sitios if s.frente_id == self.ot.frente_id] or sitios
        if len(sitios) == 1:
            return sitios[0]
        if sitios:
            errores.append(
                gettext("There are several sites «%(sitio)s»; capture that row by day.")
                % {"sitio": texto.strip()}
            )
        else:
            errores.append(
                gettext("There is no active site called «%(sitio)s».") % {"sitio": texto.strip()}
            )
        return None


def leer_fecha(texto: str) -> datetime.date | None:
    """A date as Excel shows it in Mexico (dd/mm/aaaa, dd/mm/aa) or ISO (aaaa-mm-dd)."""
    texto = texto.strip()
    try:
        if match := _FECHA_DMA.match(texto):
            dia, mes, anio = (int(g) for g in match.groups())
            return datetime.date(anio + 2000 if anio < 100 else anio, mes, dia)
        return datetime.date.fromisoformat(texto[:10]) if len(texto) >= 10 else None
    except ValueError:
        return None


def leer_volumen(texto: str) -> Decimal | None:
    """A positive quantity as Excel shows it in Mexico: `1,234.5`, `1234.5`, `12`."""
    texto = texto.strip().replace(" ", "")
    if _MILES.match(texto):
        texto = texto.replace(",", "")
    elif texto.count(",") == 1 and "." not in texto:
        texto = texto.replace(",", ".")  # a decimal comma, as some sheets are set up
    try:
        valor = Decimal(texto)
    except InvalidOperation:
        return None
    return valor if valor.is_finite() else None


def _encabezado(celdas: list[str]) -> list[str] | None:
    """The columns named by a header row, or None when the row is data."""
    nombres = [_ENCABEZADOS.get(_compacto(c)) for c in celdas]
    if "fecha" not in nombres or "partida" not in nombres or "volumen" not in nombres:
        return None
    return [n or "" for n in nombres]


def _celdas(linea: str) -> list[str]:
    return linea.split("\t") if "\t" in linea else linea.split(";")


def leer_pegado(texto: str) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The rows of text pasted from a sheet (tab-separated; `;` also accepted), each with
    its line number and its cells by column. A first row naming the columns sets their
    order; without one they are read in `COLUMNAS` order."""
    lineas = [(n, linea) for n, linea in enumerate(texto.splitlines(), start=1) if linea.strip()]
    if not lineas:
        return [], [gettext("Paste at least one row.")]
    columnas = list(COLUMNAS)
    if (nombres := _encabezado(_celdas(lineas[0][1]))) is not None:
        columnas = nombres
        lineas = lineas[1:]
    if len(lineas) > MAX_FILAS:
        return [], [
            ngettext(
                "At most %(n)s row can be captured at a time.",
                "At most %(n)s rows can be captured at a time.",
                MAX_FILAS,
            )
            % {"n": f"{MAX_FILAS:,}"}
        ]
    filas = []
    for numero, linea in lineas:
        celdas = [c.strip() for c in _celdas(linea)]
        valores = {nombre: "" for nombre in COLUMNAS}
        for nombre, celda in zip(columnas, celdas, strict=False):
            if nombre:
                valores[nombre] = celda
        filas.append((numero, valores))
    return filas, []


def _fila(
    contexto: _Contexto, numero: int, celdas: dict[str, str], sitio_fijo: Sitio | None
) -> Fila:
    fila = Fila(numero=numero, celdas=celdas)
    errores = fila.errores
    fecha = leer_fecha(celdas["fecha"])
    if fecha is None:
        errores.append(
            gettext("«%(texto)s» is not a date (dd/mm/aaaa).") % {"texto": celdas["fecha"]}
            if celdas["fecha"]
            else gettext("The date is missing.")
        )
    volumen = leer_volumen(celdas["volumen"]) if celdas["volumen"] else None
    if volumen is None:
        errores.append(
            gettext("«%(texto)s» is not a volume.") % {"texto": celdas["volumen"]}
            if celdas["volumen"]
            else gettext("The volume is missing.")
        )
    elif volumen <= 0:
        errores.append(gettext("The volume must be greater than zero."))
    tipo = _TIPOS.get(_compacto(celdas["tipo_tiempo"]) or "TE")
    if tipo is None:
        errores.append(
            gettext("«%(texto)s» is not a kind of time (TE or CMA).")
            % {"texto": celdas["tipo_tiempo"]}
        )
    fila.linea = contexto.linea(
        celdas["anexo"], celdas["partida"], celdas.get("concepto", ""), errores
    )
    sitio = sitio_fijo or contexto.sitio(celdas["sitio"], errores)
    if not errores and fila.linea is not None:
        fila.datos = {
            "ot": contexto.ot,
            **fila.linea.campos,
            "fecha_produccion": fecha,
            "volumen_produccion": volumen,
            "tipo_tiempo": tipo,
            "sitio": sitio,
            "comentario": celdas["comentario"],
        }
    return fila


def _numero_de(campo: str) -> int | None:
    """`filas[3].volumen_produccion` → 3."""
    match = re.match(r"^filas\[(\d+)\]", campo)
    return int(match.group(1)) if match else None


def _repartir(error: ApplicationError, validas: list[Fila], revision: Revision) -> None:
    """A service's refusal of the batch, put on the rows it names (the rest above them)."""
    sueltos: list[str] = []
    for campo, mensajes in (error.fields or {}).items():
        indice = _numero_de(campo)
        if indice is not None and indice < len(validas):
            validas[indice].errores.extend(str(m) for m in mensajes)
        else:
            sueltos.extend(str(m) for m in mensajes)
    repetidas = error.extra.get("filas") or []
    for indice in repetidas:
        if isinstance(indice, int) and indice < len(validas):
            validas[indice].errores.append(
                gettext(
                    "There is already production of that partida, date, kind of time and site "
                    "(or it repeats in what was pasted)."
                )
            )
    if not error.fields and not repetidas:
        sueltos.append(str(error.detail))
    revision.errores.extend(sueltos)


def _revisar(
    ot: OT, filas: list[tuple[int, dict[str, str]]], sitio: Sitio | None = None
) -> Revision:
    contexto = _Contexto(ot)
    return Revision(filas=[_fila(contexto, numero, celdas, sitio) for numero, celdas in filas])


def _guardar(usuario: User, revision: Revision, *, simular: bool) -> Revision:
    """Hand the rows to the service. Simulating, everything it wrote is rolled back."""
    if not revision.filas or revision.errores or revision.con_errores:
        return revision
    validas = [f for f in revision.filas if f.datos is not None]
    with transaction.atomic():
        try:
            creadas = services.produccion_crear_lote(
                usuario=usuario, filas=[f.datos for f in validas if f.datos is not None]
            )
        except ApplicationError as exc:
            _repartir(exc, validas, revision)
            return revision
        if simular:
            transaction.set_rollback(True)
        else:
            revision.guardadas = len(creadas)
    return revision


def revisar_pegado(*, usuario: User, ot: OT, texto: str) -> Revision:
    """What saving this paste would do, row by row; nothing is stored."""
    filas, errores = leer_pegado(texto)
    if errores:
        return Revision(filas=[], errores=errores)
    return _guardar(usuario, _revisar(ot, filas), simular=True)


def guardar_pegado(*, usuario: User, ot: OT, texto: str) -> Revision:
    """Save every row of the paste, or none (the answer says which rows are wrong)."""
    filas, errores = leer_pegado(texto)
    if errores:
        return Revision(filas=[], errores=errores)
    return _guardar(usuario, _revisar(ot, filas), simular=False)


def guardados_del_dia(
    ot: OT, fecha: datetime.date, tipo_tiempo: str, sitio: Sitio | None
) -> dict[str, Decimal]:
    """What is already stored for the OT that day, kind of time and site (the OT's when
    none), by line (`Linea.id`)."""
    sitio_id = sitio.pk if sitio is not None else ot.sitio_id
    if sitio_id is None:
        return {}
    claves = {linea.campos["partida_anexo"].pk: linea.id for linea in lineas_de(ot)}
    return {
        claves[linea_id]: volumen
        for linea_id, volumen in Produccion.objects.filter(
            ot=ot,
            fecha_produccion=fecha,
            tipo_tiempo=tipo_tiempo,
            sitio_id=sitio_id,
            partida_anexo_id__in=claves,
        ).values_list("partida_anexo_id", "volumen_produccion")
    }


def _corregir(
    usuario: User,
    ot: OT,
    fecha: datetime.date,
    tipo_tiempo: str,
    sitio: Sitio | None,
    correcciones: dict[str, tuple[Linea, str | None]],
    revision: Revision,
) -> bool:
    """Correct (or, emptied, delete) the day's stored rows through the sheet's service;
    its refusal is put on the lines it names. True when saved."""
    enviadas = list(correcciones.values())
    try:
        services.sabana_guardar(
            usuario=usuario,
            ot_id=ot.pk,
            anio=fecha.year,
            mes=fecha.month,
            tipo_tiempo=tipo_tiempo,
            sitio_id=sitio.pk if sitio is not None else None,
            partidas=[
                {"partida_anexo": linea.campos["partida_anexo"].pk, "ejecutado": {
                    str(fecha.day): volumen}}
                for linea, volumen in enviadas
            ],
            solo_enviadas=True,
        )  # fmt: skip
    except ApplicationError as exc:
        filas = []
        for campo, mensajes in (exc.fields or {}).items():
            match = re.match(r"^partidas\[(\d+)\]", campo)
            linea = enviadas[int(match.group(1))][0] if match else None
            fila = Fila(numero=0, celdas={}, linea=linea, errores=[str(m) for m in mensajes])
            filas.append(fila)
        revision.filas.extend(filas)
        if not exc.fields:
            revision.errores.append(str(exc.detail))
        return False
    return True


def guardar_dia(
    *,
    usuario: User,
    ot: OT,
    fecha: datetime.date,
    tipo_tiempo: str,
    sitio: Sitio | None,
    volumenes: dict[str, str],
    comentario: str = "",
    mostrados: dict[str, str] | None = None,
) -> Revision:
    """One day of an OT: a volume per line (keyed by `Linea.id`; blank ones skipped).
    A line already stored that day is corrected to the volume typed; emptied, it is
    deleted when the page had shown its value (`mostrados`, by line). All or nothing."""
    lineas = {linea.id: linea for linea in lineas_de(ot)}
    guardados = guardados_del_dia(ot, fecha, tipo_tiempo, sitio)
    mostrados = mostrados or {}
    filas = []
    correcciones: dict[str, tuple[Linea, str | None]] = {}
    errores_correccion: list[Fila] = []
    for numero, (clave, texto) in enumerate(volumenes.items(), start=1):
        linea = lineas.get(clave)
        if linea is not None and clave in guardados:
            if not texto.strip():
                if mostrados.get(clave, "").strip():
                    correcciones[clave] = (linea, None)
                continue
            volumen = leer_volumen(texto)
            if volumen is None or volumen <= 0:
                errores_correccion.append(
                    Fila(numero=numero, celdas={}, linea=linea, errores=[
                        gettext("«%(texto)s» is not a volume.") % {"texto": texto}
                        if volumen is None
                        else gettext("The volume must be greater than zero.")])
                )  # fmt: skip
            elif volumen != guardados[clave]:
                correcciones[clave] = (linea, format(volumen, "f"))
            continue
        if not texto.strip():
            continue
        celdas = {
            "fecha": fecha.isoformat(),
            "anexo": linea.anexo if linea else "",
            "partida": linea.partida if linea else clave,
            "volumen": texto,
            "tipo_tiempo": tipo_tiempo,
            "sitio": "",
            "comentario": comentario,
            "concepto": linea.concepto if linea else "",
        }
        filas.append((numero, celdas))
    if errores_correccion:
        return Revision(filas=errores_correccion)
    if not filas and not correcciones:
        return Revision(filas=[], errores=[gettext("Write the volume of at least one partida.")])
    with transaction.atomic():
        revision = Revision(filas=[])
        if filas:
            revision = _guardar(usuario, _revisar(ot, filas, sitio), simular=False)
            if not revision.guardadas:
                return revision
        if correcciones and not _corregir(
            usuario, ot, fecha, tipo_tiempo, sitio, correcciones, revision
        ):
            transaction.set_rollback(True)
            revision.guardadas = 0
            return revision
        revision.guardadas += len(correcciones)
    return revision
