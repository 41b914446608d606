"""Production writes. One row or many: many is all-or-nothing, and a row that repeats
(OT, partida del anexo, fecha, tipo de tiempo, sitio) is a 409 naming it.

Every write goes through `_escribir`, the one place production rows are inserted, changed
and deleted: it refuses days signed off (FIRMADO), writes in bulk, logs the activity and
recomputes the excedentes of the lines touched, all in the caller's transaction.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.catalogos.models import Sitio
from sascop.catalogos.services import exigir_activos
from sascop.core.api.etags import exigir_version
from sascop.core.api.validation import validated
from sascop.core.db.lookups import EnLista
from sascop.core.db.queries import actualizar_por_pk, bloquear_o_404, insertar
from sascop.core.errors import Conflict, InvalidInput, PermissionDenied, PreconditionFailed
from sascop.core.signals import announce_change
from sascop.ots.models import OT
from sascop.precios.models import PartidaAnexoOT
from sascop.produccion import excedentes, selectors
from sascop.produccion.models import CierreMes, Produccion, ReporteDiario
from sascop.produccion.serializers import campos_de_fila

CLAVE = ("ot_id", "partida_anexo_id", "fecha_produccion", "tipo_tiempo", "sitio_id")
MAX_FILAS = 5000
MAX_COMENTARIO = 2000
MAX_ENLACE = 500
# What a correction may change.
CAMPOS = [
    "ot",
    "partida_anexo",
    "sitio",
    "fecha_produccion",
    "volumen_produccion",
    "tipo_tiempo",
    "estatus_cobro",
    "comentario",
]


@dataclass
class Celdas:
    """Rows a sheet creates on one OT, site and kind of time, as (line, date, volume)
    without a model instance each: a month is 15,500 of them."""

    ot: OT
    sitio_id: int
    tipo_tiempo: str
    creado_por: User | None
    filas: list[tuple[int, datetime.date, Decimal]]

    def dias(self) -> set[tuple[int, int, datetime.date]]:
        return {(self.ot.pk, self.sitio_id, fecha) for _, fecha, _ in self.filas}

    def insertar(self, excedentes: Sequence[Decimal]) -> list[tuple[int, int, datetime.date]]:
        """Insert the rows, each with its excedente (in the order of `filas`) and the
        version a row has once its excedente was set (one more unless it is 0); returns
        each one's (id, line, date)."""
        return insertar(
            Produccion,
            ["partida_anexo", "fecha_produccion", "volumen_produccion", "excedente", "version"],
            [
                (linea, fecha, volumen, excedente, 2 if excedente else 1)
                for (linea, fecha, volumen), excedente in zip(self.filas, excedentes, strict=True)
            ],
            fijos={
                "ot": self.ot,
                "sitio_id": self.sitio_id,
                "tipo_tiempo": self.tipo_tiempo,
                "creado_por": self.creado_por,
            },
            devolver=["id", "partida_anexo", "fecha_produccion"],
        )


@dataclass
class Cambio:
    """A stored row (`fila`, already changed) and a copy of it as it was (`antes`)."""

    antes: Produccion
    fila: Produccion


def _dia(fila: Produccion) -> tuple[int, int, datetime.date]:
    return (fila.ot_id, fila.sitio_id, fila.fecha_produccion)


def exigir_sin_firmar(dias: Iterable[tuple[int, int, datetime.date]]) -> None:
    """409 if any (OT, site, day) has its daily report signed off (FIRMADO)."""
    dias = set(dias)
    if not dias:
        return
    fechas = [fecha for _, _, fecha in dias]
    firmados = sorted(
        dia
        for dia in ReporteDiario.objects.filter(
            estatus=ReporteDiario.Estatus.FIRMADO,
            ot_id__in={ot for ot, _, _ in dias},
            fecha__range=(min(fechas), max(fechas)),
        ).values_list("ot_id", "sitio_id", "fecha")
        if dia in dias
    )
    if firmados:
        dias_firmados = ", ".join(
            gettext("OT %(ot)s site %(sitio)s on %(fecha)s")
            % {"ot": ot, "sitio": sitio, "fecha": fecha.isoformat()}
            for ot, sitio, fecha in firmados
        )
        raise Conflict(
            gettext(
                "The daily report of %(dias)s is signed off (FIRMADO); its production cannot "
                "change."
            )
            % {"dias": dias_firmados},
            firmados=[
                {"ot": ot, "sitio": sitio, "fecha": fecha.isoformat()}
                for ot, sitio, fecha in firmados
            ],
        )


# Refusals of other apps, run on the stored rows a write changes or deletes (as they were),
# in its transaction; each raises to refuse. Estimaciones registers here: a row a presented
# claim covers is frozen.
_candados: list[Callable[[Sequence[Produccion]], None]] = []


def antes_de_cambiar_filas(funcion: Callable[[Sequence[Produccion]], None]) -> None:
    """Have `funcion(filas)` check every write's changed and deleted rows before it is made
    (once, however often it is registered)."""
    if funcion not in _candados:
        _candados.append(funcion)


def exigir_sin_candados(filas: Sequence[Produccion]) -> None:
    """Run the other apps' refusals on stored rows: those a write changes or deletes, and
    those whose standing it changes without touching them (un-signing their day, or their
    GPU record: a claim counts signed rows only)."""
    if filas:
        for candado in _candados:
            candado(filas)


def _escribir(
    *,
    usuario: User | None,
    nuevas: Sequence[Produccion] = (),
    cambios: Sequence[Cambio] = (),
    eliminadas: Sequence[Produccion] = (),
    celdas: Celdas | None = None,
    lote: bool = False,
) -> list[Produccion]:
    """Insert `nuevas` (and the `celdas` of a sheet), save `cambios`, delete `eliminadas`;
    returns the inserted rows (of `nuevas`).

    Days signed off refuse the write (409), before and after a change; a row that another
    request stored meanwhile with the same key is a 409. The excedentes of every (family,
    concept) touched are recomputed once the other rows are written and before the
    sheet's cells are inserted (they go in with theirs); then the activity log and the
    caches. Rows' `ot` should be loaded (the log names them)."""
    exigir_sin_firmar(
        [
            *(_dia(f) for f in nuevas),
            *(_dia(c.antes) for c in cambios),
            *(_dia(c.fila) for c in cambios),
            *(_dia(f) for f in eliminadas),
            *(celdas.dias() if celdas else ()),
        ]
    )
    exigir_sin_candados([*(c.antes for c in cambios), *eliminadas])
    ahora = timezone.now()
    for cambio in cambios:
        cambio.fila.actualizado_en = ahora
    # Only the fields some change touched; each row's version was raised by its caller.
    campos = [
        nombre
        for nombre in CAMPOS
        if any(c.antes.serializable_value(nombre) != c.fila.serializable_value(nombre)
               for c in cambios)
    ]  # fmt: skip
    try:
        with transaction.atomic():
            creadas = Produccion.objects.bulk_create(nuevas, batch_size=1000)
            actualizar_por_pk(
                Produccion,
                [*campos, "version"],
                {
                    c.fila.pk: [*(c.fila.serializable_value(n) for n in campos), c.fila.version]
                    for c in cambios
                },
                fijos={"actualizado_en": ahora},
            )
    except IntegrityError as exc:  # a concurrent request recorded the same row meanwhile
        filas = [*nuevas, *(c.fila for c in cambios)]
        # Only a batch names the rows (a sheet's cells are not rows of the request).
        indices = _duplicadas(filas, excluir=[c.fila.pk for c in cambios]) if lote else []
        raise _conflicto(indices, lote) from exc
    if eliminadas:
        Produccion.objects.filter(pk__in=[f.pk for f in eliminadas]).delete()

    # The excedentes of every (family, concept) touched, the sheet's cells counted before
    # they are inserted: they go in with theirs (a month is 15,500 rows not updated again).
    filas = [*creadas, *eliminadas, *(c.fila for c in cambios), *(c.antes for c in cambios)]
    tocadas = {(f.ot_id, f.partida_anexo_id) for f in filas}
    if celdas:
        tocadas |= {(celdas.ot.pk, linea) for linea, _, _ in celdas.filas}
    conceptos = dict(
        PartidaAnexoOT.objects.filter(pk__in={linea for _, linea in tocadas}).values_list(
            "pk", "concepto_id"
        )
    )
    recalculadas, de_celdas = excedentes.recalcular_con_nuevas(
        ((ot, conceptos[linea]) for ot, linea in tocadas),
        [
            excedentes.Nueva(celdas.ot.pk, conceptos[linea], fecha, volumen)
            for linea, fecha, volumen in celdas.filas
        ]
        if celdas
        else [],
    )
    try:
        # No savepoint: a conflict ends the write (nothing more is queried before the
        # caller's transaction rolls back).
        de_hoja = celdas.insertar(de_celdas) if celdas else []
    except IntegrityError as exc:  # a concurrent request recorded the same cell meanwhile
        raise _conflicto([], lote=False) from exc

    actividad.registrar_creaciones(usuario=usuario, instancias=creadas)
    if celdas:
        actividad.registrar_creaciones_de(
            usuario=usuario,
            modelo=Produccion,
            creadas=[
                (pk, Produccion.texto(celdas.ot, linea, fecha)) for pk, linea, fecha in de_hoja
            ],
        )
    actividad.registrar_cambios_lote(
        usuario=usuario, cambios=[(c.antes, c.fila) for c in cambios], campos=campos
    )
    actividad.registrar_eliminaciones(usuario=usuario, instancias=eliminadas)

    # The recompute raised the version of each row whose excedente changed: the rows
    # handed back say so too.
    for fila in [*creadas, *(c.fila for c in cambios)]:
        if fila.pk in recalculadas:
            fila.excedente = recalculadas[fila.pk]
            fila.version += 1
    # Bulk writes send no row signals: tell the caches ourselves.
    announce_change(Produccion)
    return creadas


def _exigir_lineas_activas(filas: Sequence[Produccion], lote: bool) -> None:
    """Each row's line must be a line of its OT's active anexo."""
    activas = dict(
        PartidaAnexoOT.objects.filter(
            pk__in={f.partida_anexo_id for f in filas}, anexo_ot__activo=True
        ).values_list("pk", "anexo_ot__ot_id")
    )
    for index, fila in enumerate(filas):
        if activas.get(fila.partida_anexo_id) != fila.ot_id:
            mensaje = {"partida_anexo": [gettext("Not a line of the OT's active anexo.")]}
            if lote:
                raise InvalidInput(
                    gettext("Row %(fila)s is not valid; nothing was saved.") % {"fila": index},
                    fields=campos_de_fila(index, mensaje),
                )
            raise InvalidInput(fields=mensaje)


def _nueva(usuario: User, datos: dict[str, Any]) -> Produccion:
    datos = dict(datos)
    ot = datos["ot"]
    if datos.get("sitio") is None:
        if ot.sitio_id is None:
            raise InvalidInput(fields={"sitio": [gettext("The OT has no site; give one.")]})
        datos["sitio"] = ot.sitio
    return Produccion(**datos, creado_por=usuario if usuario.is_authenticated else None)


def _clave(fila: Produccion) -> tuple[Any, ...]:
    return tuple(getattr(fila, name) for name in CLAVE)


def _duplicadas(filas: list[Produccion], excluir: Sequence[int] = ()) -> list[int]:
    """Indexes of rows repeating an earlier row of the batch or a stored row (other than
    the rows `excluir`, being changed)."""
    vistos: set[tuple[Any, ...]] = set()
    repetidas = []
    for index, fila in enumerate(filas):
        if _clave(fila) in vistos:
            repetidas.append(index)
        vistos.add(_clave(fila))
    fechas = [fila.fecha_produccion for fila in filas]
    candidatas = Produccion.objects.filter(
        ot_id__in={fila.ot_id for fila in filas},
        fecha_produccion__range=(min(fechas), max(fechas)),
    ).exclude(pk__in=excluir)
    existentes = set(candidatas.values_list(*CLAVE)) & vistos
    repetidas += [i for i, fila in enumerate(filas) if _clave(fila) in existentes]
    return sorted(set(repetidas))


def _conflicto(indices: list[int], lote: bool) -> Conflict:
    if not lote:
        return Conflict(
            gettext(
                "Production for that OT, partida, date, kind of time and site is already recorded."
            )
        )
    return Conflict(
        gettext(
            "Rows repeat production already recorded (or repeat each other): %(filas)s. "
            "Nothing was saved."
        )
        % {"filas": ", ".join(str(i) for i in indices)},
        filas=indices,
    )


@transaction.atomic
def produccion_crear_lote(*, usuario: User, filas: list[dict[str, Any]]) -> list[Produccion]:
    """Record many rows at once: either every row is saved or none is."""
    if len(filas) > MAX_FILAS:
        raise InvalidInput(
            fields={
                "filas": [
                    ngettext(
                        "At most %(n)s row per request.",
                        "At most %(n)s rows per request.",
                        MAX_FILAS,
                    )
                    % {"n": MAX_FILAS}
                ]
            }
        )
    nuevas = []
    for index, datos in enumerate(filas):
        try:
            fila = _nueva(usuario, datos)
            exigir_activos(fila)
            validated(fila, check_unique=False)
        except InvalidInput as exc:
            raise InvalidInput(
                gettext("Row %(fila)s is not valid; nothing was saved.") % {"fila": index},
                fields=campos_de_fila(index, exc.fields or {}),
            ) from exc
        nuevas.append(fila)
    _exigir_lineas_activas(nuevas, lote=True)
    if repetidas := _duplicadas(nuevas):
        raise _conflicto(repetidas, lote=True)
    return _escribir(usuario=usuario, nuevas=nuevas, lote=True)


@transaction.atomic
def produccion_crear(*, usuario: User, datos: dict[str, Any]) -> Produccion:
    """Record one row on a line of the OT's active anexo."""
    fila = _nueva(usuario, datos)
    exigir_activos(fila)
    validated(fila, check_unique=False)
    _exigir_lineas_activas([fila], lote=False)
    if _duplicadas([fila]):
        raise _conflicto([0], lote=False)
    (creada,) = _escribir(usuario=usuario, nuevas=[fila])
    return creada


def _para_editar(produccion_id: int) -> Produccion:
    return bloquear_o_404(Produccion.objects.all(), produccion_id, "Production row")


@transaction.atomic
def produccion_actualizar(
    *,
    usuario: User,
    produccion_id: int,
    datos: dict[str, Any],
    if_match: str | None = None,
) -> Produccion:
    """Correct a row. A stale `if_match` is 412; becoming a duplicate of another row, 409;
    a signed-off day (before or after), 409. A new OT or line must be an active line."""
    fila = _para_editar(produccion_id)
    exigir_version(if_match, fila)
    antes = copy.copy(fila)
    for name, value in datos.items():
        setattr(fila, name, value)
    exigir_activos(fila, actividad.snapshot(antes))
    if "ot" in datos or "partida_anexo" in datos:
        _exigir_lineas_activas([fila], lote=False)
    validated(fila, check_unique=False)
    if _duplicadas([fila], excluir=[fila.pk]):
        raise _conflicto([0], lote=False)
    fila.version += 1
    _escribir(usuario=usuario, cambios=[Cambio(antes=antes, fila=fila)])
    return fila


@transaction.atomic
def produccion_eliminar(*, usuario: User, produccion_id: int, if_match: str | None = None) -> None:
    """Delete a row for good (it stays in the activity log)."""
    fila = _para_editar(produccion_id)
    exigir_version(if_match, fila)
    _escribir(usuario=usuario, eliminadas=[fila])


# --- the monthly sheet and the daily reports --------------------------------------------------

MAX_VOLUMEN = Decimal("1e12")


def _exigir_etiqueta(if_match: str | None, actual: str) -> None:
    """412 unless `if_match` (when sent) names the document's current ETag."""
    if if_match is None or if_match.strip() == "*":
        return
    ofrecidas = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if actual not in ofrecidas:
        raise PreconditionFailed(
            gettext("The sheet has changed (now at %(version)s); fetch it again and retry.")
            % {"version": actual}
        )


def _volumen(valor: Any) -> Decimal | None:
    """A cell's volume: a decimal ≥ 0 with at most 4 decimals, or empty (None, "", 0)."""
    if valor is None or valor == "":
        return None
    if isinstance(valor, bool) or not isinstance(valor, str | int | float | Decimal):
        raise ValueError(gettext("Send a number or a decimal string."))
    try:
        volumen = Decimal(str(valor).strip())
    except InvalidOperation:
        raise ValueError(gettext("Not a number.")) from None
    if not volumen.is_finite():
        raise ValueError(gettext("Not a number."))
    if volumen < 0:
        raise ValueError(gettext("Must not be negative."))
    if volumen >= MAX_VOLUMEN:
        raise ValueError(gettext("Too large."))
    if volumen != volumen.quantize(Decimal("0.0001"), rounding=ROUND_DOWN):
        raise ValueError(gettext("At most 4 decimal places."))
    return volumen or None


def _dia_del_mes(texto: Any, dias: int) -> int:
    try:
        dia = int(str(texto))
    except ValueError:
        raise ValueError(gettext("Not a day of the month.")) from None
    if not 1 <= dia <= dias or str(dia) != str(texto).strip():
        raise ValueError(gettext("Not a day of the month."))
    return dia


def _leer_celdas(
    partidas: Any, lineas: set[int], dias: int, *, vacias: bool = False
) -> dict[int, dict[int, Decimal | None]]:
    """The sheet's `ejecutado` cells by line and day (empty cells left out, or as None with
    `vacias`); else a 400 naming each bad cell as `partidas[3].ejecutado.15`."""
    errores: dict[str, list[str]] = {}
    celdas: dict[int, dict[int, Decimal | None]] = {}
    if not isinstance(partidas, list):
        raise InvalidInput(fields={"partidas": [gettext("Send the sheet's list of partidas.")]})
    for index, partida in enumerate(partidas):
        prefijo = f"partidas[{index}]"
        if not isinstance(partida, dict):
            errores[prefijo] = [gettext("Send an object.")]
            continue
        linea_id = partida.get("partida_anexo")
        if isinstance(linea_id, bool) or not isinstance(linea_id, int) or linea_id not in lineas:
            errores[f"{prefijo}.partida_anexo"] = [gettext("Not a line of the OT's active anexo.")]
            continue
        if linea_id in celdas:
            errores[f"{prefijo}.partida_anexo"] = [gettext("This line is sent twice.")]
            continue
        ejecutado = partida.get("ejecutado", {})
        if not isinstance(ejecutado, dict):
            errores[f"{prefijo}.ejecutado"] = [gettext("Send an object of day → volume.")]
            continue
        celdas[linea_id] = {}
        for texto, valor in ejecutado.items():
            try:
                dia = _dia_del_mes(texto, dias)
                volumen = _volumen(valor)
            except ValueError as exc:
                errores[f"{prefijo}.ejecutado.{texto}"] = [str(exc)]
                continue
            if volumen is not None or vacias:
                celdas[linea_id][dia] = volumen
    if errores:
        raise InvalidInput(gettext("Some cells are not valid; nothing was saved."), fields=errores)
    return celdas


class HojaEscrita(NamedTuple):
    """What a sheet save wrote to: the lines sent (the only ones of the sheet that may have
    changed), and the OT (locked) and site of the sheet."""

    lineas: set[int]
    ot: OT
    sitio: Sitio


@transaction.atomic
def sabana_guardar(
    *,
    usuario: User,
    ot_id: int,
    anio: int,
    mes: int,
    tipo_tiempo: str,
    sitio_id: int | None,
    partidas: Any,
    if_match: str | None = None,
    solo_enviadas: bool = False,
) -> HojaEscrita:
    """Save a month of the OT's sheet (one kind of time, one site) as sent: for each line
    sent, a day with a volume creates or corrects its row, an empty day (absent, null, ""
    or 0) deletes it; lines not sent are left alone. With `solo_enviadas`, only the days
    sent are touched (an absent day is left alone; null, "" or 0 deletes). All or nothing:
    a bad cell is a 400 naming it, a change on a signed-off day a 409, a stale `if_match`
    a 412. Returns the lines sent (the only ones of the sheet that may have changed), with
    the sheet's OT and site."""
    ot = bloquear_o_404(OT.objects.all(), ot_id, "OT")  # one sheet save at a time per OT
    sitio = selectors.sitio_de_hoja(ot, sitio_id)
    if if_match is not None:
        actual = selectors.sabana_etiqueta(
            ot_id=ot_id, anio=anio, mes=mes, tipo_tiempo=tipo_tiempo, sitio_id=sitio_id
        )
        _exigir_etiqueta(if_match, actual)
    inicio, fin, dias = selectors.mes_de(anio, mes)
    # Day → date (0 unused): `date.replace` per cell was a tenth of a 15,500-cell save.
    fechas = [inicio + datetime.timedelta(days=d - 1) for d in range(dias + 1)]
    celdas = _leer_celdas(partidas, selectors.lineas_activas(ot_id), dias, vacias=solo_enviadas)
    existentes: dict[tuple[int, int], Produccion] = {}
    guardadas = Produccion.objects.filter(
        EnLista(F("partida_anexo_id"), celdas),
        ot_id=ot_id,
        fecha_produccion__range=(inicio, fin),
        tipo_tiempo=tipo_tiempo,
        sitio_id=sitio.pk,
    )
    if solo_enviadas:  # only the days sent are looked at
        guardadas = guardadas.filter(
            fecha_produccion__in={fechas[d] for dias in celdas.values() for d in dias}
        )
    for fila in guardadas:
        fila.ot = ot
        existentes[(fila.partida_anexo_id, fila.fecha_produccion.day)] = fila
    nuevas = Celdas(
        ot=ot,
        sitio_id=sitio.pk,
        tipo_tiempo=tipo_tiempo,
        creado_por=usuario if usuario.is_authenticated else None,
        filas=[],
    )
    cambios: list[Cambio] = []
    eliminadas: list[Produccion] = []
    for linea_id, por_dia in celdas.items():
        for dia in sorted(por_dia) if solo_enviadas else range(1, dias + 1):
            volumen = por_dia.get(dia)
            guardada = existentes.get((linea_id, dia))
            if guardada is None and volumen is not None:
                nuevas.filas.append((linea_id, fechas[dia], volumen))
            elif guardada is not None and volumen is None:
                eliminadas.append(guardada)
            elif (
                guardada is not None
                and volumen is not None
                and guardada.volumen_produccion != volumen
            ):
                antes = copy.copy(guardada)
                guardada.volumen_produccion = volumen
                guardada.version += 1
                cambios.append(Cambio(antes=antes, fila=guardada))
    if nuevas.filas and not sitio.activo:
        raise InvalidInput(
            fields={"sitio": [gettext("sitio %(id)s is inactive.") % {"id": sitio.pk}]}
        )
    _escribir(usuario=usuario, celdas=nuevas, cambios=cambios, eliminadas=eliminadas)
    return HojaEscrita(set(celdas), ot, sitio)


def puede_firmar(usuario: Any) -> bool:
    """Whether the user signs off (sets or clears FIRMADO): a day's report, a month's close,
    a GPU record. Those who may set the daily reports' state."""
    return bool(
        usuario.has_perms(["produccion.add_reportediario", "produccion.change_reportediario"])
    )


def exigir_firma(usuario: Any, que: str) -> None:
    """403 unless the user signs off (`que` names what would be signed or reopened)."""
    if not puede_firmar(usuario):
        raise PermissionDenied(
            gettext("Your role cannot set or clear FIRMADO (%(que)s).") % {"que": que}
        )


def _leer_comentarios(
    comentarios: Any, prefijo: str, dias: int, errores: dict[str, list[str]]
) -> dict[int, str]:
    """Day → comment as sent (`""` clears it); a bad day or text is named in `errores`."""
    leidos: dict[int, str] = {}
    if comentarios is None:
        return leidos
    if not isinstance(comentarios, dict):
        errores[f"{prefijo}.comentarios"] = [gettext("Send an object of day → comment.")]
        return leidos
    for texto, comentario in comentarios.items():
        campo = f"{prefijo}.comentarios.{texto}"
        try:
            dia = _dia_del_mes(texto, dias)
        except ValueError as exc:
            errores[campo] = [str(exc)]
            continue
        if comentario is None:
            comentario = ""
        if not isinstance(comentario, str):
            errores[campo] = [gettext("Send the comment as text.")]
            continue
        if len(comentario) > MAX_COMENTARIO:
            errores[campo] = [gettext("At most %(n)s characters.") % {"n": MAX_COMENTARIO}]
            continue
        leidos[dia] = comentario.strip()
    return leidos


def _leer_cierre(cierre: Any, errores: dict[str, list[str]]) -> dict[str, str]:
    """The month's close as sent (`{"estatus"?, "evidencia"?}`); bad values in `errores`."""
    if cierre is None:
        return {}
    if not isinstance(cierre, dict):
        errores["cierre_mes"] = [gettext('Send an object {"estatus", "evidencia"}.')]
        return {}
    leido: dict[str, str] = {}
    if "estatus" in cierre:
        if cierre["estatus"] not in CierreMes.Estatus.values:
            errores["cierre_mes.estatus"] = [
                gettext("Use one of: %(valores)s.")
                % {"valores": ", ".join(CierreMes.Estatus.values)}
            ]
        else:
            leido["estatus"] = cierre["estatus"]
    if "evidencia" in cierre:
        try:
            leido["evidencia"] = leer_enlace(cierre["evidencia"])
        except ValueError as exc:
            errores["cierre_mes.evidencia"] = [str(exc)]
    return leido


def leer_enlace(valor: Any) -> str:
    """An evidence link as stored: "" (none) or an http(s) URL; ValueError says why not."""
    if valor is None:
        return ""
    if not isinstance(valor, str):
        raise ValueError(gettext("Send the link as text."))
    valor = valor.strip()
    if not valor:
        return ""
    if len(valor) > MAX_ENLACE:
        raise ValueError(gettext("At most %(n)s characters.") % {"n": MAX_ENLACE})
    try:
        URLValidator(schemes=["http", "https"])(valor)
    except ValidationError:
        raise ValueError(gettext("Enter a link that starts with http:// or https://.")) from None
    return valor


@transaction.atomic
def reportes_guardar(
    *,
    usuario: User,
    ot_id: int,
    anio: int,
    mes: int,
    sitios: Any,
    cierre_mes: Any = None,
    if_match: str | None = None,
) -> None:
    """Set the state and comment of the OT's daily reports of a month: `sitios` as the GET
    gives them (`[{"id", "reportes": {"<day>": estado}, "comentarios": {"<day>": text}}]`);
    days not sent are left alone. `cierre_mes` (`{"estatus", "evidencia"}`, either may be
    left out) sets the month's close. Setting or clearing FIRMADO (a day or the month) takes
    the signing permissions (403). A stale `if_match` is a 412; a bad site, day, state,
    comment or link, a 400 naming it."""
    ot = bloquear_o_404(OT.objects.all(), ot_id, "OT")
    if if_match is not None:
        actual = selectors.reportes_diarios(ot_id=ot_id, anio=anio, mes=mes)
        _exigir_etiqueta(if_match, selectors.etiqueta(actual))
    inicio, fin, dias = selectors.mes_de(anio, mes)
    if sitios is None and cierre_mes is not None:
        sitios = []
    if not isinstance(sitios, list):
        raise InvalidInput(fields={"sitios": [gettext("Send the list of sites.")]})
    validos = set(
        Sitio.objects.filter(
            pk__in=[s.get("id") for s in sitios if isinstance(s, dict) and _entero(s.get("id"))]
        ).values_list("pk", flat=True)
    )
    errores: dict[str, list[str]] = {}
    pedidos: dict[tuple[int, datetime.date], str] = {}
    notas: dict[tuple[int, datetime.date], str] = {}
    for index, sitio in enumerate(sitios):
        prefijo = f"sitios[{index}]"
        if (
            not isinstance(sitio, dict)
            or not _entero(sitio.get("id"))
            or sitio["id"] not in validos
        ):
            errores[f"{prefijo}.id"] = [gettext("Not a site.")]
            continue
        for dia, comentario in _leer_comentarios(
            sitio.get("comentarios"), prefijo, dias, errores
        ).items():
            notas[(sitio["id"], inicio.replace(day=dia))] = comentario
        reportes = sitio.get("reportes", {})
        if not isinstance(reportes, dict):
            errores[f"{prefijo}.reportes"] = [gettext("Send an object of day → state.")]
            continue
        for texto, estatus in reportes.items():
            try:
                dia = _dia_del_mes(texto, dias)
            except ValueError as exc:
                errores[f"{prefijo}.reportes.{texto}"] = [str(exc)]
                continue
            if estatus not in ReporteDiario.Estatus.values:
                errores[f"{prefijo}.reportes.{texto}"] = [
                    gettext("Use one of: %(valores)s.")
                    % {"valores": ", ".join(ReporteDiario.Estatus.values)}
                ]
                continue
            pedidos[(sitio["id"], inicio.replace(day=dia))] = estatus
    cierre = _leer_cierre(cierre_mes, errores)
    if errores:
        raise InvalidInput(gettext("Some days are not valid; nothing was saved."), fields=errores)
    existentes = {
        (r.sitio_id, r.fecha): r
        for r in ReporteDiario.objects.filter(ot_id=ot_id, fecha__range=(inicio, fin))
    }
    firmado = ReporteDiario.Estatus.FIRMADO
    for clave, estatus in pedidos.items():
        reporte = existentes.get(clave)
        anterior = reporte.estatus if reporte else ReporteDiario.Estatus.PENDIENTE
        if anterior != estatus and firmado in (anterior, estatus):
            exigir_firma(usuario, gettext("daily report of %(fecha)s") % {"fecha": clave[1]})
    desfirmados = {
        clave
        for clave, estatus in pedidos.items()
        if clave in existentes and existentes[clave].estatus == firmado != estatus
    }
    if desfirmados:
        exigir_sin_candados(
            [
                fila
                for fila in Produccion.objects.filter(
                    ot_id=ot_id,
                    sitio_id__in={sitio for sitio, _ in desfirmados},
                    fecha_produccion__in={fecha for _, fecha in desfirmados},
                )
                if (fila.sitio_id, fila.fecha_produccion) in desfirmados
            ]
        )
    nuevos, cambiados = [], []
    ahora = timezone.now()
    editor = usuario if usuario.is_authenticated else None
    for sitio_id, fecha in {*pedidos, *notas}:
        reporte = existentes.get((sitio_id, fecha))
        estatus = pedidos.get(
            (sitio_id, fecha), reporte.estatus if reporte else ReporteDiario.Estatus.PENDIENTE
        )
        comentario = notas.get((sitio_id, fecha), reporte.comentario if reporte else "")
        if reporte is None:
            if estatus != ReporteDiario.Estatus.PENDIENTE or comentario:
                nuevos.append(
                    ReporteDiario(
                        ot=ot, sitio_id=sitio_id, fecha=fecha, estatus=estatus,
                        comentario=comentario, actualizado_por=editor,
                    )
                )  # fmt: skip
        elif (reporte.estatus, reporte.comentario) != (estatus, comentario):
            reporte.ot = ot
            antes = copy.copy(reporte)
            reporte.estatus = estatus
            reporte.comentario = comentario
            reporte.actualizado_por = editor
            reporte.actualizado_en = ahora
            cambiados.append((antes, reporte))
    nuevos.sort(key=lambda r: (r.fecha, r.sitio_id))
    ReporteDiario.objects.bulk_create(nuevos)
    ReporteDiario.objects.bulk_update(
        [r for _, r in cambiados], ["estatus", "comentario", "actualizado_por", "actualizado_en"]
    )
    actividad.registrar_creaciones(usuario=usuario, instancias=nuevos)
    actividad.registrar_cambios_lote(
        usuario=usuario, cambios=cambiados, campos=["estatus", "comentario", "actualizado_por"]
    )
    if cierre:
        _cierre_guardar(usuario=usuario, ot=ot, anio=anio, mes=mes, cambios=cierre)


def _cierre_guardar(*, usuario: User, ot: OT, anio: int, mes: int, cambios: dict[str, str]) -> None:
    guardado = CierreMes.objects.filter(ot=ot, anio=anio, mes=mes).first()
    antes_estatus = guardado.estatus if guardado else CierreMes.Estatus.ABIERTO
    nuevo_estatus = cambios.get("estatus", antes_estatus)
    if antes_estatus != nuevo_estatus and CierreMes.Estatus.FIRMADO in (
        antes_estatus,
        nuevo_estatus,
    ):
        exigir_firma(usuario, gettext("close of %(anio)s-%(mes)02d") % {"anio": anio, "mes": mes})
    editor = usuario if usuario.is_authenticated else None
    if guardado is None:
        cierre = CierreMes(ot=ot, anio=anio, mes=mes, actualizado_por=editor, **cambios)
        if (cierre.estatus, cierre.evidencia) != (CierreMes.Estatus.ABIERTO, ""):
            cierre.full_clean()
            cierre.save()
            actividad.registrar_creaciones(usuario=usuario, instancias=[cierre])
        return
    antes = copy.copy(guardado)
    for campo, valor in cambios.items():
        setattr(guardado, campo, valor)
    if (antes.estatus, antes.evidencia) == (guardado.estatus, guardado.evidencia):
        return
    guardado.actualizado_por = editor
    guardado.full_clean()
    guardado.save()
    actividad.registrar_cambios_lote(
        usuario=usuario, cambios=[(antes, guardado)], campos=["estatus", "evidencia"]
    )


def _entero(valor: Any) -> bool:
    return isinstance(valor, int) and not isinstance(valor, bool)


@transaction.atomic
def produccion_fijar_cobro(*, usuario: User | None, estatus: dict[int, int]) -> None:
    """Set the billing status (`estatus_cobro`) of rows by id, as the estimaciones that claim
    them move on. Signed-off days and frozen rows take it: it says where their claim stands,
    it does not change what was produced. Each row changed gets a new version; logged."""
    filas = list(Produccion.objects.select_for_update().select_related("ot").filter(pk__in=estatus))
    cambios = []
    for fila in filas:
        if fila.estatus_cobro != estatus[fila.pk]:
            antes = copy.copy(fila)
            fila.estatus_cobro = estatus[fila.pk]
            fila.version += 1
            cambios.append((antes, fila))
    if not cambios:
        return
    actualizar_por_pk(
        Produccion,
        ["estatus_cobro", "version"],
        {fila.pk: [fila.estatus_cobro, fila.version] for _, fila in cambios},
        fijos={"actualizado_en": timezone.now()},
    )
    actividad.registrar_cambios_lote(usuario=usuario, cambios=cambios, campos=["estatus_cobro"])
    announce_change(Produccion)
