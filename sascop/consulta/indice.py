"""The search index: what is indexed, and the triggers that keep it current.

Indexed kinds, each one table's own text (nothing joined in, so a trigger on that table alone
keeps its entry exact):

  * pte        ptes_pte: oficio_pte, oficio_solicitud (weight A), descripcion_trabajo (B),
               while the PTE is not deleted;
  * ot         ots_ot: orden_trabajo, oficio_ot (A), descripcion_trabajo (B), while the OT is
               not deleted;
  * concepto   precios_concepto: partida (A), concepto (B) — anexo lines are found through
               their concept (a line has no text of its own);
  * actividad  actividad_registroactividad: valor_nuevo of the rows whose `campo` is
               `comentario` (the comments written; the rest of the log is not text to search).

Not indexed, on purpose: production (a million rows of numbers) is found by its OT's number, its
partida and its date, each through the B-tree indexes it already has (selectors.py), so it costs
no index at all; clients, responsibles and sites are catalogs of a few hundred rows, matched in
memory and turned into id filters on the PTEs and OTs that point to them.

Why triggers: the index must follow every write — services, the admin, bulk imports
(`bulk_create`), `QuerySet.update()`, the demo loader, a psql session. A trigger sees them all,
in the writing transaction (a rolled-back write leaves no entry behind); hooks in services or
signals would see only some.

  * PostgreSQL: one table per kind (`consulta_indice_<kind>`: the row's id and its stored
    `tsvector`: the text with the `spanish` configuration, codes with `simple`, all of it
    `unaccent`ed and split at punctuation, codes weighted above text), with a
    GIN index, filled by a row trigger on the source table and emptied by a TRUNCATE trigger
    on it, so the index holds exactly the rows it stands for. A stored vector, not an expression
    index: ranking (`ts_rank`) reads each match's vector, and an expression index would make
    every query recompute `to_tsvector` for every match — tens of thousands for a common word
    at 100k PTEs. The `unaccent` extension is created by migration 0001.
  * SQLite: one FTS5 table per kind over the source table (external content: the text is not
    stored twice), tokenizer `unicode61 remove_diacritics 2`, kept by insert/update/delete
    triggers as SQLite's documentation describes.

The triggers live outside migrations, as the dashboard's do (sascop.core.db.disparadores): on
SQLite a migration that alters a source table rebuilds it and loses them, so they are dropped
before migrating and reinstalled after, and the index is then rebuilt from the source rows.
"""

# Every SQL string here is built from this module's constants only: no value from outside.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from sascop.core.db.disparadores import Disparadores, es_postgresql


@dataclass(frozen=True)
class Fuente:
    tipo: str
    tabla: str
    principales: tuple[str, ...]  # weight A: codes and numbers people search by
    texto: tuple[str, ...]  # weight B: the free text
    condicion: str = ""  # SQL over the row (`{r}.campo = ...`): which rows are indexed
    extra: tuple[str, ...] = field(default=())  # columns the condition reads

    @property
    def columnas(self) -> tuple[str, ...]:
        return (*self.principales, *self.texto)

    def cumple(self, r: str) -> str:
        return self.condicion.format(r=r) if self.condicion else "1 = 1"

    @property
    def indice(self) -> str:
        return f"consulta_indice_{self.tipo}"

    @property
    def fts(self) -> str:
        return f"consulta_fts_{self.tipo}"


# PTEs and OTs are indexed while they are not deleted: a search without filters then reads
# the index alone, with no join to the 100,000 rows it would only check are alive.
VIVA = "{r}.eliminado_en IS NULL"

FUENTES = {
    f.tipo: f
    for f in (
        Fuente(
            "pte",
            "ptes_pte",
            ("oficio_pte", "oficio_solicitud"),
            ("descripcion_trabajo",),
            condicion=VIVA,
            extra=("eliminado_en",),
        ),
        Fuente(
            "ot",
            "ots_ot",
            ("orden_trabajo", "oficio_ot"),
            ("descripcion_trabajo",),
            condicion=VIVA,
            extra=("eliminado_en",),
        ),
        Fuente("concepto", "precios_concepto", ("partida",), ("concepto",)),
        Fuente(
            "actividad",
            "actividad_registroactividad",
            (),
            ("valor_nuevo",),
            condicion="{r}.campo = 'comentario'",
            extra=("campo",),
        ),
    )
}
# FTS5's bm25() weights, per column: a match in a code counts ten times one in the text.
PESO_PRINCIPAL, PESO_TEXTO = 10.0, 1.0


def pesos(fuente: Fuente) -> list[float]:
    return [PESO_PRINCIPAL] * len(fuente.principales) + [PESO_TEXTO] * len(fuente.texto)


# --- PostgreSQL ---------------------------------------------------------------------------


def _vector_pg(fuente: Fuente, r: str) -> str:
    """Words split at anything not a letter or digit, as the query's terms are (texto.py) and
    as SQLite's tokenizer splits: PostgreSQL's parser would keep `4.7.3` whole and read the
    `-015` of `OT-2026-015` as a negative number. Codes are not Spanish: no stemming and no
    stop words for them (`simple`)."""

    def parte(columnas: tuple[str, ...], peso: str, configuracion: str) -> str:
        texto = " || ' ' || ".join(f"coalesce({r}.{c}, '')" for c in columnas)
        palabras = f"regexp_replace(unaccent({texto}), '[^[:alnum:]]+', ' ', 'g')"
        return f"setweight(to_tsvector('{configuracion}', {palabras}), '{peso}')"

    partes = [
        parte(columnas, peso, configuracion)
        for columnas, peso, configuracion in (
            (fuente.principales, "A", "simple"),
            (fuente.texto, "B", "spanish"),
        )
        if columnas
    ]
    return " || ".join(partes)


def _sql_postgresql(fuente: Fuente) -> list[str]:
    nombre = fuente.indice
    return [
        f"CREATE TABLE IF NOT EXISTS {nombre} (id bigint PRIMARY KEY, vector tsvector NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {nombre}_gin ON {nombre} USING gin (vector)",
        f"""CREATE OR REPLACE FUNCTION {nombre}_f() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR NOT ({fuente.cumple("NEW")}) THEN
                DELETE FROM {nombre} WHERE id = OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' AND ({fuente.cumple("NEW")}) THEN
                INSERT INTO {nombre} (id, vector) VALUES (NEW.id, {_vector_pg(fuente, "NEW")})
                ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector;
            END IF;
            RETURN NULL;
        END $$""",
        f"DROP TRIGGER IF EXISTS {nombre} ON {fuente.tabla}",
        f"CREATE TRIGGER {nombre} AFTER DELETE OR UPDATE OF "
        f"{', '.join((*fuente.columnas, *fuente.extra))} ON {fuente.tabla} "
        f"FOR EACH ROW EXECUTE FUNCTION {nombre}_f()",
        # A new row has no entry to remove: the function runs only for rows the index
        # holds (the condition is the executor's, so a batch of rows it leaves out, such
        # as a month's activity log, calls no function at all).
        f"DROP TRIGGER IF EXISTS {nombre}_ins ON {fuente.tabla}",
        f"CREATE TRIGGER {nombre}_ins AFTER INSERT ON {fuente.tabla} FOR EACH ROW "
        f"WHEN ({fuente.cumple('NEW')}) EXECUTE FUNCTION {nombre}_f()",
        # A truncated source (a test's flush) empties its index too: the index then holds
        # exactly the rows it stands for, and a search without filters need not join them.
        f"""CREATE OR REPLACE FUNCTION {nombre}_vaciar_f() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE {nombre};
            RETURN NULL;
        END $$""",
        f"DROP TRIGGER IF EXISTS {nombre}_vaciar ON {fuente.tabla}",
        f"CREATE TRIGGER {nombre}_vaciar AFTER TRUNCATE ON {fuente.tabla} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {nombre}_vaciar_f()",
    ]


def _reconstruir_postgresql(fuente: Fuente) -> list[str]:
    return [
        f"DELETE FROM {fuente.indice}",
        f"INSERT INTO {fuente.indice} (id, vector) SELECT r.id, {_vector_pg(fuente, 'r')} "
        f"FROM {fuente.tabla} AS r WHERE {fuente.cumple('r')}",
    ]


# --- SQLite -------------------------------------------------------------------------------


def _sql_sqlite(fuente: Fuente) -> list[str]:
    ft, tabla = fuente.fts, fuente.tabla
    columnas = ", ".join(fuente.columnas)

    def valores(r: str) -> str:
        return ", ".join(f"{r}.{c}" for c in fuente.columnas)

    insertar = (
        f"INSERT INTO {ft} (rowid, {columnas}) SELECT new.id, {valores('new')} "
        f"WHERE {fuente.cumple('new')};"
    )
    borrar = (
        f"INSERT INTO {ft} ({ft}, rowid, {columnas}) SELECT 'delete', old.id, {valores('old')} "
        f"WHERE {fuente.cumple('old')};"
    )
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {ft} USING fts5({columnas}, content='{tabla}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {ft}_ai AFTER INSERT ON {tabla} BEGIN {insertar} END",
        f"CREATE TRIGGER IF NOT EXISTS {ft}_ad AFTER DELETE ON {tabla} BEGIN {borrar} END",
        f"CREATE TRIGGER IF NOT EXISTS {ft}_au AFTER UPDATE OF "
        f"{', '.join((*fuente.columnas, *fuente.extra))} ON {tabla} BEGIN {borrar} {insertar} END",
    ]


def _reconstruir_sqlite(fuente: Fuente) -> list[str]:
    ft = fuente.fts
    columnas = ", ".join(fuente.columnas)
    return [
        f"INSERT INTO {ft} ({ft}) VALUES ('delete-all')",
        f"INSERT INTO {ft} (rowid, {columnas}) SELECT r.id, "
        f"{', '.join(f'r.{c}' for c in fuente.columnas)} FROM {fuente.tabla} AS r "
        f"WHERE {fuente.cumple('r')}",
    ]


# --- The set --------------------------------------------------------------------------------


def _sentencias(conn: BaseDatabaseWrapper) -> list[str]:
    crear = _sql_postgresql if es_postgresql(conn) else _sql_sqlite
    return [s for fuente in FUENTES.values() for s in crear(fuente)]


def _nombres(conn: BaseDatabaseWrapper) -> list[str]:
    if es_postgresql(conn):
        sufijos = ("", "_ins", "_vaciar")
        return [f"{f.indice}{sufijo}" for f in FUENTES.values() for sufijo in sufijos]
    return [f"{f.fts}_{s}" for f in FUENTES.values() for s in ("ai", "ad", "au")]


def reconstruir(using: str = "default") -> None:
    """Rebuild every kind's index from the source rows."""
    conn = connections[using]
    sql = _reconstruir_postgresql if es_postgresql(conn) else _reconstruir_sqlite
    with transaction.atomic(using=using), conn.cursor() as cursor:
        for fuente in FUENTES.values():
            for sentencia in sql(fuente):
                cursor.execute(sentencia)


DISPARADORES = Disparadores(
    prefijo="consulta_",
    tablas=tuple(f.tabla for f in FUENTES.values()),
    sentencias=_sentencias,
    nombres=_nombres,
    tras_instalar=reconstruir,
)


def faltantes(using: str = "default") -> list[str]:
    """The index's triggers missing from the database (empty when all is in place)."""
    return DISPARADORES.faltantes(using)


def antes_de_migrar(using: str = "default", **kwargs: Any) -> None:
    DISPARADORES.antes_de_migrar(using)


def despues_de_migrar(using: str = "default", **kwargs: Any) -> None:
    """Also sent by `flush`; the triggers keep the index through it (SQLite deletes the rows
    one by one; PostgreSQL truncates, and the source's TRUNCATE trigger empties its index)."""
    DISPARADORES.instalar(using)
