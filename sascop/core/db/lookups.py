"""`EnLista`: a column among a long list of values, as one parameter on PostgreSQL.

`filter(campo__in=ids)` writes one placeholder per value: a thousand ids are a thousand values
for Django to prepare, for psycopg to interpolate and send, and for PostgreSQL to parse, on
every query that takes them. `filter(EnLista(F("campo"), ids))` is the same filter with the
values as one array on PostgreSQL (`campo = ANY(%s)`) and the `IN` list elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup
from django.db.models.lookups import In


class EnLista(Lookup):
    lookup_name = "en_lista"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))
