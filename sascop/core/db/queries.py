"""Small query helpers every domain app needs."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model, QuerySet

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
    lote: int = 500,
) -> int:
    """Give each row `pk` of `valores` its own values of `campos` (in that order), all of
    them the values `fijos`, and add one to their `incrementar` fields (a version).

    One `UPDATE … FROM (VALUES …)` per `lote` rows: `bulk_update` writes a CASE per field
    whose building costs more than the update itself once there are thousands of rows.
    Returns how many rows were updated."""
    if not valores:
        return 0
    meta = modelo._meta
    assert meta.pk is not None
    q = connection.ops.quote_name
    tabla = q(meta.db_table)
    postgres = connection.vendor == "postgresql"
    asignaciones = []
    for n, nombre in enumerate(campos, start=2):
        campo = _campo(modelo, nombre)
        origen = f"v.column{n}"
        if postgres:  # parameters of a VALUES list carry no column type there
            origen = f"CAST({origen} AS {campo.db_type(connection)})"
        asignaciones.append(f"{q(campo.column or '')} = {origen}")
    constantes = []
    for nombre, valor in (fijos or {}).items():
        campo = _campo(modelo, nombre)
        asignaciones.append(f"{q(campo.column or '')} = %s")
        constantes.append(campo.get_db_prep_save(valor, connection))
    for nombre in incrementar:
        columna = q(_campo(modelo, nombre).column or "")
        asignaciones.append(f"{columna} = {columna} + 1")
    clave = "CAST(v.column1 AS bigint)" if postgres else "v.column1"
    columna_pk = q(_campo(modelo, meta.pk.name).column or "")
    preparar = [_campo(modelo, nombre) for nombre in campos]
    marcas = "(" + ", ".join(["%s"] * (len(campos) + 1)) + ")"
    filas = list(valores.items())
    total = 0
    for inicio in range(0, len(filas), lote):
        parte = filas[inicio : inicio + lote]
        parametros: list[Any] = list(constantes)
        for pk, datos in parte:
            parametros.append(pk)
            parametros += [
                campo.get_db_prep_save(valor, connection)
                for campo, valor in zip(preparar, datos, strict=True)
            ]
        with connection.cursor() as cursor:
            # Names come from the model's meta, quoted; every value is a parameter.
            sql = (
                f"UPDATE {tabla} SET {', '.join(asignaciones)} "  # noqa: S608
                f"FROM (VALUES {', '.join([marcas] * len(parte))}) AS v "
                f"WHERE {tabla}.{columna_pk} = {clave}"
            )
            cursor.execute(sql, parametros)
            total += cursor.rowcount
    return total


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
