#!/usr/bin/env python3
"""Operations API latency at scale: 100k PTEs and 1M production rows on PostgreSQL.

Loads the demo data (`cargar_demo --ptes 100000 --produccion 1000000`, timed), starts the
service under gunicorn (2 workers, PostgreSQL + Redis), and measures under load, side by side
in one run, p50/p95 latency of the dashboard statistics, a PTE list page, a PTE detail and a
bare Django JSON view served by the same process. Also times one uncached statistics
computation. Prints each figure and its ratio to the bare view.

    .venv/bin/python bench/operaciones.py [--ptes 100000] [--produccion 1000000] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
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

DB = "sascop_bench_ops"
USERNAME, PASSWORD = "bench", "Banco-De-Pruebas-2026"
ENV = {
    **BASE_ENV,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "REDIS_URL": "redis://127.0.0.1:6379/3",
}


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
        c.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ptes", type=int, default=100_000)
    parser.add_argument("--produccion", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded database")
    args = parser.parse_args()
    if not (answers(5432) and answers(6379)):
        sys.exit("PostgreSQL and Redis must answer on 127.0.0.1 for this benchmark.")
    _prepare(args)
    manage("ensure_demo_admin", "--username", USERNAME, "--password", PASSWORD, env=ENV)
    timing = manage(
        "shell",
        "--no-imports",
        "-c",
        "import time; from sascop.estadisticas.selectors import calcular; "
        "t = time.perf_counter(); calcular(); print((time.perf_counter() - t) * 1000)",
        env=ENV,
    )
    uncached_ms = float(timing.strip().splitlines()[-1])
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}") as c:
        ids = [row[0] for row in c.execute("SELECT id FROM ptes_pte WHERE eliminado_en IS NULL")]
    rng = random.Random(7)
    endpoints = {
        "bare Django JSON view": lambda: ["/bench/bare/"],
        "GET estadisticas": lambda: ["/operaciones/api/estadisticas/"],
        "GET PTE list page": lambda: [
            f"/operaciones/api/ptes/?pagina={rng.randint(1, 50)}&elementos_por_pagina=20"
            for _ in range(200)
        ],
        "GET PTE detail": lambda: [f"/operaciones/api/ptes/{rng.choice(ids)}/" for _ in range(200)],
    }
    results: dict[str, list[float]] = {name: [] for name in endpoints}
    with gunicorn(ENV, workers=2) as url:
        cookie, _ = login(url, USERNAME, PASSWORD)
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            for paths in endpoints.values():  # warm-up, also fills the stats cache
                hammer_all(pool, url, [paths() for _ in range(args.clients)], cookie, 1.0)
            for _round in range(2):
                for name, paths in endpoints.items():
                    results[name] += hammer_all(
                        pool, url, [paths() for _ in range(args.clients)], cookie, args.seconds / 2
                    )
    bare_p50 = median(results["bare Django JSON view"]) * 1000
    bare_p95 = percentile(results["bare Django JSON view"], 0.95) * 1000
    print(
        f"\n== PostgreSQL + Redis, {args.ptes} PTEs, {args.produccion} production rows "
        f"(gunicorn 2 workers, {args.clients} concurrent clients, {args.seconds:g} s each)"
    )
    print(f"  {'endpoint':26s} {'p50 ms':>8s} {'p95 ms':>8s} {'p95/bare':>9s}   target")
    for name, lat in results.items():
        p50, p95 = median(lat) * 1000, percentile(lat, 0.95) * 1000
        target = (
            ""
            if name.startswith("bare")
            else ("p95 <= 25 ms: " + ("met" if p95 <= 25 else "MISSED"))
        )
        print(f"  {name:26s} {p50:8.1f} {p95:8.1f} {p95 / bare_p95:8.1f}x   {target}")
    print(f"  statistics computed without cache (one call): {uncached_ms:.0f} ms")
    print(f"  bare view p50 {bare_p50:.1f} ms")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
