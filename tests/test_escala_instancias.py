"""Scale-out proven small: the mixed load through a round-robin proxy in front of two gunicorn
instances (bench/load.py --instances 2). Every request goes to the next instance, so each
session is used on both; any 4xx (a session one instance does not know) or 5xx fails it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.server import ROOT


def test_sessions_are_valid_on_two_app_servers_behind_a_round_robin_balancer() -> None:
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
            "--seconds=4",
            "--baseline-sessions=0",
            "--ptes=40",
            "--produccion=200",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    counts = re.search(r"requests per instance: \[(\d+), (\d+)\]", result.stdout)
    assert counts, result.stdout
    # Round robin: each instance served half the requests (one more at most).
    first, second = int(counts[1]), int(counts[2])
    assert first > 20 and abs(first - second) <= 1
    assert "errors by status: none" in result.stdout
