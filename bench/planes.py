"""Print PostgreSQL's plans for the queries behind the dashboard, a deep PTE list page and the
PTE and OT details (run inside Django: `manage.py shell -c "import bench.planes as p; p.main()"`).
"""

from __future__ import annotations

from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext


def _queries(call: object) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()  # type: ignore[operator]
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]


def _plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON, SUMMARY ON) {sql}")
        return [row[0] for row in cursor.fetchall()]


def main() -> None:
    from sascop.core.api.pagination import paginate
    from sascop.estadisticas.selectors import estadisticas
    from sascop.ots.models import OT
    from sascop.ots.selectors import ot_detalle
    from sascop.ptes.models import PTE
    from sascop.ptes.selectors import pte_detalle, pte_lista

    deep = QueryDict("pagina=500&elementos_por_pagina=20")
    pte_id = PTE.objects.order_by("-id").values_list("id", flat=True)[5000]
    ot_id = OT.objects.filter(produccion__isnull=False).values_list("id", flat=True)[0]
    casos = {
        "estadisticas": lambda: estadisticas(),
        "PTE list, page 500 of 20": lambda: paginate(pte_lista(deep), deep),
        f"PTE detail ({pte_id})": lambda: pte_detalle(pte_id),
        f"OT detail ({ot_id})": lambda: ot_detalle(ot_id),
    }
    for nombre, call in casos.items():
        call()  # warm
        print(f"\n-- {nombre}")
        for sql in _queries(call):
            print(f"   {sql[:160]}{'…' if len(sql) > 160 else ''}")
            for line in _plan(sql):
                print(f"      {line}")
