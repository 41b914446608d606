"""Small query helpers every domain app needs."""

from __future__ import annotations

import contextlib
import datetime
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Max, Min, Model, QuerySet, Subquery

from sascop.core.errors import NotFound

M = TypeVar("M", bound=Model)


def bloquear_o_404(queryset: QuerySet[M], pk: Any, nombre: str) -> M:
    """The row `pk` of `queryset`, locked for the rest of the transaction (SELECT … FOR
    UPDATE), or 404 "<nombre> <pk> does not exist." Call inside `transaction.atomic`."""
    instancia = queryset.select_for_update().filter(pk=pk).first()
    if instancia is None:
        raise NotFound(f"{nombre} {pk} does not exist.")
    return instancia


def _campo(modelo: type[Model], nombre: str) -> Field[Any, Any]:
    campo = modelo._meta.get_field(nombre)
    if not isinstance(campo, Field) or campo.column is None:
        raise TypeError(f"{modelo.__name__}.{nombre} is not a column.")
    return campo


def actualizar_por_pk(
    modelo: type[Model],
    campos: Sequence[str],
    valores: Mapping[Any, Sequence[Any]],
    *,
    fijos: Mapping[str, Any] | None = None,
    incrementar: Sequence[str] = (),
    lote: int = 5000,
) -> int:
    """Give each row `pk` of `valores` its own values of `campos` (in that order), all of
    them the values `fijos`, and add one to their `incrementar` fields (a version).

    One `UPDATE … FROM` per `lote` rows, the rows as one JSON parameter (as `insertar`):
    `bulk_update` writes a CASE per field whose building costs more than the update itself
    once there are thousands of rows. Returns how many rows were updated."""
    if not valores:
        return 0
    meta = modelo._meta
    assert meta.pk is not None
    q = connection.ops.quote_name
    tabla = q(meta.db_table)
    postgres = connection.vendor == "postgresql"
    if postgres:
        origen, valor = "json_array_elements(CAST(%s AS json)) AS v(fila)", "v.fila ->> {n}"
    else:
        origen, valor = "json_each(%s) AS v", "json_extract(v.value, '$[{n}]')"
    asignaciones = []
    for n, nombre in enumerate(campos, start=1):
        campo = _campo(modelo, nombre)
        origen_campo = valor.format(n=n)
        if postgres:  # JSON values carry no column type there
            origen_campo = f"CAST({origen_campo} AS {campo.db_type(connection)})"
        asignaciones.append(f"{q(campo.column or '')} = {origen_campo}")
    constantes = []
    for nombre, fijo in (fijos or {}).items():
        campo = _campo(modelo, nombre)
        asignaciones.append(f"{q(campo.column or '')} = %s")
        constantes.append(campo.get_db_prep_save(fijo, connection))
    for nombre in incrementar:
        columna = q(_campo(modelo, nombre).column or "")
        asignaciones.append(f"{columna} = {columna} + 1")
    clave = valor.format(n=0)
    clave = f"CAST({clave} AS bigint)" if postgres else clave
    columna_pk = q(_campo(modelo, meta.pk.name).column or "")
    preparar = [_campo(modelo, nombre) for nombre in campos]
    # Names come from the model's meta, quoted; every value is a parameter.
    sql = (
        f"UPDATE {tabla} SET {', '.join(asignaciones)} "  # noqa: S608
        f"FROM {origen} WHERE {tabla}.{columna_pk} = {clave}"
    )
    filas = list(valores.items())
    total = 0
    for inicio in range(0, len(filas), lote):
        parte = [
            [
                pk,
                *(
                    campo.get_db_prep_save(valor, connection)
                    for campo, valor in zip(preparar, datos, strict=True)
                ),
            ]
            for pk, datos in filas[inicio : inicio + lote]
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*constantes, json.dumps(parte, default=_en_json)])
            total += cursor.rowcount
    return total


def insertar(
    modelo: type[Model],
    campos: Sequence[str],
    filas: Sequence[Sequence[Any]],
    *,
    fijos: Mapping[str, Any] | None = None,
    devolver: Sequence[str] = (),
    lote: int = 5000,
) -> list[tuple[Any, ...]]:
    """Insert a row per tuple of `filas` (values of `campos`, in that order), each with the
    values `fijos` and, for every other field, its default (`auto_now(_add)` included),
    taken once for the whole insert: a callable default (`timezone.now`, `uuid4`) gives
    every row the same value, so a field that must differ per row goes in `campos`. Returns
    the `devolver` fields of the rows inserted (in no particular order, each value
    through its field's `to_python`: SQLite answers dates as text).

    One `INSERT … SELECT` per `lote` rows, without a model instance per row (`bulk_create`
    spends most of a 15,000-row insert building and preparing instances) and with the
    rows as one JSON parameter (one placeholder, not one per value: binding tens of
    thousands of them costs more than the insert). Values go through each field's
    `get_db_prep_save` (once per distinct value), so they are stored as the ORM would
    store them. No signals, no `full_clean`: the caller validated the rows."""
    if not filas:
        return []
    meta = modelo._meta
    q = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    plantilla = modelo(**(fijos or {}))
    variables = [_campo(modelo, nombre) for nombre in campos]
    constantes = [
        campo
        for campo in meta.concrete_fields
        if campo not in variables and not (campo.primary_key and campo.get_default() is None)
    ]
    columnas = [q(campo.column or "") for campo in (*constantes, *variables)]
    valores_fijos = [
        campo.get_db_prep_save(campo.pre_save(plantilla, add=True), connection)
        for campo in constantes
    ]

    def tipado(sql: str, campo: Field[Any, Any]) -> str:
        # Parameters and JSON values carry no column type on PostgreSQL.
        return f"CAST({sql} AS {campo.db_type(connection)})" if postgres else sql

    if postgres:
        origen, valor = "json_array_elements(CAST(%s AS json)) AS v(fila)", "v.fila ->> {n}"
    else:
        origen, valor = "json_each(%s) AS v", "json_extract(v.value, '$[{n}]')"
    seleccion = [tipado("%s", campo) for campo in constantes] + [
        tipado(valor.format(n=n), campo) for n, campo in enumerate(variables)
    ]
    devueltos = [_campo(modelo, nombre) for nombre in devolver]
    retorno = ", ".join(q(campo.column or "") for campo in devueltos)
    # Names come from the model's meta, quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(columnas)}) "  # noqa: S608
        f"SELECT {', '.join(seleccion)} FROM {origen}"
    )
    if retorno:
        sql += f" RETURNING {retorno}"
    preparados: list[dict[Any, Any]] = [{} for _ in variables]

    def preparar(n: int, valor: Any) -> Any:
        vistos = preparados[n]
        try:
            return vistos[valor]
        except KeyError:
            vistos[valor] = variables[n].get_db_prep_save(valor, connection)
            return vistos[valor]
        except TypeError:  # not hashable
            return variables[n].get_db_prep_save(valor, connection)

    devueltas: list[tuple[Any, ...]] = []
    for inicio in range(0, len(filas), lote):
        parte = [
            [preparar(n, valor) for n, valor in enumerate(fila)]
            for fila in filas[inicio : inicio + lote]
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*valores_fijos, json.dumps(parte, default=_en_json)])
            if retorno:
                devueltas += [
                    tuple(campo.to_python(v) for campo, v in zip(devueltos, fila, strict=True))
                    for fila in cursor.fetchall()
                ]
    return devueltas


def _en_json(valor: Any) -> str:
    """A prepared value JSON cannot hold, as the text its column type reads."""
    if isinstance(valor, datetime.datetime | datetime.date | datetime.time):
        return valor.isoformat()
    if isinstance(valor, Decimal):
        return format(valor, "f")
    raise TypeError(f"{type(valor).__name__} is not a column value insertar knows.")


# Past this, a block without queries may have outlived the server's idle limit for the
# connection (DB_STATEMENT_TIMEOUT's idle_session_timeout, see core.postgresql).
_LARGO = 1.0


@contextlib.contextmanager
def sin_la_base_de_datos(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A block that sends no query (reading an uploaded workbook). If it took longer than a
    second, the connection is closed at its end (outside a transaction), so the next query
    opens a new one instead of finding its session ended by the server's idle limit."""
    empezado = time.monotonic()
    try:
        yield
    finally:
        conn = connections[using]
        if time.monotonic() - empezado > _LARGO and not conn.in_atomic_block:
            conn.close()


# Counting stops here: beyond it the total is the planner's estimate. Counting 10k index
# entries costs about a millisecond; counting 1M rows, a hundred.
LIMITE_CONTEO = 10_000
# From this offset on, a page first picks its ids (an index scan) and then loads those rows
# with their joins, instead of joining every row it skips.
DESPLAZAMIENTO_DIFERIDO = 1_000


def _estimado(queryset: QuerySet[Any]) -> int:
    """The planner's row estimate for `queryset` (PostgreSQL); 0 where there is none."""
    if connections[queryset.db].vendor != "postgresql":
        return 0
    # Of the ids alone: the same rows, without planning the joins and computed columns.
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def contar(queryset: QuerySet[Any], limite: int = LIMITE_CONTEO) -> tuple[int, bool]:
    """(total, approximate): exact up to `limite` rows, else the planner's estimate — a list
    that grows without bound never counts all its rows."""
    # Only the ids: the rows' computed columns (an OT's plan) would be worked out for each.
    hasta = queryset.order_by().values("pk")[: limite + 1].count()
    if hasta <= limite:
        return hasta, False
    return max(hasta, _estimado(queryset)), True


def leer_pagina(
    queryset: QuerySet[Any],
    inicio: int,
    tamano: int,
    diferido: int = DESPLAZAMIENTO_DIFERIDO,
    indice: QuerySet[Any] | None = None,
) -> list[Any]:
    """The rows `inicio` to `inicio + tamano` of `queryset`, in its order. From the offset
    `diferido` on, a page picks its ids first (the rows it skips are index entries, never
    joined), from `indice` if given (the same rows in the same order, without the joins
    that only add columns), then loads them."""
    if inicio < diferido:
        return list(queryset[inicio : inicio + tamano])
    ids = list(
        (queryset if indice is None else indice).values_list("pk", flat=True)[
            inicio : inicio + tamano
        ]
    )
    # In the ids' order, set here: the rows' query needs no ORDER BY (nor to compile one).
    filas = {fila.pk: fila for fila in queryset.filter(pk__in=ids).order_by()}
    return [filas[pk] for pk in ids if pk in filas]


def anios(modelo: type[Model], campo: str) -> list[int]:
    """The years in which the rows of `modelo` not deleted (`eliminado_en` null) have a date
    `campo`, newest first.

    `dates(campo, "year")` reads every row. On PostgreSQL this walks down an index on `campo`
    in one statement written once (the lists keep one, partial on the rows not deleted): the
    newest date, then the newest before that date's year, and so on, one index probe a year.
    Built through the ORM, the same probes (a subquery a year) cost ten times what they take
    to run. Elsewhere, the ORM's probes (`_anios_por_subconsultas`)."""
    filas = modelo._default_manager.filter(eliminado_en__isnull=True)
    if connections[filas.db].vendor != "postgresql":
        return _anios_por_subconsultas(filas, campo)
    nombre = connections[filas.db].ops.quote_name
    fecha = modelo._meta.get_field(campo)
    assert isinstance(fecha, Field) and fecha.column
    tabla, columna = nombre(modelo._meta.db_table), nombre(fecha.column)
    # Every name in it is the model's own (quoted): no value from a request goes in.
    sql = f"""
        WITH RECURSIVE fechas (fecha) AS (
            (SELECT {columna} FROM {tabla}
             WHERE eliminado_en IS NULL AND {columna} IS NOT NULL
             ORDER BY {columna} DESC LIMIT 1)
            UNION ALL
            SELECT (SELECT {columna} FROM {tabla}
                    WHERE eliminado_en IS NULL
                      AND {columna} < make_date(EXTRACT(YEAR FROM fechas.fecha)::int, 1, 1)
                    ORDER BY {columna} DESC LIMIT 1)
            FROM fechas WHERE fechas.fecha IS NOT NULL
        )
        SELECT EXTRACT(YEAR FROM fecha)::int FROM fechas WHERE fecha IS NOT NULL
    """  # noqa: S608
    with connections[filas.db].cursor() as cursor:
        cursor.execute(sql)
        return [int(anio) for (anio,) in cursor.fetchall()]


def _anios_por_subconsultas(filas: QuerySet[Any], campo: str) -> list[int]:
    """`anios` through the ORM, in two queries whatever the number of rows: the first and the
    last date, then, in one row, each year's first date for the years between them (none
    when the year has no rows). Ordered and limited to one, each is an index probe."""
    filas = filas.order_by()
    bordes = filas.aggregate(primera=Min(campo), ultima=Max(campo))
    primera, ultima = bordes["primera"], bordes["ultima"]
    if primera is None or ultima is None:
        return []
    entre = range(ultima.year - 1, primera.year, -1)
    primeras: dict[str, Any] = {}
    if entre:
        subconsultas = {
            f"anio_{a}": Subquery(
                filas.filter(
                    **{
                        f"{campo}__gte": datetime.date(a, 1, 1),
                        f"{campo}__lt": datetime.date(a + 1, 1, 1),
                    }
                )
                .order_by(campo)
                .values(campo)[:1]
            )
            for a in entre
        }
        # Any one row carries the answers (they do not depend on it).
        primeras = next(iter(filas.annotate(**subconsultas).values(*subconsultas)[:1]), {})
    medio = [a for a in entre if primeras.get(f"anio_{a}") is not None]
    return sorted({ultima.year, *medio, primera.year}, reverse=True)


# Well below the shortest idle limit a request's transaction is given (DB_STATEMENT_TIMEOUT).
_PULSO = 2.0


class Latido:
    """For a long loop without queries inside a transaction (checking 50,000 rows of a
    workbook against the stored ones): calling it runs `consulta.exists()` once `cada`
    seconds have passed since the last time, so PostgreSQL does not end the transaction for
    idling past `idle_in_transaction_session_timeout`. Between beats it costs one clock read."""

    def __init__(
        self,
        consulta: QuerySet[Any],
        cada: float = _PULSO,
        reloj: Callable[[], float] = time.monotonic,
    ) -> None:
        self.consulta = consulta
        self.cada = cada
        self.reloj = reloj
        self.ultimo = reloj()

    def __call__(self) -> None:
        if self.reloj() - self.ultimo >= self.cada:
            self.consulta.exists()
            self.ultimo = self.reloj()
