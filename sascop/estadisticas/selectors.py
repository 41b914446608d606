"""Dashboard aggregates over PTEs, OTs and production.

`estadisticas()` and `montos_por_cliente()` read the running totals that database triggers
keep (models.py, resumenes.py): a few hundred rows whatever the size of the data, exact after
every write, with or without Redis. `calcular()` computes the same figures from the rows
themselves; it is the reference the tests compare the totals with.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.catalogos.models import Cliente
from sascop.estadisticas import resumenes
from sascop.estadisticas.models import ResumenOT, ResumenProduccion, ResumenPTE
from sascop.ots.models import OT
from sascop.produccion.models import Produccion
from sascop.ptes.models import PTE


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


def _centavos(value: int | None) -> Decimal:
    return Decimal(value or 0).scaleb(-2)


def _diezmilesimas(value: int | None) -> Decimal:
    return Decimal(value or 0).scaleb(-4)


def estadisticas() -> dict[str, Any]:
    """The dashboard figures as Python values (Decimal sums), from the running totals: three
    queries over a few hundred rows. `EstadisticasSerializer` renders them for the API and the
    dashboard page shows them as they are."""
    ptes_rows = list(
        ResumenPTE.objects.values("estatus").annotate(n=Sum("total"), filas=Count("id"))
    )
    ots_rows = list(
        ResumenOT.objects.values("estatus").annotate(
            n=Sum("total"),
            mxn=Sum("mxn_centavos"),
            usd=Sum("usd_centavos"),
            filas=Count("id"),
            claves=Count("cliente_id", distinct=True),
        )
    )
    mes_rows = list(
        ResumenProduccion.objects.values("mes").annotate(
            n=Sum("total"), volumen=Sum("volumen_diezmilesimas"), filas=Count("id")
        )
    )
    # Rows beyond one per key are deltas not yet folded: fold them once there are many.
    pendientes = sum(r["filas"] - 1 for r in ptes_rows + mes_rows) + sum(
        r["filas"] - r["claves"] for r in ots_rows
    )
    if pendientes > resumenes.LIMITE_FILAS:
        resumenes.compactar()
    meses = _months_back(timezone.localdate(), 12)
    return _figuras(
        {r["estatus"]: r["n"] for r in ptes_rows},
        [{**r, "mxn": _centavos(r["mxn"]), "usd": _centavos(r["usd"])} for r in ots_rows],
        sum(r["n"] for r in mes_rows),
        _diezmilesimas(sum(r["volumen"] for r in mes_rows)),
        {r["mes"]: _diezmilesimas(r["volumen"]) for r in mes_rows},
        meses,
    )


def calcular() -> dict[str, Any]:
    """The same figures as `estadisticas()`, computed from the PTE, OT and production rows
    themselves (seconds at a million rows): the reference for the running totals."""
    ptes = {
        row["estatus"]: row["n"] for row in PTE.objects.values("estatus").annotate(n=Count("id"))
    }
    ots_rows = list(
        OT.objects.values("estatus").annotate(
            n=Count("id"), mxn=Sum("monto_mxn"), usd=Sum("monto_usd")
        )
    )
    produccion = Produccion.objects.filter(ot__eliminado_en__isnull=True)
    totales = produccion.aggregate(n=Count("id"), volumen=Sum("volumen_produccion"))
    meses = _months_back(timezone.localdate(), 12)
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


def calcular_montos_por_cliente(limite: int = 10) -> list[dict[str, Any]]:
    """`montos_por_cliente()` from the OT rows themselves: the reference for the totals."""
    rows = (
        OT.objects.values("cliente_id", "cliente__descripcion")
        .annotate(n=Count("id"), mxn=Sum("monto_mxn"), usd=Sum("monto_usd"))
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


def montos_por_cliente(limite: int = 10) -> list[dict[str, Any]]:
    """OT amounts (MXN and USD) per client, largest MXN first, for the `limite` largest
    clients; soft-deleted OTs excluded. One query over the running totals."""
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
        .order_by("-mxn", "-usd", "descripcion")[:limite]
    )
    return [
        {
            "cliente_id": row["cliente_id"],
            "cliente": row["descripcion"],
            "total_otes": row["n"],
            "mxn": _centavos(row["mxn"]),
            "usd": _centavos(row["usd"]),
        }
        for row in rows
    ]
