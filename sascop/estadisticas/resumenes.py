"""The one place that keeps the dashboard's totals (models.py) in step with the data.

Why database triggers, not service hooks: the totals must stay exact for every write path —
services, the admin, `bulk_create`, `QuerySet.update()`/`.delete()`, soft deletes, the demo
loader, imports, a migration's data step, a psql session. Hooks in services (or model signals)
see only some of these; a trigger sees them all, and runs inside the writing statement's
transaction, so a rolled-back write leaves no trace in the totals either.

What is counted (the reference is `selectors.calcular()`):
  * resumen_pte         non-deleted PTEs per estatus;
  * resumen_ot          non-deleted OTs per (estatus, cliente): count, MXN and USD in cents;
  * resumen_produccion  production rows whose OT is not deleted, per month: count, volume
                        in ten-thousandths and the amount executed (volume times its line's
                        P.U. M.N.) in millionths of a peso. They depend on `ot_id`,
                        `fecha_produccion`, `volumen_produccion`, `partida_anexo_id` and that
                        line's `pu_mn`; soft-deleting (or restoring) an OT moves its
                        production out of (into) the totals, and a line's new price moves its
                        production's amount.
  * resumen_anexo       what the active anexos change of their OTs' amounts (the contracted
                        amount of an OT with an active anexo is the anexo's, not the one
                        typed): per (estatus, cliente) of the OTs not deleted, importe minus the
                        OT's monto, MXN and USD in cents. An anexo and its OT count together
                        only while both rows are there, the anexo active and the OT not
                        deleted; they depend on the anexo's `activo`, `importe_mn`,
                        `importe_usd`, `ot_id` and the OT's `estatus`, `cliente_id`,
                        `monto_mxn`, `monto_usd`, `eliminado_en`. The anexo's trigger adds its
                        rows joined to their OTs as they are; the OT's trigger adds its rows
                        joined to their anexos as they are: whichever row comes, goes or
                        changes second finds the first and moves the pair.
  * resumen_pte_vence   PTEs still owed (not deleted, neither delivered nor cancelled) per
                        due date (`fecha_solicitud + plazo_dias`);
  * resumen_ot_termino  open OTs (not deleted, neither Terminada nor Cancelada) per
                        programmed end. The overdue PTEs and late OTs on a day are these
                        ledgers' rows before it: a sum over a few thousand dates, not a count
                        over every late row.

The tables are ledgers of signed deltas (see models.py): triggers only INSERT, so writers never
contend for a counter row. `compactar()` folds each ledger into one row per key: a scheduled
job does it, `manage.py recalcular_resumenes --compactar` every 10 minutes
(deploy/systemd/sascop-resumenes.timer), so that reads stay reads (the dashboard sums the rows
added since, a few hundred on a busy day). `manage.py recalcular_resumenes` rebuilds everything
from the source rows (after a TRUNCATE, which fires no row trigger).

PostgreSQL: statement-level triggers with transition tables — a 1,000-row `bulk_create` adds a
handful of ledger rows, not 1,000. A production write first takes FOR SHARE on its OTs, so an
OT being soft-deleted concurrently is seen either before or after, never half (the OT's trigger
sums the OT's production when it commits its flag). An anexo write likewise takes FOR SHARE
on its OTs before it reads them, so the pair's delta is computed once with the OT as it ends
up: an OT updated first (its row locked) is waited for and then read by the anexo's trigger (a fresh
snapshot for each statement, READ COMMITTED as Django runs); an anexo change that locked first
makes the OT's UPDATE wait until it commits, after which the OT's trigger sees the anexo as
committed. Either way neither trigger misses the other's change or counts it twice; FOR SHARE
(not FOR UPDATE) lets anexo writes on the same OT proceed together, each moving only its own
rows, and conflicts with the FOR NO KEY UPDATE an OT's UPDATE takes (the foreign key's own FOR
KEY SHARE would not). SQLite: row-level triggers (it has no others); its writers are serialised
anyway.

On SQLite a migration that alters a source table rebuilds it and loses its triggers; so before
migrating the triggers are dropped, and afterwards reinstalled and the totals recomputed
(`antes_de_migrar` / `despues_de_migrar`, wired in apps.py). PostgreSQL keeps triggers across
ALTER TABLE; there they are (re)installed only when missing, and then the totals recomputed.
"""

# Every SQL string here is built from this module's constants only: no value from outside.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from sascop.catalogos.estatus import EstatusPTE
from sascop.core.db.disparadores import Disparadores
from sascop.ots.selectors import CERRADAS

LEDGERS = {
    # table: (key columns, measure columns)
    "resumen_pte": (["estatus"], ["total"]),
    "resumen_ot": (["estatus", "cliente_id"], ["total", "mxn_centavos", "usd_centavos"]),
    "resumen_produccion": (["mes"], ["total", "volumen_diezmilesimas", "importe_mn_millonesimas"]),
    "resumen_anexo": (["estatus", "cliente_id"], ["mxn_centavos", "usd_centavos"]),
    "resumen_pte_vence": (["vence"], ["total"]),
    "resumen_ot_termino": (["termino"], ["total"]),
}
SOURCES = ["ptes_pte", "ots_ot", "produccion_produccion"]
# Not counted itself, but its price is part of every production row's amount.
PARTIDAS = "precios_partidaanexoot"
# An OT's anexo versions: the active one's totals replace the OT's amounts typed.
ANEXOS = "precios_anexoot"
# The anexo's and the OT's columns that resumen_anexo depends on.
COLUMNAS_ANEXO = ["activo", "importe_mn", "importe_usd", "ot_id"]
COLUMNAS_OT_ANEXO = ["estatus", "cliente_id", "monto_mxn", "monto_usd"]


def _pg(conn: BaseDatabaseWrapper) -> bool:
    return conn.vendor == "postgresql"


def _centavos(conn: BaseDatabaseWrapper, expr: str) -> str:
    if _pg(conn):
        return f"({expr} * 100)::bigint"
    # SQLite keeps decimals as binary floats: round back to the exact integer.
    return f"CAST(ROUND({expr} * 100) AS INTEGER)"


def _diezmilesimas(conn: BaseDatabaseWrapper, expr: str) -> str:
    if _pg(conn):
        return f"({expr} * 10000)::bigint"
    return f"CAST(ROUND({expr} * 10000) AS INTEGER)"


def _millonesimas(conn: BaseDatabaseWrapper, expr: str) -> str:
    if _pg(conn):
        return f"({expr} * 1000000)::bigint"
    return f"CAST(ROUND({expr} * 1000000) AS INTEGER)"


def _importe(conn: BaseDatabaseWrapper, volumen: str, pu: str) -> str:
    """A production row's amount in millionths (volume 4 places times price 2 is exact)."""
    return _millonesimas(conn, f"{volumen} * {pu}")


def _mes(conn: BaseDatabaseWrapper, expr: str) -> str:
    if _pg(conn):
        return f"date_trunc('month', {expr})::date"
    return f"date({expr}, 'start of month')"


# Each source row's contribution, signed: `r` names the row (a transition table's alias on
# PostgreSQL, NEW/OLD on SQLite), `s` is +1 or -1, `desde` the FROM clause (empty on SQLite).


def _pte(conn: BaseDatabaseWrapper, r: str, s: str, desde: str) -> str:
    return f"SELECT {r}.estatus, {s} {desde} WHERE {r}.eliminado_en IS NULL"


def _ot(conn: BaseDatabaseWrapper, r: str, s: str, desde: str) -> str:
    mxn, usd = _centavos(conn, f"{r}.monto_mxn"), _centavos(conn, f"{r}.monto_usd")
    return (
        f"SELECT {r}.estatus, {r}.cliente_id, {s}, {s} * {mxn}, {s} * {usd} {desde} "
        f"WHERE {r}.eliminado_en IS NULL"
    )


def _produccion(conn: BaseDatabaseWrapper, r: str, s: str, desde: str) -> str:
    # A row of a line no longer there (a flush in progress) counts no amount.
    pu = f"COALESCE((SELECT pa.pu_mn FROM {PARTIDAS} pa WHERE pa.id = {r}.partida_anexo_id), 0)"
    return (
        f"SELECT {_mes(conn, f'{r}.fecha_produccion')}, {s}, "
        f"{s} * {_diezmilesimas(conn, f'{r}.volumen_produccion')}, "
        f"{s} * {_importe(conn, f'{r}.volumen_produccion', pu)} {desde} "
        f"WHERE EXISTS (SELECT 1 FROM ots_ot o WHERE o.id = {r}.ot_id AND o.eliminado_en IS NULL)"
    )


def _anexo(conn: BaseDatabaseWrapper, a: str, o: str, s: str, desde: str) -> str:
    """The signed adjustment of the anexos `a` joined to their OTs `o` (one of the two a
    transition table or NEW/OLD, the other the table itself, both named in `desde`)."""
    mxn = f"{_centavos(conn, f'{a}.importe_mn')} - {_centavos(conn, f'{o}.monto_mxn')}"
    usd = f"{_centavos(conn, f'{a}.importe_usd')} - {_centavos(conn, f'{o}.monto_usd')}"
    return (
        f"SELECT {o}.estatus, {o}.cliente_id, {s} * ({mxn}), {s} * ({usd}) {desde} "
        f"WHERE {a}.ot_id = {o}.id AND {a}.activo AND {o}.eliminado_en IS NULL"
    )


# A PTE delivered or cancelled is no longer owed (ptes.models.POR_ENTREGAR); an OT Terminada
# or Cancelada is no longer late (ots.selectors.CERRADAS).
PTE_CERRADAS = (EstatusPTE.ENTREGADA, EstatusPTE.CANCELADA)


def _lista(valores: tuple[int, ...]) -> str:
    return ", ".join(str(int(v)) for v in valores)


def _vence(conn: BaseDatabaseWrapper, r: str) -> str:
    """A PTE's due date, as ptes.models.VENCE computes it."""
    if _pg(conn):
        return f"({r}.fecha_solicitud + {r}.plazo_dias)"
    return f"date({r}.fecha_solicitud, '+' || {r}.plazo_dias || ' days')"


def _por_entregar(r: str) -> str:
    return (
        f"{r}.eliminado_en IS NULL AND {r}.fecha_entrega IS NULL "
        f"AND {r}.estatus NOT IN ({_lista(PTE_CERRADAS)})"
    )


def _abierta(r: str) -> str:
    return (
        f"{r}.eliminado_en IS NULL AND {r}.fecha_termino_programado IS NOT NULL "
        f"AND {r}.estatus NOT IN ({_lista(CERRADAS)})"
    )


def _pte_vence(conn: BaseDatabaseWrapper, r: str, s: str, desde: str) -> str:
    return f"SELECT {_vence(conn, r)}, {s} {desde} WHERE {_por_entregar(r)}"


def _ot_termino(conn: BaseDatabaseWrapper, r: str, s: str, desde: str) -> str:
    return f"SELECT {r}.fecha_termino_programado, {s} {desde} WHERE {_abierta(r)}"


# Ledgers of one source table each, with their own triggers: name -> (table, ledger,
# contribution, the columns whose change moves a row on SQLite besides `eliminado_en`).
POR_FECHA: dict[str, tuple[str, str, Any, list[str]]] = {
    "ptes_pte_vence": (
        "ptes_pte",
        "resumen_pte_vence",
        _pte_vence,
        ["estatus", "fecha_solicitud", "plazo_dias", "fecha_entrega"],
    ),
    "ots_ot_termino": (
        "ots_ot",
        "resumen_ot_termino",
        _ot_termino,
        ["estatus", "fecha_termino_programado"],
    ),
}


CONTRIBUCIONES = {"ptes_pte": _pte, "ots_ot": _ot, "produccion_produccion": _produccion}
LEDGER_DE = {
    "ptes_pte": "resumen_pte",
    "ots_ot": "resumen_ot",
    "produccion_produccion": "resumen_produccion",
}


def _columnas(ledger: str) -> tuple[list[str], list[str]]:
    return LEDGERS[ledger]


def _insertar_neto(conn: BaseDatabaseWrapper, ledger: str, partes: list[str]) -> str:
    """INSERT the net delta per key of the given signed contributions (PostgreSQL)."""
    claves, medidas = _columnas(ledger)
    todas = claves + medidas
    alias = [f"c{i}" for i in range(len(todas))]
    union = " UNION ALL ".join(partes)
    sumas = ", ".join(f"SUM({a})" for a in alias[len(claves) :])
    having = " OR ".join(f"SUM({a}) <> 0" for a in alias[len(claves) :])
    grupo = ", ".join(alias[: len(claves)])
    return (
        f"INSERT INTO {ledger} ({', '.join(todas)}) "
        f"SELECT {grupo}, {sumas} FROM ({union}) AS x ({', '.join(alias)}) "
        f"GROUP BY {grupo} HAVING {having}"
    )


def _nombres_triggers(conn: BaseDatabaseWrapper) -> list[str]:
    ops = ["ins", "upd", "del"]
    nombres = [f"resumen_{tabla}_{op}" for tabla in SOURCES for op in ops]
    nombres.append(f"resumen_{PARTIDAS}_upd")
    nombres += [f"resumen_{ANEXOS}_{op}" for op in ops]
    nombres += [f"resumen_ots_ot_anexo_{op}" for op in ops]
    nombres += [f"resumen_{nombre}_{op}" for nombre in POR_FECHA for op in ops]
    if not _pg(conn):
        nombres.append("resumen_ots_ot_produccion")
    return nombres


def _sql_postgresql(conn: BaseDatabaseWrapper) -> list[str]:
    sentencias = []
    for tabla in SOURCES:
        ledger, contribucion = LEDGER_DE[tabla], CONTRIBUCIONES[tabla]
        nuevas = contribucion(conn, "r", "1", "FROM nuevas AS r")
        viejas = contribucion(conn, "r", "-1", "FROM viejas AS r")
        bloqueo_ins = bloqueo_del = extra_upd = ""
        if tabla == "produccion_produccion":
            # Serialise with a concurrent soft delete of the same OT (see the docstring).
            bloqueo = (
                "PERFORM 1 FROM ots_ot WHERE id IN (SELECT ot_id FROM {t}) ORDER BY id FOR SHARE;"
            )
            bloqueo_ins = bloqueo.format(t="nuevas")
            bloqueo_del = bloqueo.format(t="viejas")
        if tabla == "ots_ot":
            # An OT deleted or restored takes its production out of or into the totals.
            extra_upd = (
                f"INSERT INTO resumen_produccion ({_MEDIDAS_PRODUCCION}) "
                f"SELECT {_produccion_de_ots(conn)} FROM ("
                "SELECT n.id, CASE WHEN n.eliminado_en IS NULL THEN 1 ELSE -1 END AS s "
                "FROM nuevas AS n JOIN viejas AS v ON v.id = n.id "
                "WHERE (v.eliminado_en IS NULL) <> (n.eliminado_en IS NULL)) AS c "
                "JOIN produccion_produccion AS p ON p.ot_id = c.id "
                f"JOIN {PARTIDAS} AS pa ON pa.id = p.partida_anexo_id GROUP BY 1;"
            )
        sentencias.append(
            f"CREATE OR REPLACE FUNCTION resumen_{tabla}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN\n"
            f"IF TG_OP = 'INSERT' THEN {bloqueo_ins} {_insertar_neto(conn, ledger, [nuevas])};\n"
            f"ELSIF TG_OP = 'DELETE' THEN {bloqueo_del} {_insertar_neto(conn, ledger, [viejas])};\n"
            f"ELSE {bloqueo_del} {bloqueo_ins} "
            f"{_insertar_neto(conn, ledger, [viejas, nuevas])}; {extra_upd}\n"
            "END IF; RETURN NULL; END $$"
        )
        referencias = {
            "ins": ("INSERT", "REFERENCING NEW TABLE AS nuevas"),
            "upd": ("UPDATE", "REFERENCING OLD TABLE AS viejas NEW TABLE AS nuevas"),
            "del": ("DELETE", "REFERENCING OLD TABLE AS viejas"),
        }
        for op, (evento, referencia) in referencias.items():
            sentencias.append(
                f"CREATE OR REPLACE TRIGGER resumen_{tabla}_{op} AFTER {evento} ON {tabla} "
                f"{referencia} FOR EACH STATEMENT EXECUTE FUNCTION resumen_{tabla}()"
            )
    # A line's new price changes the amount of its production (of OTs not deleted).
    nuevo = _importe(conn, "p.volumen_produccion", "n.pu_mn")
    viejo = _importe(conn, "p.volumen_produccion", "v.pu_mn")
    sentencias += [
        f"CREATE OR REPLACE FUNCTION resumen_{PARTIDAS}() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN\n"
        f"INSERT INTO resumen_produccion ({_MEDIDAS_PRODUCCION}) "
        f"SELECT {_mes(conn, 'p.fecha_produccion')}, 0, 0, SUM({nuevo} - {viejo}) "
        "FROM nuevas AS n JOIN viejas AS v ON v.id = n.id AND v.pu_mn <> n.pu_mn "
        "JOIN produccion_produccion AS p ON p.partida_anexo_id = n.id "
        "WHERE EXISTS (SELECT 1 FROM ots_ot o WHERE o.id = p.ot_id AND o.eliminado_en IS NULL) "
        f"GROUP BY 1 HAVING SUM({nuevo} - {viejo}) <> 0;\n"
        "RETURN NULL; END $$",
        f"CREATE OR REPLACE TRIGGER resumen_{PARTIDAS}_upd AFTER UPDATE ON {PARTIDAS} "
        "REFERENCING OLD TABLE AS viejas NEW TABLE AS nuevas "
        f"FOR EACH STATEMENT EXECUTE FUNCTION resumen_{PARTIDAS}()",
    ]
    return sentencias + _sql_postgresql_anexos(conn)


def _sql_postgresql_anexos(conn: BaseDatabaseWrapper) -> list[str]:
    """resumen_anexo's triggers: on the anexos (their OTs locked first, see the docstring) and
    on the OTs; and the POR_FECHA ledgers' own."""
    bloqueo = "PERFORM 1 FROM ots_ot WHERE id IN (SELECT ot_id FROM {t}) ORDER BY id FOR SHARE;"
    del_anexo = {
        t: _anexo(conn, "a", "o", s, f"FROM {t} AS a, ots_ot AS o")
        for t, s in (("nuevas", "1"), ("viejas", "-1"))
    }
    de_la_ot = {
        t: _anexo(conn, "a", "o", s, f"FROM {t} AS o, {ANEXOS} AS a")
        for t, s in (("nuevas", "1"), ("viejas", "-1"))
    }
    ledger = "resumen_anexo"
    ambas = "(SELECT ot_id FROM viejas UNION SELECT ot_id FROM nuevas) AS t"
    cuerpos = {
        ANEXOS: (
            f"IF TG_OP = 'INSERT' THEN {bloqueo.format(t='nuevas')} "
            f"{_insertar_neto(conn, ledger, [del_anexo['nuevas']])};\n"
            f"ELSIF TG_OP = 'DELETE' THEN {bloqueo.format(t='viejas')} "
            f"{_insertar_neto(conn, ledger, [del_anexo['viejas']])};\n"
            f"ELSE {bloqueo.format(t=ambas)} "
            f"{_insertar_neto(conn, ledger, [del_anexo['viejas'], del_anexo['nuevas']])};\n"
        ),
        "ots_ot_anexo": (
            f"IF TG_OP = 'INSERT' THEN {_insertar_neto(conn, ledger, [de_la_ot['nuevas']])};\n"
            f"ELSIF TG_OP = 'DELETE' THEN {_insertar_neto(conn, ledger, [de_la_ot['viejas']])};\n"
            f"ELSE {_insertar_neto(conn, ledger, [de_la_ot['viejas'], de_la_ot['nuevas']])};\n"
        ),
    }
    tablas = {ANEXOS: ANEXOS, "ots_ot_anexo": "ots_ot"}
    for nombre, (tabla, del_ledger, contribucion, _) in POR_FECHA.items():
        nuevas = contribucion(conn, "r", "1", "FROM nuevas AS r")
        viejas = contribucion(conn, "r", "-1", "FROM viejas AS r")
        tablas[nombre] = tabla
        cuerpos[nombre] = (
            f"IF TG_OP = 'INSERT' THEN {_insertar_neto(conn, del_ledger, [nuevas])};\n"
            f"ELSIF TG_OP = 'DELETE' THEN {_insertar_neto(conn, del_ledger, [viejas])};\n"
            f"ELSE {_insertar_neto(conn, del_ledger, [viejas, nuevas])};\n"
        )
    referencias = {
        "ins": ("INSERT", "REFERENCING NEW TABLE AS nuevas"),
        "upd": ("UPDATE", "REFERENCING OLD TABLE AS viejas NEW TABLE AS nuevas"),
        "del": ("DELETE", "REFERENCING OLD TABLE AS viejas"),
    }
    sentencias = []
    for nombre, cuerpo in cuerpos.items():
        tabla = tablas[nombre]
        sentencias.append(
            f"CREATE OR REPLACE FUNCTION resumen_{nombre}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN\n{cuerpo}END IF; RETURN NULL; END $$"
        )
        for op, (evento, referencia) in referencias.items():
            sentencias.append(
                f"CREATE OR REPLACE TRIGGER resumen_{nombre}_{op} AFTER {evento} ON {tabla} "
                f"{referencia} FOR EACH STATEMENT EXECUTE FUNCTION resumen_{nombre}()"
            )
    return sentencias


def _sql_sqlite(conn: BaseDatabaseWrapper) -> list[str]:
    relevantes = {
        "ptes_pte": ["estatus"],
        "ots_ot": ["estatus", "cliente_id", "monto_mxn", "monto_usd"],
        "produccion_produccion": [
            "ot_id",
            "fecha_produccion",
            "volumen_produccion",
            "partida_anexo_id",
        ],
    }
    sentencias = []
    for tabla in SOURCES:
        ledger, contribucion = LEDGER_DE[tabla], CONTRIBUCIONES[tabla]
        claves, medidas = _columnas(ledger)
        insert = f"INSERT INTO {ledger} ({', '.join(claves + medidas)}) "
        nueva, vieja = contribucion(conn, "NEW", "1", ""), contribucion(conn, "OLD", "-1", "")
        cambio = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in relevantes[tabla])
        if tabla != "produccion_produccion":
            cambio += " OR (OLD.eliminado_en IS NULL) <> (NEW.eliminado_en IS NULL)"
        sentencias += [
            f"CREATE TRIGGER IF NOT EXISTS resumen_{tabla}_ins AFTER INSERT ON {tabla} "
            f"BEGIN {insert}{nueva}; END",
            # An empty ledger means nothing is counted, so no counted row can be deleted;
            # the guard makes Django's flush (DELETE FROM every table, in any order, after
            # which no post_migrate may come) leave the ledgers empty.
            f"CREATE TRIGGER IF NOT EXISTS resumen_{tabla}_del AFTER DELETE ON {tabla} "
            f"WHEN EXISTS (SELECT 1 FROM {ledger}) BEGIN {insert}{vieja}; END",
            f"CREATE TRIGGER IF NOT EXISTS resumen_{tabla}_upd AFTER UPDATE ON {tabla} "
            f"WHEN {cambio} BEGIN {insert}{vieja}; {insert}{nueva}; END",
        ]
    sentencias.append(
        "CREATE TRIGGER IF NOT EXISTS resumen_ots_ot_produccion AFTER UPDATE ON ots_ot "
        "WHEN (OLD.eliminado_en IS NULL) <> (NEW.eliminado_en IS NULL) BEGIN "
        f"INSERT INTO resumen_produccion ({_MEDIDAS_PRODUCCION}) "
        f"SELECT {_produccion_de_ots(conn)} FROM produccion_produccion AS p "
        f"JOIN {PARTIDAS} AS pa ON pa.id = p.partida_anexo_id, "
        "(SELECT CASE WHEN NEW.eliminado_en IS NULL THEN 1 ELSE -1 END AS s) AS c "
        "WHERE p.ot_id = NEW.id GROUP BY 1; END"
    )
    nuevo = _importe(conn, "p.volumen_produccion", "NEW.pu_mn")
    viejo = _importe(conn, "p.volumen_produccion", "OLD.pu_mn")
    sentencias.append(
        f"CREATE TRIGGER IF NOT EXISTS resumen_{PARTIDAS}_upd AFTER UPDATE ON {PARTIDAS} "
        "WHEN OLD.pu_mn IS NOT NEW.pu_mn BEGIN "
        f"INSERT INTO resumen_produccion ({_MEDIDAS_PRODUCCION}) "
        f"SELECT {_mes(conn, 'p.fecha_produccion')}, 0, 0, SUM({nuevo} - {viejo}) "
        "FROM produccion_produccion AS p WHERE p.partida_anexo_id = NEW.id "
        "AND EXISTS (SELECT 1 FROM ots_ot o WHERE o.id = p.ot_id AND o.eliminado_en IS NULL) "
        f"GROUP BY 1 HAVING SUM({nuevo} - {viejo}) <> 0; END"
    )
    return sentencias + _sql_sqlite_anexos(conn)


def _sql_sqlite_anexos(conn: BaseDatabaseWrapper) -> list[str]:
    """resumen_anexo's row triggers, on the anexos and on the OTs (see _sql_sqlite); and the
    POR_FECHA ledgers' own."""
    insert = "INSERT INTO resumen_anexo (estatus, cliente_id, mxn_centavos, usd_centavos) "
    guarda = "WHEN EXISTS (SELECT 1 FROM resumen_anexo)"
    sentencias = []
    for nombre, tabla, columnas in (
        (ANEXOS, ANEXOS, COLUMNAS_ANEXO),
        ("ots_ot_anexo", "ots_ot", COLUMNAS_OT_ANEXO),
    ):
        if tabla == ANEXOS:
            nueva = _anexo(conn, "NEW", "o", "1", "FROM ots_ot AS o")
            vieja = _anexo(conn, "OLD", "o", "-1", "FROM ots_ot AS o")
        else:
            nueva = _anexo(conn, "a", "NEW", "1", f"FROM {ANEXOS} AS a")
            vieja = _anexo(conn, "a", "OLD", "-1", f"FROM {ANEXOS} AS a")
        cambio = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columnas)
        if tabla == "ots_ot":
            cambio += " OR (OLD.eliminado_en IS NULL) <> (NEW.eliminado_en IS NULL)"
        sentencias += [
            f"CREATE TRIGGER IF NOT EXISTS resumen_{nombre}_ins AFTER INSERT ON {tabla} "
            f"BEGIN {insert}{nueva}; END",
            f"CREATE TRIGGER IF NOT EXISTS resumen_{nombre}_del AFTER DELETE ON {tabla} "
            f"{guarda} BEGIN {insert}{vieja}; END",
            f"CREATE TRIGGER IF NOT EXISTS resumen_{nombre}_upd AFTER UPDATE ON {tabla} "
            f"WHEN {cambio} BEGIN {insert}{vieja}; {insert}{nueva}; END",
        ]
    for nombre, (tabla, ledger, contribucion, columnas) in POR_FECHA.items():
        claves, medidas = _columnas(ledger)
        insert = f"INSERT INTO {ledger} ({', '.join(claves + medidas)}) "
        nueva, vieja = contribucion(conn, "NEW", "1", ""), contribucion(conn, "OLD", "-1", "")
        cambio = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columnas)
        cambio += " OR (OLD.eliminado_en IS NULL) <> (NEW.eliminado_en IS NULL)"
        sentencias += [
            f"CREATE TRIGGER IF NOT EXISTS resumen_{nombre}_ins AFTER INSERT ON {tabla} "
            f"BEGIN {insert}{nueva}; END",
            f"CREATE TRIGGER IF NOT EXISTS resumen_{nombre}_del AFTER DELETE ON {tabla} "
            f"WHEN EXISTS (SELECT 1 FROM {ledger}) BEGIN {insert}{vieja}; END",
            f"CREATE TRIGGER IF NOT EXISTS resumen_{nombre}_upd AFTER UPDATE ON {tabla} "
            f"WHEN {cambio} BEGIN {insert}{vieja}; {insert}{nueva}; END",
        ]
    return sentencias


_MEDIDAS_PRODUCCION = "mes, total, volumen_diezmilesimas, importe_mn_millonesimas"


def _produccion_de_ots(conn: BaseDatabaseWrapper) -> str:
    """Per month, the signed count, volume and amount of production `p` (its line `pa`) of
    the OTs `c` (`c.s` +1 or -1): the select list of an INSERT into resumen_produccion."""
    mes = _mes(conn, "p.fecha_produccion")
    vol = _diezmilesimas(conn, "p.volumen_produccion")
    importe = _importe(conn, "p.volumen_produccion", "pa.pu_mn")
    return f"{mes}, SUM(c.s), SUM(c.s * {vol}), SUM(c.s * {importe})"


def _sentencias(conn: BaseDatabaseWrapper) -> list[str]:
    return _sql_postgresql(conn) if _pg(conn) else _sql_sqlite(conn)


def _tras_instalar(using: str) -> None:
    recalcular(using)


DISPARADORES = Disparadores(
    prefijo="resumen_",
    tablas=(*SOURCES, PARTIDAS, ANEXOS, *LEDGERS),
    sentencias=_sentencias,
    nombres=_nombres_triggers,
    tras_instalar=_tras_instalar,
)


def triggers_faltantes(using: str = "default") -> list[str]:
    """The summary triggers missing from the database (empty when all is in place)."""
    return DISPARADORES.faltantes(using)


def instalar(using: str = "default") -> bool:
    """Install the missing triggers; when any was missing, recompute the totals (the writes made
    meanwhile were not counted). Returns whether it did."""
    return DISPARADORES.instalar(using)


def desinstalar(using: str = "default") -> None:
    DISPARADORES.desinstalar(using)


def recalcular(using: str = "default") -> None:
    """Rebuild every total from the source rows (writers wait meanwhile on PostgreSQL)."""
    conn = connections[using]
    mxn, usd = _centavos(conn, "monto_mxn"), _centavos(conn, "monto_usd")
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if _pg(conn):
            cursor.execute(f"LOCK TABLE {', '.join([*SOURCES, ANEXOS])} IN SHARE MODE")
        for ledger in LEDGERS:
            cursor.execute(f"DELETE FROM {ledger}")
        cursor.execute(
            "INSERT INTO resumen_pte (estatus, total) SELECT estatus, COUNT(*) FROM ptes_pte "
            "WHERE eliminado_en IS NULL GROUP BY estatus"
        )
        cursor.execute(
            "INSERT INTO resumen_ot (estatus, cliente_id, total, mxn_centavos, usd_centavos) "
            f"SELECT estatus, cliente_id, COUNT(*), SUM({mxn}), SUM({usd}) FROM ots_ot "
            "WHERE eliminado_en IS NULL GROUP BY estatus, cliente_id"
        )
        cursor.execute(
            f"INSERT INTO resumen_produccion ({_MEDIDAS_PRODUCCION}) "
            f"SELECT {_produccion_de_ots(conn)} FROM produccion_produccion AS p "
            f"JOIN {PARTIDAS} AS pa ON pa.id = p.partida_anexo_id "
            "JOIN (SELECT id, 1 AS s FROM ots_ot WHERE eliminado_en IS NULL) AS c "
            "ON c.id = p.ot_id GROUP BY 1"
        )
        mxn = f"{_centavos(conn, 'a.importe_mn')} - {_centavos(conn, 'o.monto_mxn')}"
        usd = f"{_centavos(conn, 'a.importe_usd')} - {_centavos(conn, 'o.monto_usd')}"
        cursor.execute(
            "INSERT INTO resumen_anexo (estatus, cliente_id, mxn_centavos, usd_centavos) "
            f"SELECT o.estatus, o.cliente_id, SUM({mxn}), SUM({usd}) "
            f"FROM {ANEXOS} AS a JOIN ots_ot AS o ON o.id = a.ot_id "
            "WHERE a.activo AND o.eliminado_en IS NULL GROUP BY o.estatus, o.cliente_id"
        )
        cursor.execute(
            f"INSERT INTO resumen_pte_vence (vence, total) SELECT {_vence(conn, 'p')}, COUNT(*) "
            f"FROM ptes_pte AS p WHERE {_por_entregar('p')} GROUP BY 1"
        )
        cursor.execute(
            "INSERT INTO resumen_ot_termino (termino, total) "
            "SELECT o.fecha_termino_programado, COUNT(*) "
            f"FROM ots_ot AS o WHERE {_abierta('o')} GROUP BY 1"
        )


def compactar(using: str = "default") -> None:
    """Fold each ledger into one row per key (keys whose totals are all zero disappear)."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        for ledger, (claves, medidas) in LEDGERS.items():
            grupo = ", ".join(claves)
            sumas = ", ".join(f"SUM({m})" for m in medidas)
            having = " OR ".join(f"SUM({m}) <> 0" for m in medidas)
            columnas = ", ".join(claves + medidas)
            if _pg(conn):
                # One statement, one snapshot: rows inserted meanwhile by others are left as
                # they are, and two compactions at once each fold only what they deleted.
                cursor.execute(
                    f"WITH d AS (DELETE FROM {ledger} RETURNING {columnas}) "
                    f"INSERT INTO {ledger} ({columnas}) SELECT {grupo}, {sumas} FROM d "
                    f"GROUP BY {grupo} HAVING {having}"
                )
            else:
                cursor.execute(f"SELECT MAX(id) FROM {ledger}")
                (ultimo,) = cursor.fetchone()
                if ultimo is None:
                    continue
                cursor.execute(
                    f"INSERT INTO {ledger} ({columnas}) SELECT {grupo}, {sumas} FROM {ledger} "
                    f"WHERE id <= %s GROUP BY {grupo} HAVING {having}",
                    [ultimo],
                )
                cursor.execute(f"DELETE FROM {ledger} WHERE id <= %s", [ultimo])


def antes_de_migrar(using: str = "default", **kwargs: Any) -> None:
    DISPARADORES.antes_de_migrar(using)


def despues_de_migrar(using: str = "default", **kwargs: Any) -> None:
    """Also sent by `flush` (TransactionTestCase between tests). On SQLite a flush is DELETE
    FROM each table in turn, with the triggers firing: a source table emptied after its
    ledger leaves negative deltas behind, so the totals are rebuilt (a small database there;
    PostgreSQL's flush truncates every table at once and fires no row trigger)."""
    conn = connections[using]
    if not instalar(using) and conn.vendor == "sqlite" and DISPARADORES.tablas_listas(using):
        recalcular(using)
