"""Rows one operation writes, sent to the database together.

Inside `juntas()`, `insertar(row)` and `actualizar(row, fields)` are collected and sent when the
block ends: on PostgreSQL as one statement (each write a data-modifying WITH clause), elsewhere
one after another. A login writes four rows to four tables; sent one by one, they cost four
round trips and the ORM's machinery around each (about 1.5 ms of a login's 6 beyond its
password check).

Outside `juntas()` each call writes at once, as `save()` does. Collected writes send no
pre_save/post_save signals and leave the rows' primary keys unset, and PostgreSQL runs the
clauses of one statement in no set order: collect only writes that nothing reads back within
the block, that do not depend on one another, to models whose save signals nobody needs (the
login's). Use the block inside `transaction.atomic`: it adds no transaction of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, Q
from django.db.models.sql import InsertQuery, UpdateQuery

_local = threading.local()


@contextmanager
def juntas(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Collect the writes of this block and send them together at its end (nested blocks join
    the outer one). If the block raises, nothing collected is sent."""
    if getattr(_local, "pendientes", None) is not None:
        yield
        return
    pendientes: list[tuple[str, Sequence[Any]]] = []
    _local.pendientes = pendientes
    try:
        yield
    finally:
        _local.pendientes = None
    _enviar(pendientes, using)


def insertar(fila: Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """INSERT `fila` (its primary key given, or drawn by the database)."""
    pendientes = getattr(_local, "pendientes", None)
    if pendientes is None:
        fila.save(force_insert=True, using=using)
    else:
        pendientes.append(_sql_insert(fila, using))


def actualizar(fila: Model, campos: Sequence[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """UPDATE these columns of `fila`'s row to its values."""
    pendientes = getattr(_local, "pendientes", None)
    if pendientes is None:
        fila.save(update_fields=campos, using=using)
    else:
        pendientes.append(_sql_update(fila, campos, using))


def _sql_insert(fila: Model, using: str) -> tuple[str, Sequence[Any]]:
    meta = fila._meta
    campos = [f for f in meta.local_concrete_fields if not f.generated]
    if fila.pk is None:
        campos = [f for f in campos if f is not meta.auto_field]
    consulta = InsertQuery(type(fila))
    consulta.insert_values(campos, [fila])
    ((sql, params),) = consulta.get_compiler(using=using).as_sql()
    return sql, params


def _sql_update(fila: Model, campos: Sequence[str], using: str) -> tuple[str, Sequence[Any]]:
    modelo = type(fila)
    consulta = UpdateQuery(modelo)
    consulta.add_q(Q(pk=fila.pk))
    consulta.add_update_values({nombre: getattr(fila, nombre) for nombre in campos})
    sql, params = consulta.get_compiler(using=using).as_sql()
    return sql, params


def _enviar(pendientes: list[tuple[str, Sequence[Any]]], using: str) -> None:
    if not pendientes:
        return
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql" and len(pendientes) > 1:
            *antes, (ultima, params_ultima) = pendientes
            clausulas = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(antes))
            params = [p for _, ps in antes for p in ps]
            # Every piece is SQL the ORM compiled; every value is a parameter.
            cursor.execute(f"WITH {clausulas} {ultima}", [*params, *params_ultima])
            return
        for sql, valores in pendientes:
            cursor.execute(sql, valores)
