"""One interface over the two full-text engines (indice.py says how each is kept).

`motor().ranquear(tipo, terminos, base, limite)`: the ids of the rows (of `base`, a queryset
of the kind's model already filtered, or of every row the index holds when `base` is None)
whose indexed text matches every term, best first, at most `limite`.

PostgreSQL ranks every match when there are at most `limite`; beyond, it ranks the newest
`limite`. A word common to a fifth of 100,000 descriptions matches 20,000 rows, and reading
and ranking them all (`ts_rank` reads each stored vector) is what a search would spend its
time on. Without filters (the index alone) one statement (recientes.py) finds the newest
`limite` matches where they are cheapest to find:

  * a common word (one row in twenty or more among the newest rows of the index): in the
    newest `RECIENTES` rows, read backwards by the index's primary key, each checked with
    `@@` until `limite` match: a few thousand rows, and no GIN index read at all;
  * else, or when those rows hold fewer than `limite` matches (a word common long ago):
    the GIN index for every match, the newest `limite` kept.

With filters, the index joined to the filtered rows, every match ranked (one query).

SQLite asks FTS5 for the best `limite` matches (fts5.py), then keeps those `base` holds, in
their order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet

from sascop.consulta import fts5, recientes, texto
from sascop.consulta.indice import FUENTES
from sascop.consulta.models import IndiceActividad, IndiceConcepto, IndiceOT, IndicePTE

INDICES: dict[str, Any] = {
    "pte": IndicePTE,
    "ot": IndiceOT,
    "concepto": IndiceConcepto,
    "actividad": IndiceActividad,
}


# Index rows (the newest) a common word's newest matches are looked for in first.
RECIENTES = 20_000


def _puntuadas(coincidencias: QuerySet[Any], consulta: SearchQuery) -> QuerySet[Any]:
    """(id, ts_rank) of `coincidencias` (index rows)."""
    return coincidencias.annotate(relevancia=SearchRank(F("vector"), consulta)).values_list(
        "objeto_id", "relevancia"
    )


class Motor(Protocol):
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any] | None, limite: int
    ) -> list[int]: ...


class MotorPostgreSQL:
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any] | None, limite: int
    ) -> list[int]:
        if base is None:
            return recientes.mejores(FUENTES[tipo], texto.tsquery(terminos), RECIENTES, limite)
        consulta = SearchQuery(texto.tsquery(terminos), config="spanish", search_type="raw")
        coincidencias = INDICES[tipo].objects.filter(vector=consulta)
        filtradas = _puntuadas(coincidencias.filter(objeto__in=base.values("pk")), consulta)
        return list(
            filtradas.order_by("-relevancia", "-objeto_id").values_list("objeto_id", flat=True)[
                :limite
            ]
        )


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
