"""A throw-away PostgreSQL cluster that tests may hang, crash and restart.

It never touches the server other tests and CI use: it lives in a temporary directory, on a
free port, and listens on loopback only. The postmaster is a direct child of the test
process (so it is reaped however it dies) and runs as the `postgres` OS user when the tests
run as root, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.server import child_pids, free_port


def find_bindir() -> Path | None:
    """The directory holding initdb and postgres: $PG_BINDIR, then PATH, then Debian's."""
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    for bindir in candidates:
        if all(os.access(bindir / name, os.X_OK) for name in ("initdb", "postgres")):
            return bindir
    return None


class Cluster:
    """One PostgreSQL cluster; `start()` it, then `pause()`, `resume()`, `crash()` it."""

    def __init__(self, bindir: Path, root: Path, port: int) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None
        self.paused: list[int] = []
        # PostgreSQL refuses to run as root.
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(root, self.user, self.user)

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(self.url(dbname), connect_timeout=3, autocommit=True)

    def initdb(self) -> None:
        subprocess.run(
            [
                *(self.bindir / "initdb", "-D", self.data),
                *("-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"),
            ],
            check=True,
            capture_output=True,
            user=self.user,
            group=self.user,
            extra_groups=[] if self.user else None,
        )

    def start(self, timeout: float = 30.0) -> None:
        """Start the postmaster (recovering after a crash) and wait until it answers."""
        log = open(self.root / "postgres.log", "ab")  # noqa: SIM115  (the child keeps it)
        with log:
            self.process = subprocess.Popen(
                [
                    *(self.bindir / "postgres", "-D", self.data, "-p", str(self.port)),
                    *("-c", "listen_addresses=127.0.0.1"),
                    *("-c", f"unix_socket_directories={self.root}"),
                    # Only processes crash here, never the machine: what was written to the
                    # kernel survives, so fsync is not needed for durability, and commits
                    # stay synchronous (an acknowledged commit is in the WAL).
                    *("-c", "fsync=off", "-c", "full_page_writes=off"),
                ],
                stdout=log,
                stderr=log,
                user=self.user,
                group=self.user,
                extra_groups=[] if self.user else None,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited:\n{self.log()}")
            try:
                self.connect().close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def log(self) -> str:
        return (self.root / "postgres.log").read_text(errors="replace")

    def pids(self) -> list[int]:
        """The postmaster and its children (backends, checkpointer, wal writer...)."""
        if self.process is None or self.process.poll() is not None:
            return []
        postmaster = self.process.pid
        children = child_pids(postmaster)
        return [postmaster, *children]

    def pause(self) -> None:
        """Hang the server as a frozen machine would: every process stopped (SIGSTOP).

        The kernel still accepts connections and acknowledges data on its sockets.
        """
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)  # first, so that it forks no more children
        self.paused = self.pids()
        for pid in self.paused[1:]:
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.paused:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.paused = []

    def crash(self) -> None:
        """Stop at once, as `pg_ctl stop -m immediate` does: no checkpoint, connections
        dropped mid-flight; the next start runs crash recovery."""
        assert self.process is not None
        self.resume()
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(timeout=30)

    def destroy(self) -> None:
        """Stop whatever runs, however it was left (hung included), and remove the files."""
        self.resume()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                for pid in self.pids():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    """A started cluster on a free port in a new temporary directory, destroyed afterwards."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, postgres) not found; set PG_BINDIR")
    instance = Cluster(bindir, Path(tempfile.mkdtemp(prefix="sascop-pg-")), free_port())
    try:
        instance.initdb()
        instance.start()
        yield instance
    finally:
        instance.destroy()
