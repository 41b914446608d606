"""Dashboard aggregates over PTEs, OTs and production, in a constant number of queries.

With Redis the answer is cached until a PTE, OT or production row changes (core.datacache).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.core.datacache import cached
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


def calcular() -> dict[str, Any]:
    """The dashboard figures as Python values (Decimal sums); `EstadisticasSerializer` renders
    them for the API and the dashboard page shows them as they are."""
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
    return {
        "total_ptes": sum(ptes.values()),
        "total_otes": sum(row["n"] for row in ots_rows),
        "total_produccion": totales["n"],
        "volumen_total": _volume(totales["volumen"]),
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


def estadisticas() -> dict[str, Any]:
    """The dashboard, cached until a PTE, OT or production row changes (with Redis)."""
    return cached(
        f"estadisticas:{timezone.localdate().isoformat()}", [PTE, OT, Produccion], calcular
    )


def _montos_por_cliente(limite: int) -> list[dict[str, Any]]:
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
    clients; soft-deleted OTs excluded. One query; cached like `estadisticas()` until an OT
    changes (a renamed client shows its new name when the cache entry expires)."""
    return cached(f"montos_por_cliente:{limite}", [OT], lambda: _montos_por_cliente(limite))
