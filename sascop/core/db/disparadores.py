"""Sets of database triggers that live outside migrations: install, find, drop.

An app whose tables are kept by triggers (the dashboard's running totals, the stored
production sheets) describes its set once with `Disparadores` and wires `antes_de_migrar` /
`despues_de_migrar` to pre_migrate / post_migrate. SQLite rebuilds a table to alter it and the
rebuild would lose (or trip on) its triggers, so there every set is dropped before migrating and
reinstalled afterwards; PostgreSQL keeps triggers across ALTER TABLE, so there a set is
(re)installed only when some of it is missing. Installing runs `tras_instalar` in the same
transaction: writes made while a trigger was missing were not seen, and the set's own tables
must be rebuilt from the source rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper


def es_postgresql(conn: BaseDatabaseWrapper) -> bool:
    return conn.vendor == "postgresql"


@dataclass(frozen=True)
class Disparadores:
    # Every trigger (and, on PostgreSQL, trigger function) of the set starts with it.
    prefijo: str
    # Tables that must exist before the set can be installed.
    tablas: tuple[str, ...]
    # The CREATE statements for this database (idempotent).
    sentencias: Callable[[BaseDatabaseWrapper], list[str]]
    # The names of the triggers the set has on this database.
    nombres: Callable[[BaseDatabaseWrapper], list[str]]
    # Run with the database alias after (re)installing.
    tras_instalar: Callable[[str], None]

    def existentes(self, conn: BaseDatabaseWrapper) -> dict[str, str]:
        """The set's triggers in the database: name -> table."""
        with conn.cursor() as cursor:
            if es_postgresql(conn):
                cursor.execute(
                    "SELECT t.tgname, c.relname FROM pg_trigger t "
                    "JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal AND starts_with(t.tgname, %s)",
                    [self.prefijo],
                )
            else:
                cursor.execute(
                    "SELECT name, tbl_name FROM sqlite_master "
                    "WHERE type = 'trigger' AND substr(name, 1, %s) = %s",
                    [len(self.prefijo), self.prefijo],
                )
            return dict(cursor.fetchall())

    def faltantes(self, using: str = "default") -> list[str]:
        """The set's triggers missing from the database (empty when all is in place)."""
        conn = connections[using]
        existentes = self.existentes(conn)
        return [n for n in self.nombres(conn) if n not in existentes]

    def tablas_listas(self, using: str = "default") -> bool:
        return set(self.tablas) <= set(connections[using].introspection.table_names())

    def instalar(self, using: str = "default") -> bool:
        """Install the missing triggers and, when any was missing, run `tras_instalar`.
        Returns whether it did."""
        conn = connections[using]
        if conn.vendor not in ("postgresql", "sqlite") or not self.tablas_listas(using):
            return False
        if not self.faltantes(using):
            return False
        with transaction.atomic(using=using), conn.cursor() as cursor:
            for sentencia in self.sentencias(conn):
                cursor.execute(sentencia)
            self.tras_instalar(using)
        return True

    def desinstalar(self, using: str = "default") -> None:
        conn = connections[using]
        with conn.cursor() as cursor:
            for nombre, tabla in self.existentes(conn).items():
                if es_postgresql(conn):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {nombre} ON {tabla}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {nombre}")

    def antes_de_migrar(self, using: str = "default") -> None:
        if connections[using].vendor == "sqlite":
            self.desinstalar(using)
