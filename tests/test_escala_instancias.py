"""Scale-out on real parts: two gunicorn instances behind Debian's nginx, started with the
deployed proxy rules (bench/nginx.py, deploy/nginx/), under the mixed load of bench/load.py.

Without nginx the tests skip, saying why (python3 dev.py test installs it with apt-get when it
runs as root); under CI (CI=true) they fail instead."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from bench.nginx import nginx_binary
from tests.server import ROOT


@pytest.fixture(autouse=True)
def _nginx() -> None:
    if nginx_binary() is None:
        reason = "nginx is missing (apt-get install nginx; python3 dev.py test does it as root)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must run the scale-out tests", pytrace=False)
        pytest.skip(reason)


def _load(*extra: str) -> str:
    # A fresh SQLite file of its own (whatever database the suite runs on): the instances are
    # separate processes and must not write into the test database.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [
            sys.executable,
            "bench/load.py",
            "--instances=2",
            "--workers=1",
            "--sessions=4",
            "--baseline-sessions=0",
            "--ptes=40",
            "--produccion=200",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _per_instance(out: str) -> tuple[int, int]:
    counts = re.search(r"requests per instance: \[(\d+), (\d+)\]", out)
    assert counts, out
    return int(counts[1]), int(counts[2])


def test_sessions_are_valid_on_two_app_servers_behind_nginx() -> None:
    out = _load("--seconds=4")

    # Round robin: each instance answered half the requests (one more at most), so every
    # session was served by both; any 4xx (a session one instance does not know) fails.
    first, second = _per_instance(out)
    assert first > 20 and abs(first - second) <= 1, out
    assert "errors by status: none" in out


def test_nginx_routes_around_an_instance_killed_mid_load_and_loses_no_write() -> None:
    # Killed 1 s into the first of three 2 s phases of the load (their logins aside).
    out = _load("--seconds=6", "--kill-after=1")

    # bench/load.py exits 1 unless: every PTE, production row and edit answered 2xx is in the
    # database, no PTE is stored twice, no GET failed, no request went unanswered, and the only
    # failures are writes in flight on the killed instance (502, at most one per session).
    assert "ok   the instance was killed during the load" in out, out
    first, second = _per_instance(out)
    assert 0 < second < first, out  # both served; the survivor carried the rest
    retried = re.search(r"nginx sent (\d+) requests to another instance after one failed", out)
    # The dead instance is tried again every 2 s (fail_timeout): each try is refused and the
    # request, whatever its method, goes to the survivor instead of failing.
    assert retried and int(retried[1]) >= 1, out
