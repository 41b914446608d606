"""One interface over the two full-text engines (indice.py says how each is kept).

`motor().ranquear(tipo, terminos, base, limite)`: the ids of the rows (of `base`, a queryset
of the kind's model already filtered, or of every row the index holds when `base` is None)
whose indexed text matches every term, best first, at most `limite`.

PostgreSQL ranks the newest `limite` matches: a word common to a fifth of 100,000
descriptions matches 20,000 rows, and reading and ranking them all (`ts_rank` reads each
stored vector) is what a search would spend its time on. The newest matches come from the
index table's primary key read backwards, each row checked with `@@` (a few thousand rows for
a common word), or from the GIN index when the word is rare (the planner chooses, from the
index table's statistics); a word with at most `limite` matches is ranked in full. Two ORM
queries in one statement: the candidates, then `ts_rank` over their stored vectors.

SQLite asks FTS5 for the best `limite` matches (fts5.py), then keeps those `base` holds, in
their order.
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
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any] | None, limite: int
    ) -> list[int]: ...


class MotorPostgreSQL:
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any] | None, limite: int
    ) -> list[int]:
        consulta = SearchQuery(texto.tsquery(terminos), config="spanish", search_type="raw")
        indice = INDICES[tipo]
        coincidencias = indice.objects.filter(vector=consulta)
        if base is not None:
            coincidencias = coincidencias.filter(objeto__in=base.values("pk"))
        candidatos = coincidencias.order_by("-objeto_id").values("objeto_id")[:limite]
        ids = (
            indice.objects.filter(objeto__in=candidatos)
            .annotate(relevancia=SearchRank(F("vector"), consulta))
            .order_by("-relevancia", "-objeto_id")
            .values_list("objeto_id", flat=True)
        )
        return list(ids)


class MotorSQLite:
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any] | None, limite: int
    ) -> list[int]:
        ids = fts5.coincidencias(FUENTES[tipo], texto.fts5(terminos), limite)
        if not ids or base is None:
            return ids
        presentes = set(base.filter(pk__in=ids).values_list("pk", flat=True))
        return [i for i in ids if i in presentes]


def motor() -> Motor:
    """The engine of the database in use."""
    return MotorPostgreSQL() if connection.vendor == "postgresql" else MotorSQLite()
