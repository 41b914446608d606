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
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers, a postmaster's backends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended meanwhile
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


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
def gunicorn(
    env: dict[str, str],
    workers: int = 1,
    timeout: float = 30.0,
    threads: int = 1,
    port: int | None = None,
) -> Iterator[str]:
    """Serve config.wsgi on `port` (default: a free loopback port); yield its base URL; stop
    it afterwards."""
    port = port or free_port()
    # A file, not a pipe: nobody reads a pipe while the test runs, and a worker logging into
    # a full one blocks forever (an outage logs a lot).
    with tempfile.TemporaryFile() as log:
        yield from _serve(env, port, log, workers=workers, threads=threads, timeout=timeout)


def _serve(
    env: dict[str, str], port: int, log: IO[bytes], *, workers: int, threads: int, timeout: float
) -> Iterator[str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            # The project's settings (request limits among them); the options below win.
            "--config",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
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
        stderr=log,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"gunicorn exited: {log.read().decode(errors='replace')}")
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
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server this module (or a benchmark) started: SIGTERM, SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
