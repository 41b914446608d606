"""Dashboard aggregates over PTEs, OTs and production.

The whole dashboard (no filter) is read from running totals that database triggers keep
(models.py, resumenes.py): a few hundred rows whatever the size of the data, exact after every
write, with or without Redis. A filtered dashboard (dates, client) is computed from the rows
(`calcular()`), cached with Redis until a PTE, OT or production row changes; `calcular()`
without a filter is also the reference the tests compare the running totals with.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.catalogos.models import Cliente
from sascop.core.cache.datacache import cached
from sascop.estadisticas.models import (
    ResumenAnexo,
    ResumenOT,
    ResumenOTTermino,
    ResumenProduccion,
    ResumenPTE,
    ResumenPTEVence,
)
from sascop.ots.models import OT
from sascop.ots.selectors import atrasadas_q, con_montos
from sascop.precios.models import AnexoOT
from sascop.produccion.models import Produccion
from sascop.ptes.models import PTE


@dataclass(frozen=True)
class FiltroTablero:
    """What the dashboard may be narrowed to: a date range and a client.

    The dates apply to each figure's own date: a PTE's `fecha_solicitud`, an OT's
    `fecha_inicio_programado` (OTs without one are left out of a dated view) and a
    production row's `fecha_produccion`.
    """

    desde: datetime.date | None = None
    hasta: datetime.date | None = None
    cliente_id: int | None = None

    @property
    def vacio(self) -> bool:
        return self.desde is None and self.hasta is None and self.cliente_id is None

    def clave(self) -> str:
        """A cache-key suffix: the same filter, the same key."""
        partes = (self.desde, self.hasta, self.cliente_id)
        return ":".join("" if p is None else str(p) for p in partes)


SIN_FILTRO = FiltroTablero()


def _entre(queryset: QuerySet[Any], campo: str, filtro: FiltroTablero) -> QuerySet[Any]:
    if filtro.desde is not None:
        queryset = queryset.filter(**{f"{campo}__gte": filtro.desde})
    if filtro.hasta is not None:
        queryset = queryset.filter(**{f"{campo}__lte": filtro.hasta})
    return queryset


def _bases(filtro: FiltroTablero) -> tuple[QuerySet[PTE], QuerySet[OT], QuerySet[Produccion]]:
    """The PTEs, OTs and production rows the dashboard counts under `filtro`."""
    ptes = _entre(PTE.objects.all(), "fecha_solicitud", filtro)
    ots = _entre(OT.objects.all(), "fecha_inicio_programado", filtro)
    produccion = _entre(
        Produccion.objects.filter(ot__eliminado_en__isnull=True), "fecha_produccion", filtro
    )
    if filtro.cliente_id is not None:
        ptes = ptes.filter(cliente_id=filtro.cliente_id)
        ots = ots.filter(cliente_id=filtro.cliente_id)
        produccion = produccion.filter(ot__cliente_id=filtro.cliente_id)
    return ptes, ots, produccion


# A dated dashboard charts at most this many months (the last ones of the range).
MESES_MAXIMOS = 36


def _meses(filtro: FiltroTablero, hoy: datetime.date) -> list[datetime.date]:
    """The months the production chart shows: the last 12, or those of the date range."""
    if filtro.desde is None and filtro.hasta is None:
        return _months_back(hoy, 12)
    fin = filtro.hasta or hoy
    inicio = filtro.desde or fin
    cuenta = (fin.year - inicio.year) * 12 + fin.month - inicio.month + 1
    return _months_back(fin, max(1, min(cuenta, MESES_MAXIMOS)))


def _money(values: list[Decimal | None]) -> Decimal:
    return sum((v or Decimal(0) for v in values), Decimal(0)).quantize(Decimal("0.01"))


def _volume(value: Decimal | None) -> Decimal:
    # Rounded to the stored precision: SQLite's SUM drifts in the last digits.
    return (value or Decimal(0)).quantize(Decimal("0.0001"))


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _figuras(
    ptes: dict[int, int],
    ots_rows: list[dict[str, Any]],
    total_produccion: int,
    volumen_total: Decimal | None,
    por_mes: dict[datetime.date, Decimal | None],
    meses: list[datetime.date],
) -> dict[str, Any]:
    return {
        "total_ptes": sum(ptes.values()),
        "total_otes": sum(row["n"] for row in ots_rows),
        "total_produccion": total_produccion,
        "volumen_total": _volume(volumen_total),
        "ptes_por_estatus": [
            {"estatus": e.value, "estatus_texto": e.label, "total": ptes.get(e.value, 0)}
            for e in EstatusPTE
        ],
        "otes_por_estatus": [
            {
                "estatus": e.value,
                "estatus_texto": e.label,
                "total": next((r["n"] for r in ots_rows if r["estatus"] == e.value), 0),
            }
            for e in EstatusOT
        ],
        "montos_ot": {
            "mxn": _money([r["mxn"] for r in ots_rows]),
            "usd": _money([r["usd"] for r in ots_rows]),
        },
        "produccion_por_mes": [
            {"mes": mes.strftime("%Y-%m"), "volumen": _volume(por_mes.get(mes))} for mes in meses
        ],
    }


def calcular(filtro: FiltroTablero = SIN_FILTRO) -> dict[str, Any]:
    """The dashboard figures as Python values (Decimal sums) computed from the rows;
    `EstadisticasSerializer` renders them for the API and the dashboard page shows them as
    they are. `filtro` narrows every figure to a date range and a client (the page's
    filters)."""
    ptes_qs, ots_qs, produccion = _bases(filtro)
    ptes = {row["estatus"]: row["n"] for row in ptes_qs.values("estatus").annotate(n=Count("id"))}
    ots_rows = list(
        con_montos(ots_qs)
        .values("estatus")
        .annotate(n=Count("id"), mxn=Sum("monto_contratado_mxn"), usd=Sum("monto_contratado_usd"))
    )
    totales = produccion.aggregate(n=Count("id"), volumen=Sum("volumen_produccion"))
    meses = _meses(filtro, timezone.localdate())
    por_mes = {
        row["mes"]: row["volumen"]
        for row in produccion.filter(fecha_produccion__gte=meses[0])
        .annotate(mes=TruncMonth("fecha_produccion"))
        .values("mes")
        .annotate(volumen=Sum("volumen_produccion"))
    }
    return _figuras(
        ptes, [dict(r) for r in ots_rows], totales["n"], totales["volumen"], por_mes, meses
    )


def _centavos(value: int | None) -> Decimal:
    return Decimal(value or 0).scaleb(-2)


def _diezmilesimas(value: int | None) -> Decimal:
    return Decimal(value or 0).scaleb(-4)


def _desde_totales(ajustes: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The unfiltered dashboard from the running totals: three queries over a few hundred
    rows (more between two compactions), and no write."""
    # Reads only: the ledgers are folded by `manage.py recalcular_resumenes --compactar`, a
    # scheduled job (see resumenes.py), never by a request that reads.
    ptes_rows = list(ResumenPTE.objects.values("estatus").annotate(n=Sum("total")))
    ots_rows = list(
        ResumenOT.objects.values("estatus").annotate(
            n=Sum("total"), mxn=Sum("mxn_centavos"), usd=Sum("usd_centavos")
        )
    )
    mes_rows = list(
        ResumenProduccion.objects.values("mes").annotate(
            n=Sum("total"), volumen=Sum("volumen_diezmilesimas")
        )
    )
    if ajustes is None:
        ajustes = ajustes_por_anexo()
    filas_ot: list[dict[str, Any]] = []
    for r in ots_rows:
        fila: dict[str, Any] = {**r, "mxn": _centavos(r["mxn"]), "usd": _centavos(r["usd"])}
        for ajuste in ajustes:
            if ajuste["estatus"] == r["estatus"]:
                fila["mxn"] += ajuste["mxn"]
                fila["usd"] += ajuste["usd"]
        filas_ot.append(fila)
    return _figuras(
        {r["estatus"]: r["n"] for r in ptes_rows},
        filas_ot,
        sum(r["n"] for r in mes_rows),
        _diezmilesimas(sum(r["volumen"] for r in mes_rows)),
        {r["mes"]: _diezmilesimas(r["volumen"]) for r in mes_rows},
        _months_back(timezone.localdate(), 12),
    )


def ajustes_por_anexo() -> list[dict[str, Any]]:
    """What the running totals (which add the amounts typed) miss of the contracted amounts:
    per status and client, the active anexos' totals minus the amounts typed of their OTs.
    From their own running totals (`ResumenAnexo`, kept by triggers like the others): one
    query over a few hundred rows."""
    rows = ResumenAnexo.objects.values("estatus", "cliente_id").annotate(
        mxn=Sum("mxn_centavos"), usd=Sum("usd_centavos")
    )
    return [
        {
            "estatus": row["estatus"],
            "cliente_id": row["cliente_id"],
            "mxn": _money([_centavos(row["mxn"])]),
            "usd": _money([_centavos(row["usd"])]),
        }
        for row in rows
    ]


def ejecutado_por_mes(desde: datetime.date) -> dict[str, Decimal]:
    """The amount executed (production times its line's P.U. M.N.) per month (`YYYY-MM`) from
    the month of `desde` on, over OTs not deleted: from the running totals, one query over a
    few hundred rows instead of every production row."""
    rows = (
        ResumenProduccion.objects.filter(mes__gte=desde.replace(day=1))
        .values("mes")
        .annotate(n=Sum("total"), importe=Sum("importe_mn_millonesimas"))
    )
    return {
        row["mes"].strftime("%Y-%m"): Decimal(row["importe"]).scaleb(-6) for row in rows if row["n"]
    }


def estadisticas(
    filtro: FiltroTablero = SIN_FILTRO, ajustes: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The dashboard: from the running totals without a filter (completed by `ajustes`, read
    here unless the caller has read them for `montos_por_cliente` too); narrowed by
    `filtro`, computed from the rows and cached until a PTE, OT or production row changes
    (with Redis)."""
    if filtro.vacio:
        return _desde_totales(ajustes)
    clave = f"estadisticas:{timezone.localdate().isoformat()}"
    if not filtro.vacio:
        clave = f"{clave}:{filtro.clave()}"
    return cached(clave, [PTE, OT, Produccion, AnexoOT], lambda: calcular(filtro))


def calcular_montos_por_cliente(
    limite: int = 10, filtro: FiltroTablero = SIN_FILTRO
) -> list[dict[str, Any]]:
    """`montos_por_cliente()` from the OT rows themselves (the reference for the totals)."""
    _, ots, _ = _bases(filtro)
    rows = (
        con_montos(ots)
        .values("cliente_id", "cliente__descripcion")
        .annotate(n=Count("id"), mxn=Sum("monto_contratado_mxn"), usd=Sum("monto_contratado_usd"))
        .order_by("-mxn", "-usd", "cliente__descripcion")[:limite]
    )
    return [
        {
            "cliente_id": row["cliente_id"],
            "cliente": row["cliente__descripcion"],
            "total_otes": row["n"],
            "mxn": _money([row["mxn"]]),
            "usd": _money([row["usd"]]),
        }
        for row in rows
    ]


def montos_por_cliente(
    limite: int = 10,
    filtro: FiltroTablero = SIN_FILTRO,
    ajustes: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """OT amounts (MXN and USD) per client, largest MXN first, for the `limite` largest
    clients; soft-deleted OTs excluded; narrowed by `filtro`. One query: over the running
    totals without a filter (and `ajustes`, as for `estadisticas()`), else over the OTs and
    cached like `estadisticas()`."""
    if filtro.vacio:
        return _montos_desde_totales(limite, ajustes)
    clave = f"montos_por_cliente:{limite}"
    if not filtro.vacio:
        clave = f"{clave}:{filtro.clave()}"
    return cached(clave, [OT, AnexoOT], lambda: calcular_montos_por_cliente(limite, filtro))


def _montos_desde_totales(
    limite: int, ajustes: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    # Every client's totals (a client has a row per status): the anexos' adjustments may
    # change which are the largest, so the order and the limit are applied after them.
    rows = (
        ResumenOT.objects.values("cliente_id")
        .annotate(
            descripcion=Subquery(
                Cliente.objects.filter(pk=OuterRef("cliente_id")).values("descripcion")[:1]
            ),
            n=Sum("total"),
            mxn=Sum("mxn_centavos"),
            usd=Sum("usd_centavos"),
        )
        .filter(n__gt=0)
    )
    por_cliente: dict[int, list[Decimal]] = {}
    for ajuste in ajustes_por_anexo() if ajustes is None else ajustes:
        suma = por_cliente.setdefault(ajuste["cliente_id"], [Decimal("0.00"), Decimal("0.00")])
        suma[0] += ajuste["mxn"]
        suma[1] += ajuste["usd"]
    montos = []
    for row in rows:
        mxn, usd = por_cliente.get(row["cliente_id"], [Decimal("0.00"), Decimal("0.00")])
        montos.append(
            {
                "cliente_id": row["cliente_id"],
                "cliente": row["descripcion"],
                "total_otes": row["n"],
                "mxn": _centavos(row["mxn"]) + mxn,
                "usd": _centavos(row["usd"]) + usd,
            }
        )
    montos.sort(key=lambda m: (-m["mxn"], -m["usd"], m["cliente"] or ""))
    return montos[:limite]


def ots_atrasadas(filtro: FiltroTablero, hoy: datetime.date) -> QuerySet[OT]:
    """The OTs the dashboard counts under `filtro` that are late on `hoy` (past their
    programmed end, neither Terminada nor Cancelada), most late first: the same rows as the
    OT list with `atrasadas=true` and the dashboard's filters."""
    _, ots, _ = _bases(filtro)
    return (
        ots.filter(atrasadas_q(hoy))
        .select_related("cliente", "responsable_proyecto")
        .order_by("fecha_termino_programado", "id")
    )


def total_ptes_vencidas(hoy: datetime.date) -> int:
    """How many PTEs are overdue on `hoy` (`ptes.selectors.ptes_vencidas(hoy).count()`), from
    the running totals: a sum over one row per due date instead of a count over every
    overdue PTE."""
    return ResumenPTEVence.objects.filter(vence__lt=hoy).aggregate(n=Sum("total"))["n"] or 0


def total_ots_atrasadas(hoy: datetime.date) -> int:
    """How many OTs are late on `hoy` (`ots_atrasadas(SIN_FILTRO, hoy).count()`), from the
    running totals: a sum over one row per programmed end."""
    return ResumenOTTermino.objects.filter(termino__lt=hoy).aggregate(n=Sum("total"))["n"] or 0
