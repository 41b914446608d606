#!/usr/bin/env python3
"""Operations API latency at scale: 100k PTEs and 1M production rows on PostgreSQL.

Loads the demo data once (`cargar_demo --ptes 100000 --produccion 1000000`, timed, then
`VACUUM ANALYZE` as autovacuum would; `--reuse` keeps a loaded database as it is), starts the
service under gunicorn (2 workers, PostgreSQL, and no Redis unless `--redis URL` is given),
prints the query plans behind the measured answers, and measures side by side in one run
p50/p95 of: a bare Django view, an authenticated `GET /api/user/` (the yardstick of issue 11),
the dashboard statistics, the statistics requested right after a write (each request follows
an UPDATE of a PTE's estatus by another connection), a deep PTE list page (page 500 of 20),
the PTE and OT details, and every list and detail web page (issue 22: the Tablero; the PTE,
OT and production lists, first and deep pages; a PTE and an OT; the activity log, filled to
`--actividad` rows; the price book; a catalog), and the Centro de Consulta's search (issue
21).
Prints each p95 as a ratio to the `/api/user/` p95 with its target, and the time of one full
recomputation of the statistics from the rows (what the running totals avoid).

`--solo TEXT` (repeatable) measures only the requests whose name contains one of the texts
(case ignored), beside the `GET /api/user/` yardstick, and skips the query plans and the
statistics' recomputation: `--reuse --solo consulta` measures the search alone.

    .venv/bin/python bench/operaciones.py [--ptes 100000] [--produccion 1000000] [--reuse]
        [--db sascop_bench_ops] [--redis redis://127.0.0.1:6379/3] [--rounds 2] [--port 8000]
        [--actividad 200000] [--solo consulta]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    BASE_ENV,
    ROOT,
    answers,
    gunicorn,
    hammer_all,
    login,
    manage,
    median,
    percentile,
)

USERNAME, PASSWORD = "bench", "Banco-De-Pruebas-2026"
DB = "sascop_bench_ops"
ENV: dict[str, str] = {}
# p95 targets as multiples of the authenticated GET /api/user/ p95 (issue 11).
TARGETS = {
    "GET estadisticas": 10,
    "GET estadisticas after a write": 10,
    "GET PTE list, page 500 of 20": 15,
    "GET PTE detail": 10,
    "GET OT detail": 10,
    # Issue 21: the search at this scale, on PostgreSQL without Redis.
    "GET consulta, a word": 10,
    "GET consulta, two words": 10,
    "GET consulta, OT number + date": 10,
}
# Issue 22: every list and detail page at p95 <= 10x the authenticated GET /api/user/ p95.
PAGINA = 10


def _sin_acentos(texto: str) -> str:
    import unicodedata

    return "".join(
        c for c in unicodedata.normalize("NFKD", texto.lower()) if not unicodedata.combining(c)
    )


@contextmanager
def _una_escritura(ids: list[int]) -> Iterator[Callable[[], object]]:
    """Before each request, a committed write that changes the statistics (a connection of
    the client's own)."""
    import psycopg

    rng = random.Random(os.getpid())
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}", autocommit=True) as c:
        yield lambda: c.execute(
            "UPDATE ptes_pte SET estatus = CASE WHEN estatus = 1 THEN 2 ELSE 1 END WHERE id = %s",
            [rng.choice(ids)],
        )


def _prepare(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        if exists and args.reuse:
            print(f"Reusing database {DB}")
            return
        c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {DB}")
    manage("migrate", "--noinput", env=ENV)
    started = time.monotonic()
    out = manage(
        "cargar_demo", "--ptes", str(args.ptes), "--produccion", str(args.produccion), env=ENV
    )
    print(out.strip(), f"(command wall time {time.monotonic() - started:.0f} s)")
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}", autocommit=True) as c:
        # What autovacuum does to a deployed database soon after a load (and a server with it
        # off never does): the visibility map that lets a count or a deep page's ids be read
        # from an index alone, and no dead row versions left by the loader's updates.
        c.execute("VACUUM ANALYZE")


def _llenar_actividad(filas: int) -> None:
    """Give the activity log `filas` rows (the demo data writes almost none), spread over the
    last year, so its page is measured at the size a year of edits leaves."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}", autocommit=True) as c:
        tiene = c.execute("SELECT count(*) FROM actividad_registroactividad").fetchone()
        faltan = filas - (tiene[0] if tiene else 0)
        if faltan <= 0:
            return
        c.execute(
            "INSERT INTO actividad_registroactividad (fecha, nombre_usuario, accion, entidad, "
            "entidad_id, campo, valor_anterior, valor_nuevo, agente_usuario) "
            "SELECT now() - (n || ' minutes')::interval, 'bench', 'modificar', 'PTE', "
            "(n %% 100000 + 1)::text, 'estatus', '1', '2', '' FROM generate_series(1, %s) AS n",
            [faltan],
        )
        c.execute("VACUUM ANALYZE actividad_registroactividad")
        print(f"Activity log: {faltan} rows added ({filas} in all)")


def main() -> None:
    global DB
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ptes", type=int, default=100_000)
    parser.add_argument("--produccion", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded database")
    parser.add_argument(
        "--db", default="sascop_bench_ops", help="PostgreSQL database to load and use"
    )
    parser.add_argument("--redis", default="", help="REDIS_URL for the service (default: none)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--actividad", type=int, default=200_000, help="rows the activity log is filled to"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="the service's port (default: any free)"
    )
    parser.add_argument(
        "--solo",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only the requests whose name contains TEXT (repeatable), beside "
        "GET /api/user/; no query plans, no recomputation of the statistics",
    )
    args = parser.parse_args()
    if not answers(5432) or (args.redis and not answers(6379)):
        sys.exit("PostgreSQL (and Redis, if named) must answer on 127.0.0.1.")
    DB = args.db
    ENV.update(BASE_ENV)
    ENV["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    ENV["REDIS_URL"] = args.redis  # empty: no Redis, whatever the calling shell says
    _prepare(args)
    _llenar_actividad(args.actividad)
    manage("ensure_demo_admin", "--username", USERNAME, "--password", PASSWORD, env=ENV)
    full_ms = totals_ms = None
    if not args.solo:
        timing = manage(
            "shell",
            "--no-imports",
            "-c",
            "import time; from sascop.estadisticas.selectors import calcular, estadisticas; "
            "estadisticas(); t = time.perf_counter(); calcular(); "
            "print((time.perf_counter() - t) * 1000); t = time.perf_counter(); estadisticas(); "
            "print((time.perf_counter() - t) * 1000)",
            env=ENV,
        )
        full_ms, totals_ms = (float(v) for v in timing.strip().splitlines()[-2:])
        print("\n== Query plans (EXPLAIN ANALYZE, one run each)")
        print(manage("shell", "--no-imports", "-c", "import bench.planes as p; p.main()", env=ENV))
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}") as c:
        ids = [row[0] for row in c.execute("SELECT id FROM ptes_pte WHERE eliminado_en IS NULL")]
        ot_ids = [row[0] for row in c.execute("SELECT id FROM ots_ot WHERE eliminado_en IS NULL")]
        # What people type in the search: words of the descriptions, without accents, and
        # an OT's number with a day it has production.
        textos = c.execute("SELECT descripcion_trabajo FROM ptes_pte LIMIT 500").fetchall()
        palabras = sorted(
            {p for (t,) in textos for p in _sin_acentos(t).split() if len(p) > 4 and p.isalpha()}
        )
        ot_dias = c.execute(
            "SELECT o.orden_trabajo, p.fecha_produccion FROM produccion_produccion p "
            "JOIN ots_ot o ON o.id = p.ot_id ORDER BY p.id DESC LIMIT 200"
        ).fetchall()
    rng = random.Random(7)
    stats = "/operaciones/api/estadisticas/"
    endpoints = {
        "bare Django JSON view": lambda: ["/bench/bare/"],
        "GET /api/user/": lambda: ["/api/user/"],
        "GET estadisticas": lambda: [stats],
        "GET estadisticas after a write": None,
        "GET PTE list, page 500 of 20": lambda: [
            f"/operaciones/api/ptes/?pagina={rng.randint(490, 510)}&elementos_por_pagina=20"
            for _ in range(50)
        ],
        "GET PTE detail": lambda: [f"/operaciones/api/ptes/{rng.choice(ids)}/" for _ in range(200)],
        "GET OT detail": lambda: [
            f"/operaciones/api/ots/{rng.choice(ot_ids)}/" for _ in range(200)
        ],
        # Every list and detail web page (issues 9 and 22), same yardstick.
        "page / (Tablero)": lambda: ["/"],
        "page /ptes/": lambda: ["/ptes/"],
        "page /ptes/, page 400 of 25": lambda: [
            f"/ptes/?pagina={rng.randint(390, 410)}&por_pagina=25" for _ in range(50)
        ],
        "page /ptes/<id>/": lambda: [f"/ptes/{rng.choice(ids)}/" for _ in range(200)],
        "page /ots/": lambda: ["/ots/"],
        "page /ots/, page 400 of 25": lambda: [
            f"/ots/?pagina={rng.randint(390, 410)}&por_pagina=25" for _ in range(50)
        ],
        "page /ots/<id>/": lambda: [f"/ots/{rng.choice(ot_ids)}/" for _ in range(200)],
        "page /produccion/": lambda: ["/produccion/"],
        "page /produccion/, page 400 of 25": lambda: [
            f"/produccion/?pagina={rng.randint(390, 410)}&por_pagina=25" for _ in range(50)
        ],
        "page /actividad/": lambda: ["/actividad/"],
        "page /precios/": lambda: ["/precios/"],
        "page /catalogos/sitios/": lambda: ["/catalogos/sitios/"],
        "GET consulta, a word": lambda: [
            f"/operaciones/api/consulta/?q={rng.choice(palabras)}" for _ in range(100)
        ],
        "GET consulta, two words": lambda: [
            f"/operaciones/api/consulta/?q={rng.choice(palabras)}+{rng.choice(palabras)}"
            for _ in range(100)
        ],
        "GET consulta, OT number + date": lambda: (
            [
                f"/operaciones/api/consulta/?q={ot}+{dia:%d/%m/%Y}"
                for ot, dia in (rng.choice(ot_dias) for _ in range(100))
            ]
            if ot_dias
            else ["/operaciones/api/consulta/?q=OT-000001"]
        ),
        "page /consulta/, a word": lambda: [
            f"/consulta/?q={rng.choice(palabras)}" for _ in range(100)
        ],
    }
    if args.solo:
        pedidos = [t.lower() for t in args.solo]
        endpoints = {
            name: paths
            for name, paths in endpoints.items()
            if name == "GET /api/user/" or any(t in name.lower() for t in pedidos)
        }
    results: dict[str, list[float]] = {name: [] for name in endpoints}
    with gunicorn(ENV, workers=2, port=args.port or None) as url:
        cookie, _ = login(url, USERNAME, PASSWORD)

        def run(pool: ProcessPoolExecutor, name: str, seconds: float) -> list[float]:
            paths = endpoints[name]
            if paths is None:
                escritura = partial(_una_escritura, ids)
                return hammer_all(pool, url, [[stats]] * args.clients, cookie, seconds, escritura)
            return hammer_all(pool, url, [paths() for _ in range(args.clients)], cookie, seconds)

        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            for name in endpoints:  # warm-up
                run(pool, name, 1.0)
            for _round in range(args.rounds):
                for name in endpoints:
                    results[name] += run(pool, name, args.seconds / args.rounds)
    user_p95 = percentile(results["GET /api/user/"], 0.95) * 1000
    redis = f"Redis {args.redis}" if args.redis else "no Redis"
    print(
        f"\n== PostgreSQL, {redis}, {args.ptes} PTEs, {args.produccion} production rows "
        f"(gunicorn 2 workers, {args.clients} concurrent clients, {args.seconds:g} s each)"
    )
    print(f"  {'endpoint':34s} {'n':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'p95/user':>9s}   target")
    for name, lat in results.items():
        p50, p95 = median(lat) * 1000, percentile(lat, 0.95) * 1000
        ratio = p95 / user_p95
        target = TARGETS.get(name, PAGINA if name.startswith("page ") else None)
        verdict = f"<= {target}x: {'met' if ratio <= target else 'MISSED'}" if target else ""
        print(f"  {name:34s} {len(lat):6d} {p50:8.1f} {p95:8.1f} {ratio:8.1f}x   {verdict}")
    if full_ms is not None and totals_ms is not None:
        print(
            f"  statistics from the rows (full recomputation, one call): {full_ms:.0f} ms; "
            f"from the running totals: {totals_ms:.1f} ms"
        )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
