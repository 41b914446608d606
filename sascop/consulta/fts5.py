"""The one place with SQL the ORM cannot write: SQLite FTS5's MATCH, ranked by bm25().

Parameterised; table names come from indice.FUENTES only.
"""

# ruff: noqa: S608

from __future__ import annotations

from django.db import connection

from sascop.consulta.indice import Fuente, pesos


def coincidencias(fuente: Fuente, expresion: str, limite: int) -> list[int]:
    """The ids of `fuente`'s rows matching the FTS5 `expresion`, best first."""
    ft = fuente.fts
    ponderacion = ", ".join(str(p) for p in pesos(fuente))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {ft} WHERE {ft} MATCH %s "
            f"ORDER BY bm25({ft}, {ponderacion}), rowid DESC LIMIT %s",
            [expresion, limite],
        )
        return [fila[0] for fila in cursor.fetchall()]
