"""Start the real service under gunicorn for end-to-end tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 1, timeout: float = 30.0) -> Iterator[str]:
    """Serve config.wsgi on a free loopback port; yield its base URL; stop it afterwards."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115  (closed below, after the process)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: nobody reads a pipe while tests run, and a worker logging many
        # errors (a database down) would block once the pipe's buffer is full.
        stderr=log,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"gunicorn exited: {log.read().decode()}")
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # it answered, even if unhealthy
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
