#!/usr/bin/env python3
"""Authenticated read throughput and login latency, beside a bare Django view.

Starts the service under gunicorn (2 workers) on SQLite, and on PostgreSQL + Redis when they
answer; logs in; then, in one run and interleaved, measures requests/s of an authenticated
`GET /api/user/` and of a bare Django JSON view served by the same process, and the latency
of `POST /api/login/`; and logins per second against the rate of the password check alone
(`/bench/hash/`, the same hasher in the same workers). Prints each figure and their ratios.
BENCH_AUTH_DB and BENCH_AUTH_REDIS_URL name the PostgreSQL database (dropped and created)
and Redis to use.

    .venv/bin/python bench/auth.py [--seconds 4] [--rounds 3] [--clients 4] [--logins 60] [--port N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASE_ENV, ROOT, answers, gunicorn, hammer_all, login, manage, request

USERNAME, PASSWORD = "bench", "Banco-De-Pruebas-2026"
PG_DB = os.environ.get("BENCH_AUTH_DB", "sascop_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
REDIS_URL = os.environ.get("BENCH_AUTH_REDIS_URL", "redis://127.0.0.1:6379/2")


def _login_loop(args: tuple[str, float]) -> int:
    base, seconds = args
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        login(base, USERNAME, PASSWORD)
        done += 1
    return done


def _logins_per_second(pool: ProcessPoolExecutor, url: str, args: argparse.Namespace) -> float:
    jobs = [(url, args.seconds)] * args.clients
    return sum(pool.map(_login_loop, jobs)) / args.seconds


def _rps(
    pool: ProcessPoolExecutor, url: str, path: str, cookie: str, args: argparse.Namespace
) -> float:
    latencies = hammer_all(pool, url, [[path]] * args.clients, cookie, args.seconds)
    return len(latencies) / args.seconds


def run_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> None:
    manage("migrate", "--noinput", env=env)
    manage("ensure_demo_admin", "--username", USERNAME, "--password", PASSWORD, env=env)
    with gunicorn(env, workers=2, port=args.port) as url:
        cookie, _ = login(url, USERNAME, PASSWORD)
        read_rps: list[float] = []
        bare_rps: list[float] = []
        login_rps: list[float] = []
        hash_rps: list[float] = []
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            hammer_all(pool, url, [["/bench/bare/"]] * args.clients, cookie, 1.0)  # warm-up
            for _ in range(args.rounds):
                bare_rps.append(_rps(pool, url, "/bench/bare/", cookie, args))
                read_rps.append(_rps(pool, url, "/api/user/", cookie, args))
                hash_rps.append(_rps(pool, url, "/bench/hash/", cookie, args))
                login_rps.append(_logins_per_second(pool, url, args))
        login_ms = sorted(login(url, USERNAME, PASSWORD)[1] * 1000 for _ in range(args.logins))
        bare_ms = []
        for _ in range(args.logins):
            started = time.perf_counter()
            request(url, "GET", "/bench/bare/", {"Cookie": cookie})
            bare_ms.append((time.perf_counter() - started) * 1000)
    read, bare = statistics.median(read_rps), statistics.median(bare_rps)
    login_p50 = statistics.median(login_ms)
    login_p95 = login_ms[int(len(login_ms) * 0.95) - 1]
    bare_p50 = statistics.median(bare_ms)
    setup = f"gunicorn, 2 workers; {args.clients} clients; median of {args.rounds} rounds"
    print(f"\n== {name} ({setup} of {args.seconds:g} s)")
    print(f"  authenticated GET /api/user/  {read:8.0f} req/s")
    print(f"  bare Django JSON view         {bare:8.0f} req/s")
    print(f"  ratio read / bare             {read / bare:8.1%}   (target >= 80 %)")
    logins, hashes = statistics.median(login_rps), statistics.median(hash_rps)
    print(f"  POST /api/login/              {logins:8.1f} /s")
    print(f"  password check only           {hashes:8.1f} /s   (/bench/hash/, same workers)")
    print(f"  ratio logins / hash only      {logins / hashes:8.1%}   (target >= 77 %)")
    print(f"  POST /api/login/ p50          {login_p50:8.1f} ms    p95 {login_p95:.1f} ms")
    print("                                (target p50 < 60 ms)")
    print(f"  bare view p50, same client    {bare_p50:8.1f} ms")
    print(f"  ratio login p50 / bare p50    {login_p50 / bare_p50:8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--logins", type=int, default=60)
    parser.add_argument("--port", type=int, default=None, help="default: any free port")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "REDIS_URL": ""}
        run_backend("SQLite", sqlite, args)
    if answers(5432) and answers(6379):
        import psycopg

        admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        pg = {**BASE_ENV, "DATABASE_URL": PG_URL, "REDIS_URL": REDIS_URL}
        run_backend("PostgreSQL + Redis", pg, args)
    else:
        print("\n(PostgreSQL or Redis not answering: skipped that backend)")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
