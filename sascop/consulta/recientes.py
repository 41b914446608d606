"""The query of PostgreSQL's ranking the ORM cannot write: a word's matches ranked when they
are at most `limite`, else its newest matches among the newest rows of an index, read from
its primary key backwards; one statement (motor.py says when each applies).

Parameterised; table names come from indice.FUENTES only.
"""

# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from sascop.consulta.indice import Fuente


@dataclass(frozen=True)
class Ranqueadas:
    ids: list[int]  # best first (`ts_rank`, then the newest)
    todas: bool  # every match (at most `limite`), or the newest among the rows read


def mejores(fuente: Fuente, tsquery: str, filas: int, limite: int) -> Ranqueadas:
    """`fuente`'s matches of `tsquery` (`to_tsquery` text), best first, in one statement:

    * the GIN index is asked for at most `limite + 1` matches (`pocas`, not ranked);
    * at most `limite` of them: all ranked (`todas`);
    * more: of the newest `filas` index rows, the newest `limite` that match, ranked. The
      rows are read newest first until `limite` match, so a common word stops after a few
      thousand; the subquery's LIMIT keeps the planner from reading the GIN index instead
      (every match, then a sort).

    Each branch runs only when the count of `pocas` says so (a condition PostgreSQL checks
    once, before reading anything for it); that count comes back as a first row without id."""
    sql = (
        "WITH pocas AS MATERIALIZED ("
        f"  SELECT id, vector FROM {fuente.indice}"
        "   WHERE vector @@ to_tsquery('spanish', %(q)s) LIMIT %(limite)s + 1"
        "), cuantas AS (SELECT count(*) AS n FROM pocas) "
        "SELECT NULL::bigint AS id, NULL::real AS relevancia, n FROM cuantas "
        "UNION ALL "
        "SELECT id, ts_rank(vector, to_tsquery('spanish', %(q)s)), NULL::bigint FROM pocas"
        "  WHERE (SELECT n FROM cuantas) <= %(limite)s "
        "UNION ALL "
        "SELECT * FROM ("
        "  SELECT r.id, ts_rank(r.vector, to_tsquery('spanish', %(q)s)), NULL::bigint"
        f"  FROM (SELECT id, vector FROM {fuente.indice} ORDER BY id DESC LIMIT %(filas)s) AS r"
        "   WHERE (SELECT n FROM cuantas) > %(limite)s"
        "     AND r.vector @@ to_tsquery('spanish', %(q)s)"
        "   ORDER BY r.id DESC LIMIT %(limite)s"
        ") AS recientes "
        "ORDER BY relevancia DESC NULLS FIRST, id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"q": tsquery, "limite": limite, "filas": filas})
        (_, _, cuantas), *ranqueadas = cursor.fetchall()
    return Ranqueadas([fila[0] for fila in ranqueadas], todas=cuantas <= limite)
