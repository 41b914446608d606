"""The site board: one site's month as its superintendent sees it. Every OT active there that
month, one row each, with the amount it executed per day (M.N.), the days outside the OT's
dates marked, each day's daily-report state, and who is on duty each day.

An OT is there when the site is one of its places (`sitio` or one of `LUGARES`) and its
programmed or real dates overlap the month, or when it reported production at the site that
month (production rows carry their own site). The board is read-only: each row links to the
OT's sheet (sábana) at this site, where production is captured.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from sascop.catalogos import guardias
from sascop.catalogos.models import Sitio, Superintendente
from sascop.ots.models import LUGARES, OT
from sascop.precios.models import importe
from sascop.produccion.models import Produccion, ReporteDiario


@dataclass
class DiaOT:
    dia: int
    dentro: bool  # within the OT's programmed or real dates
    importe: Decimal | None  # executed that day at the site, M.N.; None: nothing
    estado: str | None  # the daily report's state (PENDIENTE when none was set); None: no day


@dataclass
class FilaOT:
    ot: OT
    dias: list[DiaOT]
    total: Decimal
    rangos: list[tuple[datetime.date, datetime.date]]


@dataclass
class Tablero:
    sitio: Sitio
    anio: int
    mes: int
    fechas: list[datetime.date]
    filas: list[FilaOT]
    totales: list[Decimal]  # per day
    total: Decimal
    guardias: dict[int, Superintendente | None] = field(default_factory=dict)


def mes_de(anio: int, mes: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(anio, mes, 1), datetime.date(anio, mes, calendar.monthrange(anio, mes)[1])


def rangos_de(ot: OT, fin_del_mes: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The OT's programmed and real date ranges. A programmed range without its end lasts
    its `plazo_dias` (or its first day); a real one begun and not finished is still running
    (to the month's end)."""
    rangos = []
    if ot.fecha_inicio_programado:
        fin = ot.fecha_termino_programado
        if fin is None:
            dias = (ot.plazo_dias or 1) - 1
            fin = ot.fecha_inicio_programado + datetime.timedelta(days=dias)
        rangos.append((ot.fecha_inicio_programado, fin))
    if ot.fecha_inicio_real:
        rangos.append((ot.fecha_inicio_real, ot.fecha_termino_real or fin_del_mes))
    return rangos


def _en_sitio(sitio_id: int) -> Q:
    lugares = Q(sitio_id=sitio_id)
    for lugar in LUGARES:
        lugares |= Q(**{f"{lugar}_id": sitio_id})
    return lugares


def _cruza_el_mes(inicio: datetime.date, fin: datetime.date) -> Q:
    """A loose filter (the exact ranges are `rangos_de`'s): some start before the month
    ends, and not every end before it begins."""
    empieza = Q(fecha_inicio_programado__lte=fin) | Q(fecha_inicio_real__lte=fin)
    sigue = (
        Q(fecha_termino_programado__gte=inicio)
        | Q(fecha_termino_programado__isnull=True, fecha_inicio_programado__isnull=False)
        | Q(fecha_termino_real__gte=inicio)
        | Q(fecha_inicio_real__isnull=False, fecha_termino_real__isnull=True)
    )
    return empieza & sigue


def tablero_sitio(*, sitio: Sitio, anio: int, mes: int, con_guardias: bool = True) -> Tablero:
    """The site's board for the month (four queries: OTs, production, reports, guards)."""
    inicio, fin = mes_de(anio, mes)
    fechas = [inicio + datetime.timedelta(days=n) for n in range(fin.day)]
    produccion = Produccion.objects.filter(sitio_id=sitio.pk, fecha_produccion__range=(inicio, fin))
    ots = list(
        OT.objects.filter(eliminado_en__isnull=True)
        .filter(
            (_en_sitio(sitio.pk) & _cruza_el_mes(inicio, fin))
            | Q(pk__in=produccion.values("ot_id"))
        )
        .only(
            "id",
            "orden_trabajo",
            "num_reprogramacion",
            "descripcion_trabajo",
            "estatus",
            "plazo_dias",
            "fecha_inicio_programado",
            "fecha_termino_programado",
            "fecha_inicio_real",
            "fecha_termino_real",
        )
        .order_by("orden_trabajo", "num_reprogramacion", "pk")
    )
    ids = [ot.pk for ot in ots]
    importes: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    # Per line and day: the line's price times the day's volume (every kind of time).
    for ot_id, fecha, pu_mn, volumen in (
        produccion.filter(ot_id__in=ids)
        .values("ot_id", "fecha_produccion", "partida_anexo_id")
        .annotate(volumen=Sum("volumen_produccion"))
        .values_list("ot_id", "fecha_produccion", "partida_anexo__pu_mn", "volumen")
        .order_by()
    ):
        importes[(ot_id, fecha.day)] += importe(volumen, pu_mn)
    estados = {
        (ot_id, fecha.day): estatus
        for ot_id, fecha, estatus in ReporteDiario.objects.filter(
            sitio_id=sitio.pk, fecha__range=(inicio, fin), ot_id__in=ids
        ).values_list("ot_id", "fecha", "estatus")
    }
    filas = []
    totales = [Decimal(0)] * len(fechas)
    for ot in ots:
        rangos = rangos_de(ot, fin)
        dias = []
        for n, fecha in enumerate(fechas):
            dentro = any(desde <= fecha <= hasta for desde, hasta in rangos)
            hecho = importes.get((ot.pk, fecha.day))
            con_dia = dentro or hecho is not None
            dias.append(
                DiaOT(
                    dia=fecha.day,
                    dentro=dentro,
                    importe=hecho,
                    estado=estados.get((ot.pk, fecha.day), ReporteDiario.Estatus.PENDIENTE)
                    if con_dia
                    else None,
                )
            )
            if hecho is not None:
                totales[n] += hecho
        # An OT whose dates only brush the month loosely (see `_cruza_el_mes`) and that did
        # nothing at the site is not active there.
        if not any(d.dentro or d.importe is not None for d in dias):
            continue
        total = sum((d.importe for d in dias if d.importe is not None), Decimal(0))
        filas.append(FilaOT(ot=ot, dias=dias, total=total, rangos=rangos))
    return Tablero(
        sitio=sitio,
        anio=anio,
        mes=mes,
        fechas=fechas,
        filas=filas,
        totales=totales,
        total=sum(totales, Decimal(0)),
        guardias=guardias.calendario(sitio_id=sitio.pk, anio=anio, mes=mes) if con_guardias else {},
    )
