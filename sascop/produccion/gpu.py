"""The GPU board: the evidence of the production of an OT's anexo C-2 and C-3 lines.

Each production row of such a line has a GPU record (`RegistroGPU`): the state of its
evidence (the daily report's four), a link to it and a note. A row without a record reads
as PENDIENTE; a write creates the record. A day whose daily report is FIRMADO (OT, site,
date) keeps its records as they are, and only those who sign daily reports may set or clear
a record's FIRMADO.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.core import excel
from sascop.core.db.queries import bloquear_o_404
from sascop.core.errors import Conflict, InvalidInput
from sascop.ots.models import OT
from sascop.produccion import selectors, services
from sascop.produccion.models import Produccion, RegistroGPU, ReporteDiario

ANEXOS = ("C-2", "C-3")
ESTADOS = list(ReporteDiario.Estatus.values)
MAX_NOTA = 2000
_CAMPOS = ("estatus", "evidencia", "nota")
_FILA = (
    "pk",
    "partida_anexo_id",
    "partida_anexo__concepto__anexo__clave",
    "partida_anexo__concepto__partida",
    "partida_anexo__concepto__concepto",
    "partida_anexo__concepto__unidad",
    "tipo_tiempo",
    "sitio_id",
    "sitio__descripcion",
    "fecha_produccion",
    "volumen_produccion",
    "gpu__estatus",
    "gpu__evidencia",
    "gpu__nota",
)


def tablero(*, ot_id: int, anio: int, mes: int) -> dict[str, Any]:
    """The OT's GPU board of a month: one entry per production row of its C-2 and C-3
    lines (line order, then kind of time, site and date) with its GPU state, evidence link
    and note, and whether its day is signed off (`dia_firmado`: the record cannot change).
    Three queries, whatever the size."""
    ot = selectors.ot_o_404(ot_id)
    inicio, fin, n = selectors.mes_de(anio, mes)
    filas = list(
        Produccion.objects.filter(
            ot_id=ot_id,
            fecha_produccion__range=(inicio, fin),
            partida_anexo__concepto__anexo__clave__in=ANEXOS,
        )
        .order_by(
            "partida_anexo__orden",
            "partida_anexo_id",
            "tipo_tiempo",
            "sitio__descripcion",
            "sitio_id",
            "fecha_produccion",
        )
        .values_list(*_FILA)
    )
    firmados = set(
        ReporteDiario.objects.filter(
            ot_id=ot_id, fecha__range=(inicio, fin), estatus=ReporteDiario.Estatus.FIRMADO
        ).values_list("sitio_id", "fecha")
    )
    registros = []
    for (pk, linea, anexo, partida, concepto, unidad, tipo, sitio, sitio_desc, fecha, volumen,
         estatus, evidencia, nota) in filas:  # fmt: skip
        registros.append(
            {
                "produccion": pk,
                "partida_anexo": linea,
                "anexo": anexo,
                "partida": partida,
                "concepto": concepto,
                "unidad": unidad,
                "tipo_tiempo": tipo,
                "sitio": sitio,
                "sitio_descripcion": sitio_desc,
                "fecha": fecha.isoformat(),
                "dia": fecha.day,
                "volumen": format(volumen, "f"),
                "estatus": estatus or ReporteDiario.Estatus.PENDIENTE,
                "evidencia": evidencia or "",
                "nota": nota or "",
                "dia_firmado": (sitio, fecha) in firmados,
            }
        )
    return {
        "ot": ot.pk,
        "orden_trabajo": str(ot),
        "anio": anio,
        "mes": mes,
        "dias": list(range(1, n + 1)),
        "registros": registros,
    }


def _leer(registros: Any, tablero_: dict[str, Any]) -> dict[int, dict[str, str]]:
    """Production id → the fields sent, checked; every mistake named (400)."""
    if not isinstance(registros, list):
        raise InvalidInput(fields={"registros": [gettext("Send the list of records.")]})
    del_tablero = {r["produccion"] for r in tablero_["registros"]}
    errores: dict[str, list[str]] = {}
    leidos: dict[int, dict[str, str]] = {}
    for index, registro in enumerate(registros):
        prefijo = f"registros[{index}]"
        if not isinstance(registro, dict):
            errores[prefijo] = [gettext('Send an object {"produccion", "estatus", …}.')]
            continue
        produccion: Any = registro.get("produccion")
        if not services._entero(produccion) or produccion not in del_tablero:
            errores[f"{prefijo}.produccion"] = [
                gettext("Not a production row of a C-2 or C-3 line of this OT and month.")
            ]
            continue
        if produccion in leidos:
            errores[f"{prefijo}.produccion"] = [gettext("Sent twice.")]
            continue
        campos: dict[str, str] = {}
        if "estatus" in registro:
            if registro["estatus"] not in ESTADOS:
                errores[f"{prefijo}.estatus"] = [
                    gettext("Use one of: %(valores)s.") % {"valores": ", ".join(ESTADOS)}
                ]
            else:
                campos["estatus"] = registro["estatus"]
        if "evidencia" in registro:
            try:
                campos["evidencia"] = services.leer_enlace(registro["evidencia"])
            except ValueError as exc:
                errores[f"{prefijo}.evidencia"] = [str(exc)]
        if "nota" in registro:
            nota = registro["nota"] if registro["nota"] is not None else ""
            if not isinstance(nota, str):
                errores[f"{prefijo}.nota"] = [gettext("Send the note as text.")]
            elif len(nota) > MAX_NOTA:
                errores[f"{prefijo}.nota"] = [
                    gettext("At most %(n)s characters.") % {"n": MAX_NOTA}
                ]
            else:
                campos["nota"] = nota.strip()
        leidos[produccion] = campos
    if errores:
        raise InvalidInput(
            gettext("Some records are not valid; nothing was saved."), fields=errores
        )
    return leidos


@transaction.atomic
def gpu_guardar(
    *,
    usuario: User,
    ot_id: int,
    anio: int,
    mes: int,
    registros: Any,
    if_match: str | None = None,
) -> None:
    """Set the GPU state, evidence link and note of production rows of the board:
    `registros` as the GET gives them (only `produccion`, `estatus`, `evidencia` and `nota`
    are read; a field left out is left alone, rows not sent too). All or nothing: a bad
    record is a 400 naming it (`registros[2].evidencia`), a change on a signed-off day a
    409 (`firmados`), setting or clearing FIRMADO without the signing permissions a 403, a
    stale `if_match` a 412. Each change is logged."""
    bloquear_o_404(OT.objects.all(), ot_id, "OT")
    actual = tablero(ot_id=ot_id, anio=anio, mes=mes)
    if if_match is not None:
        services._exigir_etiqueta(if_match, selectors.etiqueta(actual))
    pedidos = _leer(registros, actual)
    por_id = {r["produccion"]: r for r in actual["registros"]}
    cambian: dict[int, dict[str, str]] = {}
    for produccion, campos in pedidos.items():
        antes = por_id[produccion]
        nuevos = {c: campos.get(c, antes[c]) for c in _CAMPOS}
        if any(nuevos[c] != antes[c] for c in _CAMPOS):
            cambian[produccion] = nuevos
    firmados = [por_id[p] for p in cambian if por_id[p]["dia_firmado"]]
    if firmados:
        raise Conflict(
            gettext(
                "The daily report of %(dias)s is signed off (FIRMADO); its GPU records cannot "
                "change."
            )
            % {"dias": ", ".join(sorted({r["fecha"] for r in firmados}))},
            firmados=[
                {"produccion": r["produccion"], "sitio": r["sitio"], "fecha": r["fecha"]}
                for r in firmados
            ],
        )
    firmado = ReporteDiario.Estatus.FIRMADO
    for produccion, nuevos in cambian.items():
        if firmado in (por_id[produccion]["estatus"], nuevos["estatus"]) and (
            nuevos["estatus"] != por_id[produccion]["estatus"]
        ):
            services.exigir_firma(
                usuario, gettext("GPU record of production row %(id)s") % {"id": produccion}
            )
    if not cambian:
        return
    services.exigir_sin_candados(
        list(
            Produccion.objects.filter(
                pk__in=[
                    p
                    for p, nuevos in cambian.items()
                    if por_id[p]["estatus"] == firmado != nuevos["estatus"]
                ]
            )
        )
    )
    editor = usuario if usuario.is_authenticated else None
    ahora = timezone.now()
    guardados = {
        r.produccion_id: r
        for r in RegistroGPU.objects.filter(produccion_id__in=cambian).select_related(
            "produccion__ot"
        )
    }
    filas = {
        f.pk: f
        for f in Produccion.objects.filter(pk__in=set(cambian) - set(guardados)).select_related(
            "ot"
        )
    }
    creados, cambiados = [], []
    for produccion, nuevos in sorted(cambian.items()):
        registro = guardados.get(produccion)
        if registro is None:
            creados.append(
                RegistroGPU(produccion=filas[produccion], actualizado_por=editor, **nuevos)
            )
            continue
        antes = copy.copy(registro)
        for campo, valor in nuevos.items():
            setattr(registro, campo, valor)
        registro.actualizado_por = editor
        registro.actualizado_en = ahora
        cambiados.append((antes, registro))
    RegistroGPU.objects.bulk_create(creados)
    RegistroGPU.objects.bulk_update(
        [r for _, r in cambiados], [*_CAMPOS, "actualizado_por", "actualizado_en"]
    )
    actividad.registrar_creaciones(usuario=usuario, instancias=creados)
    actividad.registrar_cambios_lote(
        usuario=usuario, cambios=cambiados, campos=[*_CAMPOS, "actualizado_por"]
    )


def tablero_xlsx(datos: dict[str, Any]) -> FileResponse:
    """The board as a workbook: one row per production row, its GPU state, link and note."""
    columnas = [
        excel.Columna(pgettext_lazy("sheet header", "ANEXO"), 9),
        excel.Columna(pgettext_lazy("sheet header", "PARTIDA"), 10),
        excel.Columna(pgettext_lazy("sheet header", "CONCEPT"), 50),
        excel.Columna(pgettext_lazy("sheet header", "UNIT"), 10),
        excel.Columna(pgettext_lazy("GPU sheet header", "DATE"), 12, excel.FECHA),
        excel.Columna(pgettext_lazy("GPU sheet header", "TIME"), 7),
        excel.Columna(pgettext_lazy("GPU sheet header", "SITE"), 24),
        excel.Columna(pgettext_lazy("GPU sheet header", "VOLUME"), 14, excel.VOLUMEN),
        excel.Columna(pgettext_lazy("GPU sheet header", "GPU STATUS"), 20),
        excel.Columna(pgettext_lazy("GPU sheet header", "EVIDENCE"), 50),
        excel.Columna(pgettext_lazy("GPU sheet header", "NOTE"), 40),
        excel.Columna(pgettext_lazy("GPU sheet header", "DAY SIGNED OFF"), 10),
    ]
    si, no = pgettext_lazy("yes or no", "Yes"), pgettext_lazy("yes or no", "No")

    def filas() -> Iterator[list[Any]]:
        for r in datos["registros"]:
            yield [
                r["anexo"],
                r["partida"],
                r["concepto"],
                r["unidad"],
                datetime.date.fromisoformat(r["fecha"]),
                r["tipo_tiempo"],
                r["sitio_descripcion"],
                Decimal(r["volumen"]),
                r["estatus"],
                r["evidencia"],
                r["nota"],
                si if r["dia_firmado"] else no,
            ]

    return excel.respuesta_xlsx(
        columnas,
        filas(),
        nombre=f"gpu-ot{datos['ot']}-{datos['anio']}-{datos['mes']:02d}",
        hoja=pgettext_lazy("workbook sheet", "GPU"),
    )
