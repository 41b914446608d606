"""One interface over the two full-text engines (indice.py says how each is kept).

`motor().ranquear(tipo, terminos, base, limite)`: the ids of `base`'s rows (a queryset of the
kind's model, already filtered) whose indexed text matches every term, best first, at most
`limite`. PostgreSQL answers it in one ORM query (the index table joined to `base`, `@@`
through its GIN index, `ts_rank` over the stored vectors); SQLite asks FTS5 for the best
`limite` matches (fts5.py), then keeps those `base` holds, in their order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet

from sascop.consulta import fts5, texto
from sascop.consulta.indice import FUENTES
from sascop.consulta.models import IndiceActividad, IndiceConcepto, IndiceOT, IndicePTE

INDICES: dict[str, Any] = {
    "pte": IndicePTE,
    "ot": IndiceOT,
    "concepto": IndiceConcepto,
    "actividad": IndiceActividad,
}


class Motor(Protocol):
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any], limite: int
    ) -> list[int]: ...


class MotorPostgreSQL:
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any], limite: int
    ) -> list[int]:
        consulta = SearchQuery(texto.tsquery(terminos), config="spanish", search_type="raw")
        indice = INDICES[tipo]
        ids = (
            indice.objects.filter(vector=consulta, objeto__in=base.values("pk"))
            .annotate(relevancia=SearchRank(F("vector"), consulta))
            .order_by("-relevancia", "-objeto_id")
            .values_list("objeto_id", flat=True)[:limite]
        )
        return list(ids)


class MotorSQLite:
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any], limite: int
    ) -> list[int]:
        ids = fts5.coincidencias(FUENTES[tipo], texto.fts5(terminos), limite)
        if not ids:
            return []
        presentes = set(base.filter(pk__in=ids).values_list("pk", flat=True))
        return [i for i in ids if i in presentes]


def motor() -> Motor:
    """The engine of the database in use."""
    return MotorPostgreSQL() if connection.vendor == "postgresql" else MotorSQLite()
