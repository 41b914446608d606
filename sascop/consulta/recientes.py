"""The query of PostgreSQL's ranking the ORM cannot write: a word's newest `limite` matches
ranked, read either from the newest rows of the index (its primary key backwards) or from
its GIN index, whichever the word's density says is cheaper; one statement (motor.py says
why the newest).

Parameterised; table names come from indice.FUENTES only.
"""

# ruff: noqa: S608

from __future__ import annotations

from django.db import connection

from sascop.consulta.indice import Fuente

# The newest index rows a word is first counted in, and the matches among them that make
# it common enough to look for its newest `limite` matches among the newest rows: a word
# in one row of twenty (50 of 1,000) has its newest 1,000 in some 20,000 rows read
# backwards (motor.RECIENTES), about what reading its 5,000 matches from the GIN index
# costs at 100,000 rows; the commoner the word, the fewer rows and the more matches. Below
# that density the GIN index is cheaper (measured at 100,000 PTEs: a word in one row of
# ten, 2.8 ms read backwards against 7.8 ms from the GIN index; none, 0.3 ms from it).
MUESTRA = 1000
DENSAS = 50


def mejores(fuente: Fuente, tsquery: str, filas: int, limite: int) -> list[int]:
    """The ids of `fuente`'s newest `limite` matches of `tsquery` (`to_tsquery` text), best
    first (`ts_rank`, then the newest), in one statement:

    * the newest `MUESTRA` index rows are read, counting the matches (`muestra`);
    * with at least `DENSAS` of them (a common word), the newest `filas` rows are read
      newest first until `limite` match (`recientes`): a word in one row of five stops
      after some 5,000; the subquery's LIMIT keeps the planner from reading the GIN index
      instead (every match, then a sort);
    * when that found fewer than `limite` (a rarer word, or none was looked for), the GIN
      index gives every match, the newest `limite` kept (`todas`).

    Either way the answer is the same: the newest `limite` matches (`recientes` stops at
    the `limite`-th match read newest first, so every match it did not read is older).
    Each branch runs only when the count before it says so (a condition PostgreSQL checks
    once, before reading anything for it). The rank is computed for the rows kept only."""
    consulta = "to_tsquery('spanish', %(q)s)"
    sql = (
        "WITH muestra AS ("
        f"  SELECT count(*) AS n FROM (SELECT vector FROM {fuente.indice}"
        "   ORDER BY id DESC LIMIT %(muestra)s) AS m"
        f"  WHERE m.vector @@ {consulta}"
        "), recientes AS MATERIALIZED ("
        f"  SELECT r.id, r.vector FROM (SELECT id, vector FROM {fuente.indice}"
        "   ORDER BY id DESC LIMIT %(filas)s) AS r"
        f"  WHERE (SELECT n FROM muestra) >= %(densas)s AND r.vector @@ {consulta}"
        "   ORDER BY r.id DESC LIMIT %(limite)s"
        "), halladas AS (SELECT count(*) AS n FROM recientes) "
        "SELECT id FROM ("
        f"SELECT id, ts_rank(vector, {consulta}) AS relevancia FROM recientes"
        " WHERE (SELECT n FROM halladas) = %(limite)s "
        "UNION ALL "
        f"SELECT id, ts_rank(vector, {consulta}) FROM ("
        f"  SELECT id, vector FROM {fuente.indice}"
        f"   WHERE (SELECT n FROM halladas) < %(limite)s AND vector @@ {consulta}"
        "   ORDER BY id DESC LIMIT %(limite)s"
        ") AS todas"
        ") AS ranqueadas ORDER BY relevancia DESC, id DESC"
    )
    parametros: dict[str, str | int] = {
        "q": tsquery,
        "muestra": MUESTRA,
        "densas": DENSAS,
        "filas": filas,
        "limite": limite,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        return [fila[0] for fila in cursor.fetchall()]
