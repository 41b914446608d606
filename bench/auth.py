#!/usr/bin/env python3
"""Authenticated read throughput and login latency, beside a bare Django view.

Starts the service under gunicorn (2 workers) on SQLite, and on PostgreSQL + Redis when they
answer; logs in; then, in one run and interleaved, measures requests/s of an authenticated
`GET /api/user/` and of a bare Django JSON view served by the same process, and the latency
of `POST /api/login/`. Prints each figure and their ratios.

    .venv/bin/python bench/auth.py [--seconds 4] [--rounds 3] [--clients 4] [--logins 60]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server import gunicorn, manage  # noqa: E402

USERNAME, PASSWORD = "bench", "Banco-De-Pruebas-2026"
PG_URL = "postgres://postgres@127.0.0.1:5432/sascop_bench"
REDIS_URL = "redis://127.0.0.1:6379/2"


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _request(
    host: str, port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response, data


def _login(host: str, port: int) -> tuple[str, float]:
    body = json.dumps({"username": USERNAME, "password": PASSWORD}).encode()
    started = time.perf_counter()
    status, response, _ = _request(
        host, port, "POST", "/api/login/", {"Content-Type": "application/json"}, body
    )
    elapsed = time.perf_counter() - started
    assert status == 200, status
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    return "; ".join(cookies), elapsed


def _hammer(args: tuple[str, int, str, str, float]) -> int:
    host, port, path, cookie, seconds = args
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        status, _, _ = _request(host, port, "GET", path, {"Cookie": cookie})
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        done += 1
    return done


def _throughput(
    pool: ProcessPoolExecutor, url: str, path: str, cookie: str, clients: int, seconds: float
) -> float:
    host, port = url.removeprefix("http://").split(":")
    counts = pool.map(_hammer, [(host, int(port), path, cookie, seconds)] * clients)
    return sum(counts) / seconds


def run_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> None:
    manage("migrate", "--noinput", env=env)
    manage("ensure_demo_admin", "--username", USERNAME, "--password", PASSWORD, env=env)
    with gunicorn(env, workers=2) as url:
        host, port = url.removeprefix("http://").split(":")
        cookie, _ = _login(host, int(port))
        read_rps: list[float] = []
        bare_rps: list[float] = []
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            _throughput(pool, url, "/bench/bare/", cookie, args.clients, 1.0)  # warm-up
            for _ in range(args.rounds):
                bare_rps.append(
                    _throughput(pool, url, "/bench/bare/", cookie, args.clients, args.seconds)
                )
                read_rps.append(
                    _throughput(pool, url, "/api/user/", cookie, args.clients, args.seconds)
                )
        login_ms = sorted(_login(host, int(port))[1] * 1000 for _ in range(args.logins))
        bare_ms = []
        for _ in range(args.logins):
            started = time.perf_counter()
            _request(host, int(port), "GET", "/bench/bare/", {"Cookie": cookie})
            bare_ms.append((time.perf_counter() - started) * 1000)
    read, bare = statistics.median(read_rps), statistics.median(bare_rps)
    login_p50 = statistics.median(login_ms)
    login_p95 = login_ms[int(len(login_ms) * 0.95) - 1]
    bare_p50 = statistics.median(bare_ms)
    setup = f"gunicorn, 2 workers; {args.clients} clients; median of {args.rounds} rounds"
    print(f"\n== {name} ({setup} of {args.seconds:g} s)")
    print(f"  authenticated GET /api/user/  {read:8.0f} req/s")
    print(f"  bare Django JSON view         {bare:8.0f} req/s")
    print(f"  ratio read / bare             {read / bare:8.1%}   (target >= 70 %)")
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
    args = parser.parse_args()
    base = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
        "AXES_FAILURE_LIMIT": "1000000",
        "GUNICORN_ACCESSLOG": "",
        "LOG_LEVEL": "WARNING",
    }
    with tempfile.TemporaryDirectory() as tmp:
        run_backend(
            "SQLite",
            {**base, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "REDIS_URL": ""},
            args,
        )
    if _answers(5432) and _answers(6379):
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS sascop_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE sascop_bench")
        run_backend(
            "PostgreSQL + Redis", {**base, "DATABASE_URL": PG_URL, "REDIS_URL": REDIS_URL}, args
        )
    else:
        print("\n(PostgreSQL or Redis not answering: skipped that backend)")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
