"""The Centro de Consulta's KPIs in one statement: a report of the OTs and PTEs found,
grouped several ways at once (by status, client, site and month), with the production of
those OTs priced line by line — UNION ALL over the rows found, which the ORM does not write.
The rows found are read once each and only the groups come back, whatever was found.

Every row is a group: (kind, id, text, count, then up to five sums). Amounts come back in
cents, integers on either engine (SQLite keeps decimals as binary floats), each rounded as
`precios.models.importe` rounds it. selectors.indicadores() folds the rows into the KPIs.

Table names come from the models' metadata and status codes from EstatusOT: no value from
outside is written into the SQL (the ids and today's date are parameters).
"""

# ruff: noqa: S608

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection

from sascop.catalogos.estatus import EstatusOT
from sascop.catalogos.models import Cliente, Sitio
from sascop.core.db.disparadores import es_postgresql
from sascop.ots.models import OT
from sascop.precios.models import AnexoOT, PartidaAnexoOT
from sascop.produccion.models import Produccion
from sascop.ptes.models import PTE

# An OT is late when its programmed end has passed and it has not ended.
CERRADAS = (EstatusOT.CANCELADA, EstatusOT.TERMINADA, EstatusOT.POR_CANCELAR)

# The kinds of group.
OT_ESTATUS, OT_CLIENTE, OT_SITIO, OT_MES = "ot_estatus", "ot_cliente", "ot_sitio", "ot_mes"
PTE_ESTATUS, PTE_CLIENTE, PTE_MES, EJECUTADO = "pte_estatus", "pte_cliente", "pte_mes", "ejecutado"


def _entre(columna: str, parametro: str) -> str:
    """`columna` among a list of ids given as one parameter: an array's text on PostgreSQL
    (psycopg's array adapter writes a thousand ids in Python, element by element; their
    text is one join), a JSON array on SQLite.

    On PostgreSQL the array is the value of a scalar subquery, not a constant: given a
    constant, the planner estimates the selectivity of each of its thousand ids, three
    times a statement (about a millisecond at 100,000 PTEs), then joins the OTs' anexos by
    hashing all of them; as a subquery's value it plans a lookup by index per id, which is
    what a thousand ids out of 50,000 rows want."""
    if es_postgresql(connection):
        return f"{columna} = ANY(CAST((SELECT CAST(%({parametro})s AS bigint[])) AS bigint[]))"
    return f"{columna} IN (SELECT value FROM json_each(%({parametro})s))"


def _lista(ids: Sequence[int]) -> str:
    """The ids as `_entre` takes them (integers read from the database: their text is all
    digits)."""
    texto = ",".join(map(str, ids))
    return f"{{{texto}}}" if es_postgresql(connection) else f"[{texto}]"


def _centavos(expr: str) -> str:
    """A column of two decimal places in cents, exact (an integer)."""
    if es_postgresql(connection):
        return f"CAST({expr} * 100 AS bigint)"
    return f"CAST(ROUND({expr} * 100) AS INTEGER)"


def _mes_sql(expr: str) -> str:
    """A date's month, to group by: on PostgreSQL the month's first instant (a date without
    a time zone, cheap to work out), written as text (`_mes_texto`) once per group, not
    once per row (`to_char` on every one of 2,000 rows was a millisecond); on SQLite the
    text itself."""
    if es_postgresql(connection):
        return f"date_trunc('month', CAST({expr} AS timestamp))"
    return f"strftime('%%Y-%%m', {expr})"


def _mes_texto(expr: str) -> str:
    """A month `_mes_sql` gave, as «2026-03»."""
    if es_postgresql(connection):
        return f"to_char({expr}, 'YYYY-MM')"
    return expr


def _importe_centavos(volumen: str, pu: str) -> str:
    """A line's importe in cents, as `precios.models.importe` rounds it (half up, to the cent):
    exact numerics on PostgreSQL; on SQLite, volume (4 places) in ten-thousandths times price
    in cents is the exact amount in millionths, rounded to cents by integer division."""
    if es_postgresql(connection):
        return f"CAST(ROUND({volumen} * {pu}, 2) * 100 AS bigint)"
    millonesimas = f"(CAST(ROUND({volumen} * 10000) AS INTEGER) * {_centavos(pu)})"
    return (
        f"(CASE WHEN {millonesimas} >= 0 THEN ({millonesimas} + 5000) / 10000 "
        f"ELSE -((5000 - {millonesimas}) / 10000) END)"
    )


def _precios(linea: str) -> str:
    """Each group of production (`v`, by anexo line) joined to its line `l` (its P.U.s).

    On PostgreSQL, looked up by primary key group by group (a LATERAL it cannot flatten):
    the groups are a few hundred to a few thousand lines out of every OT's (83,000 at
    50,000 OTs), and its guess of them, from a list of ids it does not read when planning
    (`_entre`), is too low to tell; hashing the groups and reading every line took 17 ms
    where the lookups took 10 (1,574 groups), and 62 against 68 ms at 10,000 groups. The
    plan's cost stays far below the JIT's threshold. SQLite joins by primary key anyway."""
    if es_postgresql(connection):
        return (
            f"CROSS JOIN LATERAL (SELECT l.pu_mn, l.pu_usd FROM {linea} l "
            "WHERE l.id = v.linea OFFSET 0) AS l"
        )
    return f"JOIN {linea} l ON l.id = v.linea"


def _sql(con_ots: bool, con_ptes: bool) -> str:
    """The KPIs' statement over the OTs and/or the PTEs found (each given as one list)."""
    ot, pte, cliente, sitio = (m._meta.db_table for m in (OT, PTE, Cliente, Sitio))
    anexo, linea = AnexoOT._meta.db_table, PartidaAnexoOT._meta.db_table
    produccion = Produccion._meta.db_table
    cerradas = ", ".join(str(int(e)) for e in CERRADAS)
    vistas, partes = [], []
    if con_ots:
        # An OT has at most one active anexo: the LEFT JOIN keeps one row per OT.
        vistas.append(
            f"o AS (SELECT o.estatus, o.cliente_id, o.sitio_id, "
            f"{_mes_sql('o.fecha_inicio_programado')} AS mes, "
            f"{_centavos('o.monto_mxn')} AS mxn, {_centavos('o.monto_usd')} AS usd, "
            "CASE WHEN o.fecha_termino_programado < %(hoy)s AND o.fecha_termino_real IS NULL "
            f"AND o.estatus NOT IN ({cerradas}) THEN 1 ELSE 0 END AS atrasada, "
            f"{_centavos('a.importe_mn')} AS anexo_mxn, {_centavos('a.importe_usd')} AS anexo_usd "
            f"FROM {ot} o LEFT JOIN {anexo} a ON a.ot_id = o.id AND a.activo "
            f"WHERE {_entre('o.id', 'ots')} AND o.eliminado_en IS NULL)"
        )
        # Production summed per anexo line, then priced at that line's P.U. (`_precios`).
        partes += [
            f"SELECT '{OT_ESTATUS}', o.estatus, NULL, COUNT(*), SUM(o.mxn), SUM(o.usd), "
            "SUM(o.atrasada), SUM(o.anexo_mxn), SUM(o.anexo_usd) FROM o GROUP BY o.estatus",
            f"SELECT '{OT_CLIENTE}', o.cliente_id, c.descripcion, COUNT(*), NULL, NULL, NULL, "
            f"NULL, NULL FROM o JOIN {cliente} c ON c.id = o.cliente_id "
            "GROUP BY o.cliente_id, c.descripcion",
            f"SELECT '{OT_SITIO}', o.sitio_id, s.descripcion, COUNT(*), NULL, NULL, NULL, "
            f"NULL, NULL FROM o LEFT JOIN {sitio} s ON s.id = o.sitio_id "
            "GROUP BY o.sitio_id, s.descripcion",
            f"SELECT '{OT_MES}', NULL, {_mes_texto('o.mes')}, COUNT(*), NULL, NULL, NULL, NULL, "
            "NULL FROM o "
            "WHERE o.mes IS NOT NULL GROUP BY o.mes",
            f"SELECT '{EJECUTADO}', NULL, NULL, COUNT(*), "
            f"SUM({_importe_centavos('v.volumen', 'l.pu_mn')}), "
            f"SUM({_importe_centavos('v.volumen', 'l.pu_usd')}), NULL, NULL, NULL "
            "FROM (SELECT partida_anexo_id AS linea, SUM(volumen_produccion) AS volumen "
            f"FROM {produccion} WHERE {_entre('ot_id', 'ots')} GROUP BY partida_anexo_id) v "
            f"{_precios(linea)}",
        ]
    if con_ptes:
        vistas.append(
            f"p AS (SELECT p.estatus, p.cliente_id, {_mes_sql('p.fecha_solicitud')} AS mes "
            f"FROM {pte} p WHERE {_entre('p.id', 'ptes')} AND p.eliminado_en IS NULL)"
        )
        partes += [
            f"SELECT '{PTE_ESTATUS}', p.estatus, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL "
            "FROM p GROUP BY p.estatus",
            f"SELECT '{PTE_CLIENTE}', p.cliente_id, c.descripcion, COUNT(*), NULL, NULL, NULL, "
            f"NULL, NULL FROM p JOIN {cliente} c ON c.id = p.cliente_id "
            "GROUP BY p.cliente_id, c.descripcion",
            f"SELECT '{PTE_MES}', NULL, {_mes_texto('p.mes')}, COUNT(*), NULL, NULL, NULL, NULL, "
            "NULL FROM p "
            "WHERE p.mes IS NOT NULL GROUP BY p.mes",
        ]
    return f"WITH {', '.join(vistas)} {' UNION ALL '.join(partes)}"


def grupos(
    ots: Sequence[int], ptes: Sequence[int], hoy: datetime.date
) -> dict[str, list[tuple[Any, ...]]]:
    """The groups of the OTs `ots` and the PTEs `ptes` (ids; late: by `hoy`), by kind, each
    row without its kind; no query when both are empty."""
    por_clase: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    if not ots and not ptes:
        return por_clase
    parametros: dict[str, Any] = {}
    if ots:
        parametros.update(hoy=hoy, ots=_lista(ots))
    if ptes:
        parametros["ptes"] = _lista(ptes)
    with connection.cursor() as cursor:
        cursor.execute(_sql(bool(ots), bool(ptes)), parametros)
        for clase, *fila in cursor.fetchall():
            por_clase[clase].append(tuple(fila))
    return por_clase
