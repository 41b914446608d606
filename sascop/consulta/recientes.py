"""The query of PostgreSQL's ranking the ORM cannot write: a word's newest matches ranked,
taken from all its matches when they are few, else from the newest rows of the index, read
from its primary key backwards; one statement (motor.py says when each applies).

Parameterised; table names come from indice.FUENTES only.
"""

# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from sascop.consulta.indice import Fuente

# A word with at most this many times `limite` matches has its newest `limite` ranked from
# all its matches (read from the GIN index, the newest kept); beyond, it is common enough to
# find them among the newest rows.
TOPE = 3


@dataclass(frozen=True)
class Ranqueadas:
    ids: list[int]  # best first (`ts_rank`, then the newest)
    todas: bool  # from every match, or from the newest rows read only


def mejores(fuente: Fuente, tsquery: str, filas: int, limite: int) -> Ranqueadas:
    """`fuente`'s matches of `tsquery` (`to_tsquery` text), best first, in one statement:

    * the GIN index is asked for at most `TOPE * limite + 1` matches (`pocas`, not ranked);
    * at most that many: the newest `limite` of them ranked (all of them when they are at
      most `limite`), a sort of a few thousand ids at most (`todas`);
    * more (a common word): of the newest `filas` index rows, the newest `limite` that
      match, ranked. The rows are read newest first until `limite` match, so a word in one
      row of five stops after some 5,000; the subquery's LIMIT keeps the planner from
      reading the GIN index instead (every match, then a sort).

    Each branch runs only when the count of `pocas` says so (a condition PostgreSQL checks
    once, before reading anything for it); that count comes back as a first row without id."""
    sql = (
        "WITH pocas AS MATERIALIZED ("
        f"  SELECT id, vector FROM {fuente.indice}"
        "   WHERE vector @@ to_tsquery('spanish', %(q)s) LIMIT %(tope)s + 1"
        "), cuantas AS (SELECT count(*) AS n FROM pocas) "
        "SELECT NULL::bigint AS id, NULL::real AS relevancia, n FROM cuantas "
        "UNION ALL "
        "SELECT * FROM ("
        "  SELECT id, ts_rank(vector, to_tsquery('spanish', %(q)s)), NULL::bigint FROM pocas"
        "   WHERE (SELECT n FROM cuantas) <= %(tope)s ORDER BY id DESC LIMIT %(limite)s"
        ") AS nuevas "
        "UNION ALL "
        "SELECT * FROM ("
        "  SELECT r.id, ts_rank(r.vector, to_tsquery('spanish', %(q)s)), NULL::bigint"
        f"  FROM (SELECT id, vector FROM {fuente.indice} ORDER BY id DESC LIMIT %(filas)s) AS r"
        "   WHERE (SELECT n FROM cuantas) > %(tope)s"
        "     AND r.vector @@ to_tsquery('spanish', %(q)s)"
        "   ORDER BY r.id DESC LIMIT %(limite)s"
        ") AS recientes "
        "ORDER BY relevancia DESC NULLS FIRST, id DESC"
    )
    parametros: dict[str, str | int] = {
        "q": tsquery,
        "limite": limite,
        "tope": TOPE * limite,
        "filas": filas,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        (_, _, cuantas), *ranqueadas = cursor.fetchall()
    return Ranqueadas([fila[0] for fila in ranqueadas], todas=cuantas <= TOPE * limite)
