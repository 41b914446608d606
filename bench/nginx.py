"""Debian's nginx as the load balancer in front of several gunicorn instances, for
`bench/load.py --instances N` and `tests/test_escala_instancias.py`.

nginx runs as a process of its own (no system service), with a configuration file written to a
temporary directory, listening on a free loopback port. It passes requests with the deployed
rules (`deploy/nginx/proxy.conf`, `limites.conf`, `errores.conf`, included from the
repository), so what is measured is what is deployed; only TLS is left out (`deploy/nginx/
sascop.conf` adds it in front of the same rules). Its access log records which instance
answered each request.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.server import free_port, stop  # noqa: E402

DEPLOY = ROOT / "deploy" / "nginx"
NGINX = Path("/usr/sbin/nginx")
# Seconds a failed instance stays out of rotation before nginx tries it again (deployed: 10;
# shorter here, so that a short load also shows a dead instance tried again and skipped).
FAIL_TIMEOUT = 2


def nginx_binary() -> Path | None:
    """Debian's nginx (`apt-get install nginx`; dev.py installs it when it can)."""
    if NGINX.exists():
        return NGINX
    found = shutil.which("nginx")
    return Path(found) if found else None


def configuration(directory: Path, port: int, backends: list[int]) -> str:
    servers = "\n".join(
        f"        server 127.0.0.1:{backend} max_fails=1 fail_timeout={FAIL_TIMEOUT}s;"
        for backend in backends
    )
    temp = "\n".join(
        f"    {kind}_temp_path {directory / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""\
worker_processes 1;
pid {directory / "nginx.pid"};
error_log {directory / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    log_format sascop '$request_method $status "$upstream_addr" "$upstream_status"';
    access_log {directory / "access.log"} sascop;
{temp}
    upstream sascop_app {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        include {DEPLOY / "limites.conf"};
        include {DEPLOY / "errores.conf"};
        location / {{
            include {DEPLOY / "proxy.conf"};
        }}
    }}
}}
"""


@dataclass
class Balancer:
    url: str
    backends: list[int]
    access_log: Path

    def answered_by(self) -> list[int]:
        """How many requests each backend answered (in the order of `backends`)."""
        counts = dict.fromkeys(self.backends, 0)
        for line in self.access_log.read_text().splitlines():
            tried = line.split('"')[1]
            if not tried or tried == "-":
                continue  # answered by nginx itself (an error page)
            last = tried.split(",")[-1].strip()
            port = int(last.rsplit(":", 1)[1])
            counts[port] = counts.get(port, 0) + 1
        return [counts[backend] for backend in self.backends]

    def retried(self) -> int:
        """Requests nginx sent to a second backend after the first failed."""
        return sum(
            1 for line in self.access_log.read_text().splitlines() if "," in line.split('"')[1]
        )


@contextlib.contextmanager
def balancer(backends: list[int], timeout: float = 15.0) -> Iterator[Balancer]:
    """Start nginx in front of the gunicorn instances on `backends` (loopback ports); yield it;
    stop it afterwards."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="sascop-nginx-") as tmp:
        directory = Path(tmp)
        # Run as root, nginx's workers become `nobody`: they must reach their temporary files.
        os.chmod(directory, 0o755)
        conf = directory / "nginx.conf"
        conf.write_text(configuration(directory, port, backends))
        process = subprocess.Popen(
            [
                str(binary),
                "-p",
                str(directory),
                "-c",
                str(conf),
                "-e",
                str(directory / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    assert process.stderr is not None
                    errors = process.stderr.read().decode(errors="replace")
                    log = directory / "error.log"
                    if log.exists():
                        errors += log.read_text(errors="replace")
                    raise RuntimeError(f"nginx exited: {errors}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            yield Balancer(f"http://127.0.0.1:{port}", backends, directory / "access.log")
        finally:
            stop(process)
            if process.stderr is not None:
                process.stderr.close()
