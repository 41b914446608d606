"""One interface over the two full-text engines (indice.py says how each is kept).

`motor().ranquear(tipo, terminos, base, limite)`: the ids of the rows (of `base`, a queryset
of the kind's model already filtered, or of every row the index holds when `base` is None)
whose indexed text matches every term, best first, at most `limite`.

PostgreSQL ranks every match when there are at most `limite`; beyond, it ranks the newest
`limite`. A word common to a fifth of 100,000 descriptions matches 20,000 rows, and reading
and ranking them all (`ts_rank` reads each stored vector) is what a search would spend its
time on. Without filters (the index alone) it asks, in turn, until one answers:

  1. the GIN index for at most `recientes.TOPE * limite + 1` matches: at most that many
     (most searches: a code, a name, two words), the newest `limite` of them are ranked
     (all of them when the word is rarer than `limite`);
  2. else the newest `RECIENTES` rows of the index, read backwards by its primary key, each
     checked with `@@` until `limite` match: a few thousand rows for a common word (1 and 2
     are one statement, recientes.py);
  3. the GIN index for every match, the newest `limite` kept and ranked: a common word
     with fewer than `limite` matches among the newest `RECIENTES` rows (rare: a word
     common long ago).

With filters, the index joined to the filtered rows, every match ranked (one query).

SQLite asks FTS5 for the best `limite` matches (fts5.py), then keeps those `base` holds, in
their order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


def _mejores(puntuadas: Iterable[tuple[int, float]], limite: int) -> list[int]:
    """The ids best first (then the newest), at most `limite`."""
    return [pk for pk, _ in sorted(puntuadas, key=lambda f: (-f[1], -f[0]))[:limite]]


class Motor(Protocol):
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any] | None, limite: int
    ) -> list[int]: ...


class MotorPostgreSQL:
    def ranquear(
        self, tipo: str, terminos: Sequence[str], base: QuerySet[Any] | None, limite: int
    ) -> list[int]:
        consulta = SearchQuery(texto.tsquery(terminos), config="spanish", search_type="raw")
        coincidencias = INDICES[tipo].objects.filter(vector=consulta)
        if base is not None:
            filtradas = _puntuadas(coincidencias.filter(objeto__in=base.values("pk")), consulta)
            return list(
                filtradas.order_by("-relevancia", "-objeto_id").values_list("objeto_id", flat=True)[
                    :limite
                ]
            )
        ranqueadas = recientes.mejores(FUENTES[tipo], texto.tsquery(terminos), RECIENTES, limite)
        if ranqueadas.todas or len(ranqueadas.ids) == limite:
            return ranqueadas.ids
        nuevas = _puntuadas(coincidencias.order_by("-objeto_id"), consulta)[:limite]
        return _mejores(nuevas, limite)


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
