"""The excedente: the part of a production row beyond the authorised volume.

A line of an OT's anexo is known across the OT's family (the principal OT and its
re-programmings) and across the anexo's versions by its price-book concept (anexo +
partida). For each family and concept:

* the authorised volume is the volume of that concept in the active anexo of the family's
  newest OT that has an anexo (a re-programming's anexo restates the authorisation; a
  concept it leaves out is no longer authorised: 0);
* the rows of every OT of the family on that concept, in date order (then id), accumulate;
  a row's excedente is the part of it above the authorised volume:
  `max(0, acumulado_después - max(autorizado, acumulado_antes))`.

A soft-deleted OT is out of its family, as it is out of the dashboard's totals: its anexo
authorises nothing, its rows accumulate nothing and their excedente is 0. Deleting an OT
recomputes its family in the delete's transaction (`recalcular_familia`), so a restore must
run it too.

Each line of every anexo version keeps `ejecutado` and `excedente`: the sums over the
rows of its own OT on its concept, whatever the version they were captured against.

A row whose excedente changes gets its version raised with it: its ETag names what a
client saw, and a client holding the old excedente must not write over the new one.

`recalcular` runs in the caller's transaction with a fixed number of queries whatever the
number of rows, families and concepts touched (plus one UPDATE per 500 changed rows).
"""

from __future__ import annotations

import datetime
import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from sascop.core.db.lookups import EnLista
from sascop.core.db.queries import actualizar_por_pk
from sascop.core.signals import announce_change
from sascop.ots.models import OT
from sascop.precios.models import AnexoOT, PartidaAnexoOT
from sascop.produccion.models import Produccion

CERO = Decimal("0")
CAMPOS_LINEA = (
    "pk",
    "anexo_ot__ot_id",
    "anexo_ot__activo",
    "concepto_id",
    "volumen",
    "ejecutado",
    "excedente",
)

# (OT id, concept id): what a write touched.
Clave = tuple[int, int]


class Miembro(NamedTuple):
    raiz: int  # the family's principal OT
    numero: int  # re-programming number (0 for the principal)
    vivo: bool  # not soft-deleted


def _familias(ot_ids: set[int]) -> dict[int, Miembro]:
    """Every OT of the families of `ot_ids`, deleted ones included: id → its place."""
    raices = (
        OT.all_objects.filter(pk__in=ot_ids)
        .annotate(raiz=Coalesce("ot_principal_id", "pk"))
        .values("raiz")
    )
    return {
        pk: Miembro(principal or pk, numero, eliminado_en is None)
        for pk, principal, numero, eliminado_en in OT.all_objects.filter(
            Q(pk__in=raices) | Q(ot_principal_id__in=raices)
        ).values_list("pk", "ot_principal_id", "num_reprogramacion", "eliminado_en")
    }


def recalcular(claves: Iterable[Clave]) -> int:
    """Recompute the excedente of every row sharing a family and concept with `claves`,
    and the totals of those concepts' anexo lines. Returns how many rows changed."""
    return len(recalcular_filas(claves))


def recalcular_filas(claves: Iterable[Clave]) -> dict[int, Decimal]:
    """`recalcular`, answering the rows whose excedente changed: id → new excedente (each
    of them is one version further on)."""
    return recalcular_con_nuevas(claves)[0]


class Nueva(NamedTuple):
    """A row about to be inserted (after every row stored so far)."""

    ot_id: int
    concepto_id: int
    fecha: datetime.date
    volumen: Decimal


def recalcular_con_nuevas(
    claves: Iterable[Clave], nuevas: Sequence[Nueva] = ()
) -> tuple[dict[int, Decimal], list[Decimal]]:
    """`recalcular_filas` as if the rows `nuevas` were stored too, each after every stored
    row of its date (as a row inserted next is, by id): the stored rows whose excedente
    changed (id → new excedente) and, in the order given, the excedente each new row is to
    be inserted with. The lines' totals count the new rows. So a writer inserting many rows
    inserts them as they end up, instead of inserting and then updating each. Every new
    row's (OT, concept) must be among `claves`."""
    claves = set(claves)
    if not claves:
        return {}, []
    miembros = _familias({ot for ot, _ in claves})
    conceptos = {concepto for _, concepto in claves}
    afectadas = {(miembros[ot].raiz, concepto) for ot, concepto in claves if ot in miembros}

    # The family's newest OT (not deleted) with an active anexo authorises.
    con_anexo = set(
        AnexoOT.objects.filter(ot_id__in=miembros, activo=True).values_list("ot_id", flat=True)
    )
    autoriza: dict[int, int] = {}
    for ot_id in con_anexo:
        raiz, numero, vivo = miembros[ot_id]
        if vivo and (raiz not in autoriza or numero > miembros[autoriza[raiz]].numero):
            autoriza[raiz] = ot_id
    lineas = list(
        PartidaAnexoOT.objects.filter(
            anexo_ot__ot_id__in=miembros, concepto_id__in=conceptos
        ).values_list(*CAMPOS_LINEA)
    )
    autorizado: dict[tuple[int, int], Decimal] = {}
    for _, ot_id, activo, concepto, volumen, _, _ in lineas:
        raiz = miembros[ot_id].raiz
        if activo and autoriza.get(raiz) == ot_id:
            autorizado[(raiz, concepto)] = volumen

    filas = Produccion.objects.filter(
        ot_id__in=miembros, partida_anexo__concepto_id__in=conceptos
    ).values_list(
        "fecha_produccion", "pk", "ot_id", "partida_anexo__concepto_id", "volumen_produccion",
        "excedente",
    )  # fmt: skip
    # The new rows after the stored ones of their date: both in date order, (date, 0) for
    # a stored row and (date, 1) for a new one; ties keep each side's order (id, given).
    guardadas = (
        (fecha, 0, pk, ot_id, concepto, volumen, anterior)
        for fecha, pk, ot_id, concepto, volumen, anterior in filas.order_by(
            "fecha_produccion", "pk"
        )
    )
    por_llegar = sorted(
        ((n.fecha, 1, i, n.ot_id, n.concepto_id, n.volumen, None) for i, n in enumerate(nuevas)),
        key=lambda fila: fila[0],
    )
    todas = heapq.merge(guardadas, por_llegar, key=lambda fila: fila[:2])
    acumulado: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    por_ot: dict[Clave, list[Decimal]] = defaultdict(lambda: [CERO, CERO])
    cambiadas: dict[int, tuple[Decimal]] = {}
    de_nuevas = [CERO] * len(nuevas)
    for _, nueva, pk, ot_id, concepto, volumen, anterior in todas:
        clave = (miembros[ot_id].raiz, concepto)
        if clave not in afectadas:
            continue
        excedente = CERO
        if miembros[ot_id].vivo:
            antes = acumulado[clave]
            despues = acumulado[clave] = antes + volumen
            excedente = max(CERO, despues - max(autorizado.get(clave, CERO), antes))
        totales = por_ot[(ot_id, concepto)]
        totales[0] += volumen
        totales[1] += excedente
        if nueva:
            de_nuevas[pk] = excedente
        elif excedente != anterior:
            cambiadas[pk] = (excedente,)
    # The version too, in the same UPDATE: the row's ETag changes with its excedente.
    actualizar_por_pk(Produccion, ["excedente"], cambiadas, incrementar=["version"])

    lineas_cambiadas: dict[int, tuple[Decimal, Decimal]] = {}
    for pk, ot_id, _, concepto, _, ejecutado, excedente in lineas:
        if (miembros[ot_id].raiz, concepto) not in afectadas:
            continue
        nuevo = por_ot.get((ot_id, concepto), [CERO, CERO])
        if (ejecutado, excedente) != (nuevo[0], nuevo[1]):
            lineas_cambiadas[pk] = (nuevo[0], nuevo[1])
    actualizar_por_pk(PartidaAnexoOT, ["ejecutado", "excedente"], lineas_cambiadas)
    if cambiadas:
        announce_change(Produccion)
    return {pk: excedente for pk, (excedente,) in cambiadas.items()}, de_nuevas


def tras_importar_anexo(ot_id: int) -> None:
    """After an anexo import (in its transaction): the OT's rows move to the new active
    version's line of their concept (rows whose concept left the anexo stay on their old
    line) and the family's excedentes are recomputed, since the authorisation changed."""
    nuevas = dict(
        PartidaAnexoOT.objects.filter(anexo_ot__ot_id=ot_id, anexo_ot__activo=True).values_list(
            "concepto_id", "pk"
        )
    )
    filas = Produccion.objects.filter(ot_id=ot_id).exclude(partida_anexo_id__in=nuevas.values())
    movidas = {
        pk: (nuevas[concepto],)
        for pk, concepto in filas.values_list("pk", "partida_anexo__concepto_id")
        if concepto in nuevas
    }
    # A moved row shows another line: its ETag changes, as with its excedente.
    actualizar_por_pk(Produccion, ["partida_anexo"], movidas, incrementar=["version"])
    if movidas:
        announce_change(Produccion)
    recalcular_familia(ot_id)


def recalcular_familia(ot_id: int) -> int:
    """Recompute every concept of the OT's family: after a change of what authorises or of
    who belongs (an anexo import, an OT deleted or restored). Runs in the caller's
    transaction; returns how many rows changed."""
    # Every concept of any member's anexo: the authorising OT may have changed for each.
    miembros = _familias({ot_id})
    conceptos = set(
        PartidaAnexoOT.objects.filter(anexo_ot__ot_id__in=miembros).values_list(
            "concepto_id", flat=True
        )
    )
    return recalcular((ot_id, concepto) for concepto in conceptos)


def recalcular_todo() -> int:
    """Every row's excedente and every line's totals (after a migration or a repair)."""
    claves = set(PartidaAnexoOT.objects.values_list("anexo_ot__ot_id", "concepto_id").distinct())
    return recalcular(claves)


class Prevision(NamedTuple):
    """What a sheet needs to foresee a cell's excedente before saving it (see `prevision`)."""

    tope: Decimal  # the family's authorised volume of the concept
    previo: Decimal  # the family's volume on the concept before the month
    otros: dict[int, Decimal]  # by day of the month: the family's volume not on this sheet


def prevision(
    ot_id: int,
    conceptos: Iterable[int],
    inicio: datetime.date,
    fin: datetime.date,
    tipo_tiempo: str,
    sitio_id: int,
) -> dict[int, Prevision]:
    """By concept: the authorised volume, what was executed before `inicio` and, each day
    up to `fin`, what other sheets hold (other kinds of time, sites or OTs of the family),
    so that a grid computes a cell's excedente as `max(0, after - max(tope, before))` the
    way `recalcular_filas` does. At most five queries whatever the size."""
    conceptos = set(conceptos)
    miembros = _familias({ot_id})
    vivos = [pk for pk, m in miembros.items() if m.vivo]
    con_anexo = set(
        AnexoOT.objects.filter(ot_id__in=vivos, activo=True).values_list("ot_id", flat=True)
    )
    autoriza = max(con_anexo, key=lambda pk: miembros[pk].numero, default=None)
    tope: dict[int, Decimal] = {}
    if autoriza is not None:
        # Every line of that anexo (a few thousand at most), kept for the concepts asked: a
        # filter by the concepts made PostgreSQL look them up in every OT's lines.
        tope = {
            concepto: volumen
            for concepto, volumen in PartidaAnexoOT.objects.filter(
                anexo_ot__ot_id=autoriza, anexo_ot__activo=True
            ).values_list("concepto_id", "volumen")
            if concepto in conceptos
        }
    familia = Produccion.objects.filter(
        EnLista(F("partida_anexo__concepto_id"), conceptos), ot_id__in=vivos
    ).order_by()
    previo = dict(
        familia.filter(fecha_produccion__lt=inicio)
        .values_list("partida_anexo__concepto_id")
        .annotate(total=Sum("volumen_produccion"))
        .values_list("partida_anexo__concepto_id", "total")
    )
    otros: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for concepto, fecha, total in (
        familia.filter(fecha_produccion__range=(inicio, fin))
        .exclude(ot_id=ot_id, tipo_tiempo=tipo_tiempo, sitio_id=sitio_id)
        .values_list("partida_anexo__concepto_id", "fecha_produccion")
        .annotate(total=Sum("volumen_produccion"))
        .values_list("partida_anexo__concepto_id", "fecha_produccion", "total")
    ):
        otros[concepto][fecha.day] = total
    return {
        c: Prevision(tope.get(c, CERO), previo.get(c) or CERO, otros.get(c, {})) for c in conceptos
    }
