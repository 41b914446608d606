"""The one query of PostgreSQL's ranking the ORM cannot write: a word's newest matches among
the newest rows of an index, read from its primary key backwards (motor.py says when).

Parameterised; table names come from indice.FUENTES only.
"""

# ruff: noqa: S608

from __future__ import annotations

from django.db import connection

from sascop.consulta.indice import Fuente


def coincidencias(fuente: Fuente, tsquery: str, filas: int, limite: int) -> list[int]:
    """Of `fuente`'s newest `filas` index rows, the newest `limite` matching `tsquery`
    (`to_tsquery` text), best first (`ts_rank`, then the newest). The rows are read newest
    first until `limite` match, so a common word stops after a few thousand; the subquery's
    LIMIT keeps the planner from reading the GIN index instead (every match, then a sort)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM ("
            "  SELECT r.id, ts_rank(r.vector, q.q) AS relevancia"
            f"  FROM (SELECT id, vector FROM {fuente.indice} ORDER BY id DESC LIMIT %s) AS r,"
            "    to_tsquery('spanish', %s) AS q(q)"
            "  WHERE r.vector @@ q.q ORDER BY r.id DESC LIMIT %s"
            ") AS candidatas ORDER BY relevancia DESC, id DESC",
            [filas, tsquery, limite],
        )
        return [fila[0] for fila in cursor.fetchall()]
