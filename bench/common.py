"""Helpers shared by the benchmarks: HTTP without a client library, load, percentiles."""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.server import gunicorn, manage  # noqa: E402

__all__ = [
    "BASE_ENV",
    "ROOT",
    "answers",
    "gunicorn",
    "hammer_all",
    "login",
    "manage",
    "median",
    "percentile",
    "request",
]

# How every benchmark runs the service: its own settings plus the bare view, no lock-out in
# the way of many logins, quiet logs. Each adds DATABASE_URL and REDIS_URL.
BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SASCOP_ENV": "development",
    "DEBUG": "false",
    "AXES_FAILURE_LIMIT": "1000000",
    "LOG_LEVEL": "WARNING",
}


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def request(
    base: str, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, http.client.HTTPResponse, bytes]:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response, data


def login(base: str, username: str, password: str) -> tuple[str, float]:
    """Log in through the JSON API; return the Cookie header value and the latency (s)."""
    body = json.dumps({"username": username, "password": password}).encode()
    started = time.perf_counter()
    status, response, _ = request(
        base, "POST", "/api/login/", {"Content-Type": "application/json"}, body
    )
    elapsed = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"login answered {status}")
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    return "; ".join(cookies), elapsed


def timed_get(base: str, path: str, cookie: str) -> float:
    """Seconds one GET took; an answer other than 200 stops the benchmark."""
    started = time.perf_counter()
    status, _, _ = request(base, "GET", path, {"Cookie": cookie})
    elapsed = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed


# What a client does before each request: a context manager (entered once per client, in its
# process) that yields the callable. Picklable: a module-level function or a partial of one.
Antes = Callable[[], AbstractContextManager[Callable[[], object]]]


def _nada() -> None:
    return None


def _hammer(args: tuple[str, Sequence[str], str, float, Antes | None]) -> list[float]:
    base, paths, cookie, seconds, antes = args
    latencies = []
    with antes() if antes is not None else nullcontext(_nada) as preparar:
        deadline = time.perf_counter() + seconds
        i = 0
        while time.perf_counter() < deadline:
            preparar()
            latencies.append(timed_get(base, paths[i % len(paths)], cookie))
            i += 1
    return latencies


def hammer_all(
    pool: ProcessPoolExecutor,
    base: str,
    paths_per_client: list[Sequence[str]],
    cookie: str,
    seconds: float,
    antes: Antes | None = None,
) -> list[float]:
    """Every client loops over its paths for `seconds` (doing what `antes` yields before each
    request, untimed); all latencies (s) together."""
    jobs = [(base, paths, cookie, seconds, antes) for paths in paths_per_client]
    return [lat for result in pool.map(_hammer, jobs) for lat in result]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def median(values: list[float]) -> float:
    return statistics.median(values)
