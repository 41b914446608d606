"""The monthly sheets as last answered, kept in the database and valid until what they read
changes: with or without Redis, a sheet nobody changed is one query away.

Computing a 500-line sheet reads some 31,000 cells; reading it back is one row. Whether the
stored copy is still right is decided by a generation per OT kept by database triggers (one
home: this module), for the same reason as the dashboard's totals (estadisticas.resumenes):
a trigger sees every write path — services, the admin, bulk writes, the excedente
recomputation, imports, raw SQL — and runs in the writer's transaction.

  * On PostgreSQL, every statement that inserts, updates or deletes a row a sheet reads
    appends a row (ot_id, 1) to the ledger `produccion_cambiohoja` for each OT it touches:
    production, daily reports, the OT's anexo versions, lines and programmed days, and the OT
    itself. Changes to what every sheet reads (concepts, anexos, sites) append (0, 1). On
    SQLite (row triggers only, writers serialised) each OT's single row is added to instead.
  * An OT's generation is the sum over its ledger rows and those of 0. Appending only, no
    writer waits for another; the sum grows with every commit that touched the OT, and
    compacting the ledger (`compactar`, `compactar_todas`) keeps it. Reads never compact:
    the scheduled job that folds the dashboard's ledgers folds this one too
    (`manage.py recalcular_resumenes --compactar`, every 10 minutes).
  * A read takes the generation first, then computes: a write committed in between leaves
    the stored copy tagged with a generation already gone, so it is never served. A copy
    stored inside a transaction goes with it if it rolls back.

Never empty the ledger without emptying the stored sheets too (`tras_instalar` does both).
"""

# Every SQL string here is built from this module's constants only: no value from outside.
# ruff: noqa: S608

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import DatabaseError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from sascop.core.db.disparadores import Disparadores, es_postgresql
from sascop.produccion.models import CambioHoja, HojaGuardada

LEDGER = CambioHoja._meta.db_table
GUARDADAS = HojaGuardada._meta.db_table
# An OT's generation: the sum over its ledger rows and those of 0 (`%s` the OT).
_SUMA = f"SELECT COALESCE(SUM(c.cambios), 0) FROM {LEDGER} c WHERE c.ot_id IN (%s, 0)"

_ANEXO = "(SELECT a.ot_id FROM precios_anexoot a WHERE a.id = {r}.anexo_ot_id)"
_PROGRAMA = (
    "(SELECT a.ot_id FROM precios_partidaanexoot p JOIN precios_anexoot a "
    "ON a.id = p.anexo_ot_id WHERE p.id = {r}.partida_id)"
)
# The writing transaction on PostgreSQL: the top-level one's, savepoints included.
_TRANSACCION = "txid_current()"
# An OT's generation without the ledger rows of the current transaction (PostgreSQL).
_AJENA = f"{_SUMA} AND c.transaccion IS DISTINCT FROM {_TRANSACCION}"
TODAS, CAMBIOS = ("ins", "upd", "del"), ("upd", "del")
# table: (operations watched, the OT a row concerns as SQL on the row alias {r}; 0 = every OT)
FUENTES = {
    "produccion_produccion": (TODAS, "{r}.ot_id"),
    "produccion_reportediario": (TODAS, "{r}.ot_id"),
    "precios_anexoot": (TODAS, "{r}.ot_id"),
    "precios_partidaanexoot": (TODAS, _ANEXO),
    "precios_programadiario": (TODAS, _PROGRAMA),
    "ots_ot": (CAMBIOS, "{r}.id"),
    "precios_concepto": (CAMBIOS, "0"),
    "precios_anexo": (CAMBIOS, "0"),
    "catalogos_sitio": (CAMBIOS, "0"),
}
EVENTOS = {"ins": "INSERT", "upd": "UPDATE", "del": "DELETE"}


def _anotar(ots: str, transaccion: str = "NULL") -> str:
    """Append one ledger row per OT named by the subquery `ots` (its column `o`), noting
    the writing transaction (`transaccion`, SQL)."""
    return (
        f"INSERT INTO {LEDGER} (ot_id, cambios, transaccion) "
        f"SELECT DISTINCT x.o, 1, {transaccion} FROM ({ots}) AS x WHERE x.o IS NOT NULL"
    )


def _nombres(conn: BaseDatabaseWrapper) -> list[str]:
    return [f"hoja_{tabla}_{op}" for tabla, (ops, _) in FUENTES.items() for op in ops]


def _sql_postgresql(conn: BaseDatabaseWrapper) -> list[str]:
    sentencias = []
    referencias = {
        "ins": "REFERENCING NEW TABLE AS nuevas",
        "upd": "REFERENCING OLD TABLE AS viejas NEW TABLE AS nuevas",
        "del": "REFERENCING OLD TABLE AS viejas",
    }
    for tabla, (ops, ot) in FUENTES.items():
        nuevas = f"SELECT {ot.format(r='r')} AS o FROM nuevas AS r"
        viejas = f"SELECT {ot.format(r='r')} AS o FROM viejas AS r"
        sentencias.append(
            f"CREATE OR REPLACE FUNCTION hoja_{tabla}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN\n"
            f"IF TG_OP = 'INSERT' THEN {_anotar(nuevas, _TRANSACCION)};\n"
            f"ELSIF TG_OP = 'DELETE' THEN {_anotar(viejas, _TRANSACCION)};\n"
            f"ELSE {_anotar(f'{viejas} UNION {nuevas}', _TRANSACCION)};\n"
            "END IF; RETURN NULL; END $$"
        )
        sentencias += [
            f"CREATE OR REPLACE TRIGGER hoja_{tabla}_{op} AFTER {EVENTOS[op]} ON {tabla} "
            f"{referencias[op]} FOR EACH STATEMENT EXECUTE FUNCTION hoja_{tabla}()"
            for op in ops
        ]
    return sentencias


def _sql_sqlite(conn: BaseDatabaseWrapper) -> list[str]:
    # Row triggers, and writers serialised: each OT keeps one ledger row, added to in place.
    sentencias = []
    for tabla, (ops, ot) in FUENTES.items():
        nueva, vieja = f"SELECT {ot.format(r='NEW')} AS o", f"SELECT {ot.format(r='OLD')} AS o"
        filas = {"ins": nueva, "del": vieja, "upd": f"{vieja} UNION {nueva}"}
        sentencias += [
            f"CREATE TRIGGER IF NOT EXISTS hoja_{tabla}_{op} AFTER {EVENTOS[op]} ON {tabla} "
            f"BEGIN UPDATE {LEDGER} SET cambios = cambios + 1 WHERE ot_id IN "
            f"(SELECT x.o FROM ({filas[op]}) AS x); "
            f"{_anotar(filas[op])} AND NOT EXISTS (SELECT 1 FROM {LEDGER} l WHERE l.ot_id = x.o); "
            "END"
            for op in ops
        ]
    return sentencias


def _sentencias(conn: BaseDatabaseWrapper) -> list[str]:
    return _sql_postgresql(conn) if es_postgresql(conn) else _sql_sqlite(conn)


def _olvidar(using: str) -> None:
    """The changes made while a trigger was missing were not noted: no stored sheet holds."""
    HojaGuardada.objects.using(using).all().delete()


DISPARADORES = Disparadores(
    prefijo="hoja_",
    tablas=(*FUENTES, LEDGER, GUARDADAS),
    sentencias=_sentencias,
    nombres=_nombres,
    tras_instalar=_olvidar,
)


def antes_de_migrar(using: str = "default", **kwargs: Any) -> None:
    DISPARADORES.antes_de_migrar(using)


def despues_de_migrar(using: str = "default", **kwargs: Any) -> None:
    DISPARADORES.instalar(using)
    comprimir_con_lz4(using)


def comprimir_con_lz4(using: str = "default") -> bool:
    """On PostgreSQL built with lz4, store the sheets' bodies compressed with it rather than
    pglz (the default): a save that mends the stored sheet, and a read that stores it,
    compress hundreds of KiB each time, several times faster with lz4 (and read them back
    faster too). Values already stored keep their method until rewritten. Idempotent;
    returns whether the column uses lz4."""
    conn = connections[using]
    if not es_postgresql(conn) or GUARDADAS not in conn.introspection.table_names():
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        fila = cursor.fetchone()
        if fila is None or not fila[0]:
            return False
        cursor.execute(
            "SELECT a.attcompression = 'l' FROM pg_attribute a "
            "WHERE a.attrelid = CAST(%s AS regclass) AND a.attname = 'cuerpo'",
            [GUARDADAS],
        )
        if not cursor.fetchone()[0]:
            cursor.execute(f"ALTER TABLE {GUARDADAS} ALTER COLUMN cuerpo SET COMPRESSION lz4")
    return True


def generacion(ot_id: int) -> tuple[int, int]:
    """The OT's sheets' generation and the ledger rows it sums."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({_SUMA}), (SELECT COUNT(*) FROM {LEDGER} WHERE ot_id IN (%s, 0))",
            [ot_id, ot_id],
        )
        suma, filas = cursor.fetchone()
    return int(suma), int(filas)


def compactar(ot_id: int) -> None:
    """Fold the ledger rows of the OT, and those of 0, into one row each (sums unchanged)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for ot in (ot_id, 0):
            if es_postgresql(connection):
                # One statement, one snapshot: rows appended meanwhile stay as they are, and
                # two compactions at once each fold only the rows they deleted.
                cursor.execute(
                    f"WITH d AS (DELETE FROM {LEDGER} WHERE ot_id = %s RETURNING cambios) "
                    f"INSERT INTO {LEDGER} (ot_id, cambios) SELECT %s, SUM(cambios) FROM d "
                    "HAVING COUNT(*) > 0",
                    [ot, ot],
                )
            else:  # writers are serialised
                cursor.execute(
                    f"INSERT INTO {LEDGER} (ot_id, cambios) SELECT %s, SUM(cambios) "
                    f"FROM {LEDGER} WHERE ot_id = %s HAVING COUNT(*) > 0",
                    [ot, ot],
                )
                cursor.execute(
                    f"DELETE FROM {LEDGER} WHERE ot_id = %s AND id < (SELECT MAX(id) FROM "
                    f"{LEDGER} WHERE ot_id = %s)",
                    [ot, ot],
                )


def compactar_todas() -> None:
    """Fold the whole ledger into one row per OT (sums unchanged)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if es_postgresql(connection):
            # One snapshot: rows appended meanwhile are neither deleted nor counted.
            cursor.execute(
                f"WITH d AS (DELETE FROM {LEDGER} RETURNING ot_id, cambios) "
                f"INSERT INTO {LEDGER} (ot_id, cambios) SELECT ot_id, SUM(cambios) FROM d "
                "GROUP BY ot_id"
            )
            return
        # SQLite: writers are serialised.
        cursor.execute(
            f"INSERT INTO {LEDGER} (ot_id, cambios) SELECT ot_id, SUM(cambios) FROM {LEDGER} "
            "GROUP BY ot_id HAVING COUNT(*) > 1"
        )
        cursor.execute(
            f"DELETE FROM {LEDGER} WHERE id < (SELECT MAX(l.id) FROM {LEDGER} l "
            f"WHERE l.ot_id = {LEDGER}.ot_id)"
        )


def _fila_guardada(ot_id: int, clave: str, columnas: str) -> tuple[Any, ...] | None:
    """The `columnas` of the stored sheet of this generation, if any (the ETag alone is a
    few bytes; the body, hundreds of KiB)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columnas} FROM {GUARDADAS} h WHERE h.ot_id = %s AND h.clave = %s "
            f"AND h.generacion = ({_SUMA})",
            [ot_id, clave, ot_id],
        )
        return cursor.fetchone()


def _guardada(ot_id: int, clave: str) -> tuple[bytes, str] | None:
    fila = _fila_guardada(ot_id, clave, "h.cuerpo, h.etiqueta")
    return None if fila is None else (fila[0].encode(), fila[1])


def _etiqueta_guardada(ot_id: int, clave: str) -> str | None:
    fila = _fila_guardada(ot_id, clave, "h.etiqueta")
    return None if fila is None else str(fila[0])


# Beyond so many lines, a mend's statement (a few terms per line) costs more to plan and run
# than computing the sheet again: a grid's save touches a few lines, a month's PUT all.
REMIENDOS_MAX = 50


class Remiendo(NamedTuple):
    """A line of a stored sheet to replace: the text that starts it (`marca`), the text
    that starts the line after it (`siguiente`; None for the last line) and its new text."""

    marca: str
    siguiente: str | None
    texto: str


# The stored sheet's lines end where its tail begins: `],"subtotales":…`.
_COLA = '],"subtotales":'
# The ETag of a text, as the sheets' (`selectors._etiqueta`): the first 32 hex digits of
# its SHA-256, quoted.
_ETIQUETA = "'\"' || left(encode(sha256(n.b), 'hex'), 32) || '\"'"
# How every line starts.
_LINEA = '{"partida_anexo":'


def remendar(ot_id: int, clave: str, remiendos: list[Remiendo], cola: str) -> str | None:
    """Inside a write's transaction, once written: mend the OT's stored sheet `clave` as it
    was before this transaction's changes — each line of `remiendos` (in sheet order) in
    place of its own, and `cola` in place of everything after the lines — and store it at
    the generation it is at with this transaction's changes. Answers its new ETag; None
    (and nothing stored) when there is no such copy, when something else changed what it
    reads since it was stored (somebody else's ledger row), when a line is not where the
    copy should have it, for more than `REMIENDOS_MAX` lines, and on SQLite (no transaction
    ids in the ledger): the caller then computes the sheet whole.

    One statement, in the database: the stored text (hundreds of KiB) neither comes here
    nor goes back, only the new lines do, and the ETag is its digest taken there. A change
    committed after it moves the generation past the one stored.

    Only for a transaction that stored no sheet of the OT after its first write (a sheet
    save stores one, if at all, when checking If-Match, before writing): a copy stored
    with some of its own changes would be told apart from others' by the sums alone."""
    if not es_postgresql(connection) or not 0 < len(remiendos) <= REMIENDOS_MAX:
        return None
    # In bytes (UTF-8), not characters: a text's position or substring in characters
    # counts them from its start, each time. Per line i: a{i} where it starts, then b{i}
    # where it ends (the comma before the next line, or the lines' closing bracket), looked
    # for from a{i} on; t where the tail starts. A search stops at the first match.
    valores: list[Any] = []
    inicios = []
    for i, remiendo in enumerate(remiendos):
        inicios.append(f"NULLIF(position(%s IN g.c), 0) AS a{i}")
        valores.append(remiendo.marca.encode())
    inicios.append("NULLIF(position(%s IN g.c), 0) AS t")
    valores.append(_COLA.encode())
    finales = []
    for i, remiendo in enumerate(remiendos):
        fin = _COLA if remiendo.siguiente is None else "," + remiendo.siguiente
        finales.append(
            f"q.a{i} + NULLIF(position(%s IN substring(q.c FROM q.a{i} + 1)), 0) AS b{i}"
        )
        valores.append(fin.encode())
    columnas = ", ".join([*(f"q.a{i}" for i in range(len(remiendos))), "q.t"])
    piezas = ["substring(p.c FROM 1 FOR p.a0 - 1)"]
    condiciones = ["p.t IS NOT NULL"]
    ultimo = len(remiendos) - 1
    for i, remiendo in enumerate(remiendos):
        hasta = "p.t" if i == ultimo else f"p.a{i + 1}"
        piezas += ["%s", f"substring(p.c FROM p.b{i} FOR {hasta} - p.b{i})"]
        valores.append(remiendo.texto.encode())
        # Each span replaced holds that one line, and the lines are in the stored sheet's
        # order (a NULL, a line or the tail not found, fails too).
        condiciones += [
            f"p.b{i} <= {hasta}",
            f"position(%s IN substring(p.c FROM p.a{i} + 1 FOR p.b{i} - p.a{i} - 1)) = 0",
        ]
    piezas.append("%s")
    valores.append(cola.encode())
    # The values of the conditions come after those of the pieces in the statement.
    valores += [_LINEA.encode()] * len(remiendos)
    with contextlib.suppress(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            # Materialised: the stored text is read (and decompressed) once, and each
            # position looked for once, not wherever it is used.
            f"WITH g AS MATERIALIZED (SELECT h.id, convert_to(h.cuerpo, 'UTF8') AS c, "
            f"({_SUMA}) AS vigente FROM {GUARDADAS} h WHERE h.ot_id = %s AND h.clave = %s "
            f"AND h.generacion = ({_AJENA})), "
            f"q AS MATERIALIZED (SELECT g.id, g.vigente, g.c, {', '.join(inicios)} FROM g), "
            f"p AS MATERIALIZED (SELECT q.id, q.vigente, q.c, {columnas}, {', '.join(finales)} "
            "FROM q), "
            f"n AS (SELECT p.id, p.vigente, {' || '.join(piezas)} AS b FROM p "
            f"WHERE {' AND '.join(condiciones)}) "
            f"UPDATE {GUARDADAS} h SET cuerpo = convert_from(n.b, 'UTF8'), "
            f"generacion = n.vigente, etiqueta = {_ETIQUETA} FROM n WHERE h.id = n.id "
            "RETURNING h.etiqueta",
            [ot_id, ot_id, clave, ot_id, *valores],
        )
        fila = cursor.fetchone()
        return None if fila is None else str(fila[0])
    return None


def _guardar(ot_id: int, clave: str, generacion: int, cuerpo: bytes, etiqueta: str) -> None:
    """Store the sheet; a failure (a writer holding SQLite's lock, a deadline) only means it
    is computed again next time."""
    with contextlib.suppress(DatabaseError), transaction.atomic():
        HojaGuardada.objects.bulk_create(
            [
                HojaGuardada(
                    ot_id=ot_id,
                    clave=clave,
                    generacion=generacion,
                    cuerpo=cuerpo.decode(),
                    etiqueta=etiqueta,
                )
            ],
            update_conflicts=True,
            unique_fields=["ot_id", "clave"],
            update_fields=["generacion", "cuerpo", "etiqueta"],
        )


def etiqueta(ot_id: int, clave: str, calcular: Callable[[], tuple[bytes, str]]) -> str:
    """The ETag of the OT's sheet `clave` (as `leer` would answer it), without reading the
    stored body while it holds (a write's If-Match check)."""
    guardada = _etiqueta_guardada(ot_id, clave)
    return guardada if guardada is not None else leer(ot_id, clave, calcular)[1]


def leer(ot_id: int, clave: str, calcular: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str]:
    """The OT's sheet `clave` (its JSON and ETag): the stored copy while it holds, else
    `calcular()`, stored for the next read."""
    guardada = _guardada(ot_id, clave)
    if guardada is not None:
        return guardada
    vigente, _filas = generacion(ot_id)
    cuerpo, etiqueta = calcular()
    _guardar(ot_id, clave, vigente, cuerpo, etiqueta)
    return cuerpo, etiqueta
