"""`EnLista`: a column among a long list of values, as one parameter on PostgreSQL.

`filter(campo__in=ids)` writes one placeholder per value: a thousand ids are a thousand values
for Django to prepare, for psycopg to interpolate and send, and for PostgreSQL to parse, on
every query that takes them. `filter(EnLista(F("campo"), ids))` is the same filter with the
values as one array on PostgreSQL (`campo = ANY(%s)`) and the `IN` list elsewhere.

An array of integers is cast to the column's type: psycopg sends a list of small integers as
`smallint[]`, and a `bigint` column compared with it is a cross-type test PostgreSQL cannot
hash, so it looked each row up in the whole list (500 ids over a month's 15,500 rows of a
sheet: 16 ms instead of 1).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup
from django.db.models.lookups import In

ENTEROS = ("smallint", "integer", "bigint")


class EnLista(Lookup):
    lookup_name = "en_lista"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        tipo = self.lhs.output_field.db_type(connection)
        valores = list(self.rhs)
        if tipo in ENTEROS and all(type(v) is int for v in valores):
            # The array as one text literal ("{1,2,3}"): psycopg dumps a list of integers
            # one value at a time, in Python (a tenth of a millisecond per 100 ids).
            texto = "{" + ",".join(map(str, valores)) + "}"
            return f"{lhs} = ANY(CAST(%s AS {tipo}[]))", (*params, texto)
        if tipo in ENTEROS:
            return f"{lhs} = ANY(CAST(%s AS {tipo}[]))", (*params, valores)
        return f"{lhs} = ANY(%s)", (*params, valores)
